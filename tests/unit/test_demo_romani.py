"""The Romani text of the demo survey follows translations/rom/GLOSSARY.md."""

from __future__ import annotations

import re
from typing import Any

from portal.surveys.demo import content


def _romani(value: Any) -> list[str]:
    """Every Romani string of the demo content: the last of each eight-language tuple."""
    found: list[str] = []
    if isinstance(value, tuple) and len(value) == len(content.LANGS) and all(
            isinstance(v, str) for v in value):
        return [value[content.LANGS.index("rom")]]
    if isinstance(value, tuple | list):
        for item in value:
            found += _romani(item)
    elif isinstance(value, dict):
        for item in value.values():
            found += _romani(item)
    return found


def test_demo_romani_uses_the_glossary_words() -> None:
    texts = [t for name in dir(content) if name.isupper() for t in _romani(getattr(content, name))]
    assert len(texts) > 30
    words = " ".join(texts).lower()
    assert "anketa" in words
    assert not re.search(r"\bili\b", words)  # "or" is vaj
    assert "pučiba" not in words  # a survey is anketa, a question pučhipe
    assert not re.search(r"\w+ibe\b", words)  # action nouns end in -ipe (pheripe, vakeripe)
    assert "pomoš" not in words  # help: žutipe
