"""Tests for the safe XLSForm expression parser and evaluator."""

from __future__ import annotations

import contextlib
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.surveys.expressions import ExpressionError, evaluate, parse, references
from portal.surveys.xlsform.workbook import as_text, read_workbook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "xlsform"


def run(expr: str, answers: dict[str, object] | None = None, current: object = None) -> object:
    """Parse and evaluate in one step."""
    return evaluate(parse(expr), answers or {}, current)


def fixture_expressions() -> list[tuple[str, int, str]]:
    """Return (file, row, text) for every relevant/constraint cell in the fixtures."""
    found = []
    for path in sorted(FIXTURES.glob("*.xlsx")):
        book = read_workbook(path.read_bytes())
        assert book is not None
        for number, row in book.sheets["survey"].rows:
            for column in ("relevant", "constraint"):
                if as_text(row.get(column)):
                    found.append((path.name, number, as_text(row[column])))
    return found


FIXTURE_EXPRESSIONS = fixture_expressions()
TYPOGRAPHIC = [e for e in FIXTURE_EXPRESSIONS if "\u2018" in e[2] or "\u2019" in e[2]]


def test_fixtures_hold_many_expressions() -> None:
    assert len(FIXTURE_EXPRESSIONS) > 70
    assert {(f, r) for f, r, _ in TYPOGRAPHIC} >= {("biomass_plot_sw_en.xlsx", 9)}


@pytest.mark.parametrize(("name", "row", "text"), [e for e in FIXTURE_EXPRESSIONS
                                                    if e not in TYPOGRAPHIC])
def test_every_fixture_expression_parses(name: str, row: int, text: str) -> None:
    node = parse(text)
    evaluate(node, {}, None)  # evaluating with no answers never raises


@pytest.mark.parametrize(("name", "row", "text"), TYPOGRAPHIC)
def test_typographic_quotes_are_rejected_with_their_position(name: str, row: int,
                                                            text: str) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(text)
    assert info.value.code == "typographic_quote"
    assert text[info.value.position] in "\u2018\u2019"


@pytest.mark.parametrize(("expr", "answers", "expected"), [
    ("${q} = 'ja'", {"q": "ja"}, True),
    ("${q} = 'ja'", {"q": "nein"}, False),
    ("${q} = 'ja'", {}, False),
    ("${q} = ''", {}, True),
    ("${q} = ''", {"q": ""}, True),
    ("${q} = ''", {"q": "x"}, False),
    ("${q} != ''", {}, False),
    ("${q} != ''", {"q": "x"}, True),
    ("${q} != 'x'", {}, False),
    ("${q} > 3", {}, False),
    ("${q} < 3", {"q": None}, False),
    ('${q}="Other_com"', {"q": "Other_com"}, True),
    ("${n} > 9", {"n": "10"}, True),
    ("${n} = 10", {"n": "10.0"}, True),
    ("${a} < ${b}", {"a": "9", "b": "10"}, True),
    ("${a} < ${b}", {"a": "2024-01-31", "b": "2024-02-01"}, True),
    ("${a} > 3", {"a": "abc"}, False),
    ("selected(${m} , 'others')", {"m": ["a", "others"]}, True),
    ("selected(${m}, 'x')", {"m": ["a"]}, False),
    ("selected(${m}, 'x')", {}, False),
    ("selected(${s}, 'b')", {"s": "a b"}, True),
    ("count-selected(${m}) = 2", {"m": ["a", "b"]}, True),
    ("count-selected(${m}) = 0", {}, True),
    ("not(selected(${m}, 'a'))", {"m": ["a"]}, False),
    ("${a} = 'x' or ${b} = 'y'", {"b": "y"}, True),
    ("${a} = 'x' and (${b} = 'y' or ${b} = 'z')", {"a": "x", "b": "z"}, True),
    ("${a} = 'x' and ${b} = 'y' or true()", {}, True),
    ("1 + 2 * 3 = 7", {}, True),
    ("(1 + 2) * 3 = 9", {}, True),
    ("7 mod 3 = 1", {}, True),
    ("7 div 2 = 3.5", {}, True),
    ("-${n} < 0", {"n": 4}, True),
    ("${m} = 'a b'", {"m": ["a", "b"]}, True),
    ("false()", {}, False),
])
def test_evaluate(expr: str, answers: dict[str, object], expected: bool) -> None:
    assert run(expr, answers) is expected


@pytest.mark.parametrize(("expr", "current", "expected"), [
    (". >= 1 and . <= 5", 3, True),
    (". >= 1 and . <= 5", "6", False),
    (". >= 1", None, False),
    ("string-length(.) <= 5", "abcde", True),
    ("string-length(.) <= 5", "abcdef", False),
    ("regex(., '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')", "a@b.de", True),
    ("regex(., '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$')", "not an address", False),
    ("regex(., '^[\\w-\\.]+@([\\w-]+\\.)+[\\w-]{2,}$')", "first.last@example.org", True),
    ("regex(., '[0-9]')", "x" * 5000 + "1", False),
])
def test_evaluate_current_value(expr: str, current: object, expected: bool) -> None:
    assert run(expr, {}, current) is expected


def test_arithmetic_never_raises() -> None:
    assert run("1 div 0") == math.inf
    assert math.isnan(run("0 div 0"))  # type: ignore[arg-type]
    assert math.isnan(run("5 mod 0"))  # type: ignore[arg-type]
    assert math.isnan(run("${x} + 1"))  # type: ignore[arg-type]
    assert run("${x} + 1 > 0") is False


def test_references_lists_every_name() -> None:
    node = parse("selected(${a}, 'x') and (${b} > ${c} or not(${a} = ''))")
    assert references(node) == {"a", "b", "c"}
    assert references(parse(". > 3")) == set()


def test_names_may_contain_hyphens_and_dots() -> None:
    answers = {"project_role_project-alpha": ["role-x"], "a.b": "1"}
    assert run("selected(${project_role_project-alpha}, 'role-x') and ${a.b} = 1", answers)


@pytest.mark.parametrize(("expr", "code", "position"), [
    ("", "unexpected_end", 0),
    ("${q} =", "unexpected_end", 6),
    ("${q} = 'x", "unterminated_string", 7),
    ("${q} = \u2018x\u2019", "typographic_quote", 7),
    ("${q} == 'x'", "unexpected_token", 6),
    ("today()", "unknown_function", 0),
    ("selected(${q})", "wrong_arguments", 0),
    ("regex(., ${p})", "wrong_arguments", 9),
    ("regex(., '" + "a" * 201 + "')", "regex_too_long", 9),
    ("regex(., '(')", "invalid_regex", 9),
    ("${q} = 'x' ${r}", "unexpected_token", 11),
    ("${q} # 1", "unexpected_character", 5),
    ("(" * 100 + "1" + ")" * 100, "too_deep", 60),
    ("1" * 5000, "too_long", 4000),
    ("../x", "unexpected_character", 0),
])
def test_parse_errors_carry_code_and_position(expr: str, code: str, position: int) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(expr)
    assert (info.value.code, info.value.position) == (code, position)


EXPRESSION_ALPHABET = st.sampled_from(
    list("${}().,'\" =!<>+-*/09ax_\u2018\u2019")
    + ["and", "or", "not(", "div", "mod", "selected(", "count-selected(", "string-length(",
       "regex(", "${q}", "${m}", " . ", "'a'", "3.5", "true()"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(EXPRESSION_ALPHABET, max_size=30).map("".join))
def test_parse_raises_only_expression_errors_on_token_soup(text: str) -> None:
    try:
        node = parse(text)
    except ExpressionError:
        return
    evaluate(node, {"q": "3", "m": ["a", "b"]}, "x")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_parse_raises_only_expression_errors_on_any_text(text: str) -> None:
    with contextlib.suppress(ExpressionError):
        parse(text)


# --- calculations and choice filters ----------------------------------------------------------


@pytest.mark.parametrize(("expr", "answers", "expected"), [
    ("if(${a} > 2, 'many', 'few')", {"a": 3}, "many"),
    ("if(${a} > 2, 'many', 'few')", {"a": 1}, "few"),
    ("round(${a} div 3, 2)", {"a": 10}, 3.33),
    ("round(2.5, 0)", {}, 3.0),
    ("round(-2.5, 0)", {}, -3.0),
    ("concat(${a}, '-', ${b})", {"a": "x", "b": 2}, "x-2"),
    ("coalesce(${a}, 'none')", {"a": None}, "none"),
    ("int(${a})", {"a": "7.9"}, 7.0),
    ("normalize-space('  a   b ')", {}, "a b"),
    ("number('x')", {}, math.nan),
])
def test_calculation_functions(expr: str, answers: dict[str, object], expected: object) -> None:
    result = run(expr, answers)
    if isinstance(expected, float) and math.isnan(expected):
        assert isinstance(result, float) and math.isnan(result)
    else:
        assert result == expected


def test_if_evaluates_only_the_branch_taken() -> None:
    # the branch not taken is not evaluated (its division by zero gives no value at all)
    assert run("if(${a} = 0, 'none', 10 div ${a})", {"a": 0}) == "none"
    assert run("if(${a} = 0, 'none', 10 div ${a})", {"a": 4}) == 2.5


@pytest.mark.parametrize(("rule", "rewritten"), [
    ("area=${area}", "${__choice__.area}=${area}"),
    ("a = ${x} and b != 'c d'", "${__choice__.a} = ${x} and ${__choice__.b} != 'c d'"),
    ("selected(../many, name)", "selected(${many}, ${__choice__.name})"),
])
def test_choice_filter_columns_become_choice_references(rule: str, rewritten: str) -> None:
    from portal.surveys.expressions.rewrite import choice_filter_expression

    assert choice_filter_expression(rule) == rewritten
    parse(rewritten)


@pytest.mark.parametrize(("text", "clock"), [
    ("07:30", "07:30"), ("23:59:59", "23:59"), ("24:00", None), ("7:30", None),
    ("07:60", None), ("07:30 ", None), ("٠٧:٣٠", None),
])
def test_time_is_strict(text: str, clock: str | None) -> None:
    from portal.strict import parse_datetime, parse_time

    assert parse_time(text) == clock
    assert parse_datetime(f"2025-01-31T{text}") == (f"2025-01-31T{clock}" if clock else None)
