"""Unit tests of the answering logic: pages, parsing, hashing (no database, no Flask)."""

from __future__ import annotations

import pytest

from portal.models import Choice, Question, Survey
from portal.surveys.answering.answers import is_relevant, parse_value
from portal.surveys.answering.pages import PAGE_SIZE, pages_of
from portal.surveys.answering.store import answers_hash, valid_uuid


def _question(name: str, qtype: str = "integer", **fields: object) -> Question:
    question = Question(name=name, qtype=qtype, label={"en": name}, **fields)
    return question


def test_questions_without_sections_are_cut_into_short_pages():
    survey = Survey(default_language="en", languages=["en"])
    survey.questions = [_question(f"q{i}", id=i) for i in range(PAGE_SIZE * 2 + 1)]
    assert [len(p.questions) for p in pages_of(survey)] == [PAGE_SIZE, PAGE_SIZE, 1]


def test_sections_make_their_own_pages():
    survey = Survey(default_language="en", languages=["en"])
    survey.questions = [_question("a", section="one"), _question("b", section="one"),
                        _question("c", section="two")]
    assert [len(p.questions) for p in pages_of(survey)] == [2, 1]


@pytest.mark.parametrize(("raw", "expected", "error"), [
    (["5"], 5, False), (["0"], None, True), (["101"], None, True), (["x"], None, True),
    ([""], None, False), (["1e999"], None, True)])
def test_integer_bounds_and_garbage(raw, expected, error):
    question = _question("n", min_value=1, max_value=100)
    value, message = parse_value(question, raw)
    assert value == expected and (message is not None) == error


def test_dont_know_only_when_offered():
    question = _question("l", "likert5", dont_know=True)
    question.choices = [Choice(id=i, name=str(i), value=i, label={}) for i in range(1, 6)]
    assert parse_value(question, ["dk"]) == ("dk", None)
    assert parse_value(question, ["pn"])[1] is not None


def test_skip_logic_reads_answers_by_name():
    question = _question("later", relevant="${first} > 3")
    assert is_relevant(question, {"first": 5}) and not is_relevant(question, {"first": 1})


def test_answers_hash_ignores_order_and_uuid_is_canonical():
    assert answers_hash(1, {"2": 1, "3": [4, 5]}) == answers_hash(1, {"3": [4, 5], "2": 1})
    assert answers_hash(1, {"2": 1}) != answers_hash(2, {"2": 1})
    assert valid_uuid("6EF73C64-547F-489A-94BF-D69D432ADD91") == (
        "6ef73c64-547f-489a-94bf-d69d432add91")
    assert valid_uuid("nope") is None
    assert valid_uuid("6ef73c64547f489a94bfd69d432add91") == "6ef73c64-547f-489a-94bf-d69d432add91"
    for bad in ("6ef73c64-547f-489a-94bf-d69d432add91x", "{6ef73c64-547f-489a-94bf-d69d432add91}",
                "urn:uuid:6ef73c64-547f-489a-94bf-d69d432add91", "", None, "6ef73c64-547f-489a"):
        assert valid_uuid(bad) is None, bad
