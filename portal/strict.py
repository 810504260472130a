"""Strict parsing of what a resident or an address sends: ASCII only, the whole string, once.

Python's own parsers are lenient in ways a form must not be: ``'²'.isdigit()`` is true but
``int('²')`` raises; ``int('5_0')`` is 50; ``float('1e500')`` is inf, ``float('nan')`` is NaN;
``date.fromisoformat(text[:10])`` ignores whatever follows the date. Every parser of the
answering flow (and the results' survey key) goes through these functions instead.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

MAX_ID = 2**31 - 1  # ids are INTEGER columns (32-bit on PostgreSQL)
_INTEGER = re.compile(r"-?[0-9]{1,18}")
_DECIMAL = re.compile(r"-?(?:[0-9]{1,15}(?:\.[0-9]{0,15})?|\.[0-9]{1,15})")
_ID = re.compile(r"[1-9][0-9]{0,9}")  # no sign, no leading zero
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
# What neither a database text column (NUL on PostgreSQL) nor an .xlsx cell can hold:
# C0 controls other than tab, line feed and carriage return, DEL, lone surrogates, U+FFFE/F.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def parse_int(text: str) -> int | None:
    """Return a whole number written in ASCII digits with an optional minus, else None."""
    return int(text) if _INTEGER.fullmatch(text) else None


def parse_decimal(text: str) -> float | None:
    """Return a finite number in plain decimal notation (no exponent, nan, inf or _), else None."""
    if not _DECIMAL.fullmatch(text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def parse_id(text: str) -> int | None:
    """Return a database id (ASCII digits, no sign, within the INTEGER range), else None."""
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def parse_date(text: str) -> date | None:
    """Return the calendar date of exactly ``YYYY-MM-DD``, else None."""
    found = _DATE.fullmatch(text)
    if found is None:
        return None
    try:
        return date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def parse_time(text: str) -> str | None:
    """Return ``HH:MM`` for exactly ``HH:MM`` or ``HH:MM:SS`` (a time input), else None."""
    found = _TIME.fullmatch(text)
    if found is None:
        return None
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    if hours > 23 or minutes > 59 or seconds > 59:
        return None
    return f"{hours:02d}:{minutes:02d}"


def parse_datetime(text: str) -> str | None:
    """Return ``YYYY-MM-DDTHH:MM`` for exactly that (a datetime-local input), else None."""
    day, sep, clock = text.partition("T")
    if not sep:
        return None
    parsed_day, parsed_time = parse_date(day), parse_time(clock)
    if parsed_day is None or parsed_time is None:
        return None
    return f"{parsed_day.isoformat()}T{parsed_time}"


def number_text(value: float | int) -> str:
    """Write a stored number back in the notation parse_decimal reads (never 1e-05)."""
    return format(Decimal(repr(value)), "f")


def storable_text(text: str) -> bool:
    """Return True when a database and an .xlsx can both hold the text as it is."""
    return _UNSTORABLE.search(text) is None
