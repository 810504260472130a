"""Aggregate exports (CSV/XLSX, suppressed, with a note) and the streamed microdata export."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import ngettext
from openpyxl import Workbook
from sqlalchemy import Engine, select

from portal.models import Answer, Response, Survey
from portal.spreadsheets import csv_row, xlsx_row

HEADER = ("section", "subject", "breakdown", "item", "label", "statistic", "value", "status")
STATS = ("n", "mean", "ci_low", "ci_high")
INDEX_STATS = ("mean", "ci_low", "ci_high")
CHUNK = 2000  # responses per keyset page of the microdata export


def _num(value: Any) -> Any:
    """Keep integers, round floats to 4 decimals: the same number in every format."""
    return round(value, 4) if isinstance(value, float) else value


def _cell_rows(prefix: tuple, cell: dict[str, Any], share: Any = "absent") -> list[tuple]:
    status = "suppressed" if cell["suppressed"] else "rounded" if cell.get("rounded") else ""
    rows = [(*prefix, "count", _num(cell["value"]), status)]
    if share != "absent":
        rows.append((*prefix, "share", _num(share), "suppressed" if cell["suppressed"] else ""))
    return rows


def _summary_rows(prefix: tuple, summary: dict[str, Any]) -> list[tuple]:
    status = "suppressed" if summary["suppressed"] else ""
    # n = 0 is an empty group, not a hidden one: its n is shown, its statistics do not exist.
    rows = [(*prefix, stat, _num(summary[stat]),
             "" if stat == "n" and summary["n"] is not None else status) for stat in STATS]
    rows += [(*prefix, f"index_{stat}", _num(summary["index"][stat]), status)
             for stat in INDEX_STATS]
    return rows


def flatten(data: dict[str, Any]) -> list[tuple]:
    """Return every published cell of a survey's results as one row (the export table)."""
    rows = _cell_rows(("respondents", "", "", "total", ""), data["respondents"])
    for week in data["weekly"]:
        rows += _cell_rows(("weekly", week["key"], "", week["start"], ""), week["count"])
    for q in data["questions"]:
        rows += _cell_rows(("question", q["name"], "", "total", ""), q["total"])
        for row in q["rows"]:
            rows += _cell_rows(("question", q["name"], "", row["key"], row["label"]),
                               row["count"], row.get("share"))
    for sub in data["subscales"]:
        rows += _summary_rows(("subscale", sub["name"], "", "overall", sub["label"]),
                              sub["overall"])
        for bd in sub["breakdowns"]:
            for g in bd["groups"]:
                prefix = ("subscale", sub["name"], bd["key"], g["key"], g["label"])
                rows += _cell_rows(prefix, g["n"])
                rows += _summary_rows(prefix, g["summary"])[1:]
    return [tuple("" if v is None else v for v in row) for row in rows]


def suppression_note(k: int) -> str:
    """Explain the disclosure control applied to an aggregate export."""
    return ngettext("Disclosure control: any count of fewer than %(num)d respondent is "
                    "suppressed (empty value, status \"suppressed\"), and further cells are "
                    "suppressed so that no hidden count can be recomputed from totals or from two "
                    "breakdowns. Totals marked \"rounded\" are rounded to the nearest 5. "
                    "Statistics of a suppressed group are not shown.",
                    "Disclosure control: any count of fewer than %(num)d respondents is "
                    "suppressed (empty value, status \"suppressed\"), and further cells are "
                    "suppressed so that no hidden count can be recomputed from totals or from two "
                    "breakdowns. Totals marked \"rounded\" are rounded to the nearest 5. "
                    "Statistics of a suppressed group are not shown.", k)


def aggregate_csv(data: dict[str, Any]) -> str:
    """Return the aggregate table as CSV: the note first, then a header and the rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(csv_row(["note", suppression_note(data["k"])]))
    writer.writerow(HEADER)
    writer.writerows(csv_row(row) for row in flatten(data))
    return out.getvalue()


def aggregate_xlsx(data: dict[str, Any]) -> bytes:
    """Return the aggregate table as an XLSX workbook with a sheet holding the note."""
    book = Workbook()
    sheet = book.active
    sheet.title = "results"
    sheet.append(HEADER)
    for row in flatten(data):
        sheet.append(xlsx_row(row))
    note = book.create_sheet("note")
    note.append(xlsx_row([suppression_note(data["k"])]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _iso_week(day: Any) -> str:
    day = day if isinstance(day, date) else date.fromisoformat(str(day))
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class MicrodataPlan:
    """What the microdata stream needs, read before the response is returned.

    A streamed body is produced after the request's teardown (its session is gone), so the
    stream works from this plain copy and opens its own connection.
    """

    survey_id: int
    columns: list[str]
    column: dict[int, int]  # question id → column index
    qtypes: dict[int, str]
    names: dict[int, str]  # choice id → choice name


def microdata_plan(survey: Survey) -> MicrodataPlan:
    """Copy what the stream needs out of the survey (questions, their types and choices)."""
    questions = [q for q in survey.questions if q.qtype != "note"]
    return MicrodataPlan(
        survey_id=survey.id,
        columns=[q.name for q in questions],
        column={q.id: i for i, q in enumerate(questions)},
        qtypes={q.id: q.qtype for q in questions},
        names={c.id: c.name for q in questions for c in q.choices},
    )


def _value(qtype: str, names: dict[int, str], row: Any) -> Any:
    """Return an answer as XLSForm data: choice names, numbers, text or the missing code."""
    _, _, choice_id, value_int, value_num, value_text, missing = row
    if missing:
        return str(missing)
    if qtype in ("single", "multi"):
        return names.get(choice_id, "")
    if value_int is not None:
        return value_int
    if value_num is not None:
        return value_num
    return value_text or ""


def microdata_rows(plan: MicrodataPlan, engine: Engine,
                   chunk: int = CHUNK) -> Iterator[list[Any]]:
    """Yield the header and one row per response, a keyset page of responses at a time."""
    width = len(plan.columns)
    yield ["response", "submitted_week", *plan.columns]
    last, number = 0, 0
    with engine.connect() as connection:  # Core rows: no ORM bookkeeping per answer
        while True:
            page = connection.execute(
                select(Response.id, Response.submitted_on)
                .where(Response.survey_id == plan.survey_id, Response.id > last)
                .order_by(Response.id).limit(chunk)).all()
            if not page:
                return
            cells: dict[int, list[Any]] = {rid: [""] * width for rid, _ in page}
            answers = connection.execute(
                select(Answer.response_id, Answer.question_id, Answer.choice_id,
                       Answer.value_int, Answer.value_num, Answer.value_text,
                       Answer.missing_reason)
                # Only the response range: the covering index ix_survey_answer_response_items
                # serves it; rows of other surveys' responses in the range are skipped below.
                .where(Answer.response_id.between(page[0][0], page[-1][0]))
                .order_by(Answer.response_id, Answer.id)
                .execution_options(yield_per=5000))
            for row in answers:
                slot = cells.get(row[0])
                if slot is not None and row[1] in plan.column:
                    value = _value(plan.qtypes[row[1]], plan.names, row)
                    i = plan.column[row[1]]
                    slot[i] = f"{slot[i]} {value}" if slot[i] else value  # multi: space-separated
            for rid, day in page:
                number += 1
                yield [number, _iso_week(day), *cells.pop(rid)]
            last = page[-1][0]


def microdata_csv(plan: MicrodataPlan, engine: Engine) -> Iterator[str]:
    """Stream the microdata as CSV text, a few hundred rows per piece; formula-like text guarded."""
    out = io.StringIO()
    writer = csv.writer(out)
    for i, row in enumerate(microdata_rows(plan, engine)):
        writer.writerow(csv_row(row))
        if i % 500 == 499:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


def microdata_xlsx(plan: MicrodataPlan, engine: Engine) -> Iterator[bytes]:
    """Stream the microdata as XLSX: openpyxl's write-only mode spills rows to disk."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("responses")
    for row in microdata_rows(plan, engine):
        sheet.append(xlsx_row(row))
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        book.save(path)
        with open(path, "rb") as stream:
            while piece := stream.read(64 * 1024):
                yield piece
    finally:
        os.unlink(path)
