"""The URL builders that tests/conftest.py reuses between test apps equal freshly made ones."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import Rule


def _code(function: Any) -> tuple[Any, ...]:
    code = getattr(function, "__func__", function).__code__
    return code.co_code, code.co_consts, code.co_varnames, code.co_names


def test_every_rule_builds_with_the_code_werkzeug_would_generate(app: Flask) -> None:
    fresh = getattr(Rule._compile_builder, "__wrapped__", None)
    rules = list(app.url_map.iter_rules())
    assert fresh is not None and len(rules) > 50
    for rule in rules:
        assert _code(rule._build) == _code(fresh(rule, False)), rule.rule
        assert _code(rule._build_unknown) == _code(fresh(rule, True)), rule.rule
