"""Hostile input to the answering parsers: strict numbers, ids and dates, unstorable text,
random UUIDs, and regex constraints that cannot backtrack (no database, no Flask)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pytest

from portal.models import Choice, Question
from portal.surveys.answering.answers import parse_value
from portal.surveys.answering.flow import check_all
from portal.surveys.answering.store import valid_uuid
from portal.surveys.expressions import ExpressionError, evaluate, parse

CATASTROPHIC = r"regex(., '^([a-zA-Z]+\s?)*$')"


def _question(qtype: str, **fields: object) -> Question:
    question = Question(id=7, name="q", qtype=qtype, label={"en": "q"}, **fields)
    if qtype in ("likert5", "single", "multi"):
        question.choices = [Choice(id=i, name=str(i), value=i, label={}) for i in range(1, 6)]
    return question


@pytest.mark.parametrize("qtype", ["likert5", "single", "multi", "integer", "decimal"])
@pytest.mark.parametrize("raw", ["²", "³", "٣", "５", "5_0", "1_0", "+-3", "0x1f", "3\x00"])
def test_numbers_and_choice_ids_accept_ascii_digits_only(qtype, raw):
    value, message = parse_value(_question(qtype), [raw])
    assert value is None and message


@pytest.mark.parametrize("raw", ["1e500", "1e5", "nan", "NaN", "inf", "-Infinity", "1.5e3"])
def test_decimals_in_exponent_or_special_notation_are_refused(raw):
    assert parse_value(_question("decimal"), [raw]) == (None, "Enter a number.")


@pytest.mark.parametrize(("qtype", "raw", "value"), [
    ("integer", "-12", -12), ("integer", "0", 0), ("decimal", "2.5", 2.5),
    ("decimal", "-.5", -0.5), ("decimal", "0.00001", 0.00001), ("single", "3", 3),
    ("multi", "2", [2]), ("likert5", "4", 4), ("date", "2024-02-29", "2024-02-29")])
def test_plain_values_still_parse(qtype, raw, value):
    assert parse_value(_question(qtype), [raw]) == (value, None)


@pytest.mark.parametrize("raw", ["2024-01-01\x00junk", "2024-01-01T25:00", "2024-01-01T10:00",
                                 "2024-01-01junk", "2023-02-29", "2024-1-1", "２０２４-01-01",
                                 "20240101", "2024-W01-1"])
def test_dates_must_be_exactly_year_month_day(raw):
    assert parse_value(_question("date"), [raw]) == (None, "Enter a date (year-month-day).")


@pytest.mark.parametrize("raw", ["a\x00b", "a\x0bb", "a\x1bb", "a\x7fb", "a\ufffeb"])
def test_text_with_unstorable_control_characters_is_refused_on_its_field(raw):
    value, message = parse_value(_question("text"), [raw])
    assert value is None and message and "control characters" in message


def test_text_keeps_tabs_and_line_breaks():
    assert parse_value(_question("text"), ["one\ttwo\r\nthree"]) == ("one\ttwo\r\nthree", None)


def test_a_tiny_decimal_survives_the_recheck_before_the_send():
    question = _question("decimal")
    survey = type("S", (), {"questions": [question], "pages": ()})()
    assert check_all(survey, {"7": 0.00001}, "en").answers == {"7": 0.00001}


@pytest.mark.parametrize("text", [str(uuid.UUID(int=0)), str(uuid.uuid1()),
                                  str(uuid.uuid3(uuid.NAMESPACE_DNS, "x")),
                                  str(uuid.uuid5(uuid.NAMESPACE_DNS, "x")),
                                  "ffffffff-ffff-ffff-ffff-ffffffffffff"])
def test_nil_and_non_random_uuids_are_refused(text):
    assert valid_uuid(text) is None


def test_a_random_uuid_is_accepted_with_or_without_hyphens():
    value = uuid.uuid4()
    assert valid_uuid(value.hex.upper()) == valid_uuid(str(value)) == str(value)


def test_catastrophic_regex_constraint_finishes_quickly():
    """The pattern that held every worker for 30 s, run in a subprocess: its matching gets
    1 s of CPU (CPU time, not wall time, so a busy machine does not fail it); a regex engine
    that backtracks is killed by the 60 s bound on the whole process."""
    code = ("import time\n"
            "from portal.surveys.expressions import evaluate, parse\n"
            f"node = parse({CATASTROPHIC!r})\n"
            "start = time.process_time()\n"
            "assert evaluate(node, {}, 'a' * 40 + '!') is False\n"
            "assert evaluate(node, {}, 'a' * 1900 + '!') is False\n"
            "assert evaluate(node, {}, 'abc def') is True\n"
            "spent = time.process_time() - start\n"
            "assert spent < 1.0, f'{spent:.2f} s of CPU'\n")
    done = subprocess.run([sys.executable, "-c", code], timeout=60, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)b", r"(?<!a)b", r"a(?!b)"])
def test_regex_needing_backtracking_is_refused_as_unsupported(pattern):
    with pytest.raises(ExpressionError) as raised:
        parse(f"regex(., '{pattern}')")
    assert raised.value.code == "unsupported_regex"


def test_regex_keeps_java_style_character_classes():
    node = parse(r"regex(., '^[\w-\.]+@([\w-]+\.)+[\w-]{2,}$')")
    assert evaluate(node, {}, "first.last@example.org") is True
