"""Choice lists that live outside the choices sheet: external_choices, and attached CSV files.

``select_one_from_file areas.csv`` reads its choices from a file sent with the form (as ODK
Central and Kobo take it as a form attachment); ``select one external`` from the workbook's
external_choices sheet. Both become ordinary choices; their other columns are kept as the
choice's filter columns (what a ``choice_filter`` reads).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from portal.surveys.xlsform.spec import Choice
from portal.surveys.xlsform.texts import Languages

MAX_FILE_CHOICES = 20_000  # a list of every neighbourhood of a country fits; more is a mistake
LIST_HEADERS = ("list_name", "list name")


def _cell(value: Any) -> str:
    """Return a cell as text ('1' for the number 1.0)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _choice(row: dict[str, Any], langs: Languages) -> Choice | None:
    """Map one raw row (name, label / label::X, other columns) to a choice."""
    cleaned = {str(k).strip(): v for k, v in row.items() if k is not None}
    name = next((_cell(v) for k, v in cleaned.items() if k.lower() == "name"), "")
    if not name:
        return None
    label = langs.column({(k[:5].lower() + k[5:] if k.lower().startswith("label") else k): v
                          for k, v in cleaned.items()}, "label")
    filters = {key: _cell(value) for key, value in cleaned.items()
               if key.lower() not in ("name", *LIST_HEADERS) and not key.lower().startswith(
                   ("label", "image", "media", "audio", "video")) and _cell(value)}
    choice: Choice = {"name": name, "label": label or {langs.default: name}}
    if filters:
        choice["filters"] = filters
    return choice


def external_list(rows: list[dict[str, Any]], list_name: str,
                  langs: Languages) -> list[Choice]:
    """Return the choices of one list of the external_choices sheet."""
    found: list[Choice] = []
    for row in rows:
        lowered = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
        if any(_cell(lowered.get(h)) == list_name for h in LIST_HEADERS):
            choice = _choice(row, langs)
            if choice is not None:
                found.append(choice)
    return found[:MAX_FILE_CHOICES]


def file_list(file_name: str, attachments: dict[str, bytes],
              langs: Languages) -> list[Choice] | None:
    """Return the choices of an attached CSV; None when the file is not attached (or not CSV)."""
    data = attachments.get(file_name)
    if data is None or not file_name.lower().endswith(".csv"):
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    found: list[Choice] = []
    for row in csv.DictReader(io.StringIO(text)):
        choice = _choice(row, langs)
        if choice is not None:
            found.append(choice)
        if len(found) >= MAX_FILE_CHOICES:
            break
    return found
