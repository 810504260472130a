"""JSON or CSV from the API: `?format=csv` or `Accept: text/csv` (Power BI, R's read.csv).

CSV cells go through portal.spreadsheets.csv_row, so text that a spreadsheet would run as a
formula is guarded; the figures are the JSON's, disclosure control included.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal.spreadsheets import csv_row

FORMATS = ("json", "csv")
FORMAT_MESSAGE = _l("Unknown format. Use one of: %(values)s.")
CSV_MIMETYPE = "text/csv"


class FormatError(ValueError):
    """The query asks for a format the API does not serve."""


def wants_csv() -> bool:
    """Return True when the request asks for CSV; raise FormatError for an unknown ?format=."""
    chosen = request.args.get("format")
    if chosen is not None:
        if chosen not in FORMATS:
            raise FormatError(chosen)
        return chosen == "csv"
    best = request.accept_mimetypes.best_match(["application/json", CSV_MIMETYPE])
    return best == CSV_MIMETYPE


def format_error() -> Response:
    """Return the 400 JSON answer to an unknown ?format=."""
    body = {"error": "format", "message": str(FORMAT_MESSAGE) % {"values": ", ".join(FORMATS)}}
    response = current_app.response_class(
        current_app.json.dumps(body, separators=(",", ":")), status=400,
        mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return " ".join(str(item) for item in value)
    return value


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """Return a header line and rows as UTF-8 CSV that no shared cache keeps."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(csv_row(_cell(value) for value in row) for row in rows)
    response = current_app.response_class(out.getvalue(), mimetype=CSV_MIMETYPE)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Vary"] = "Accept"
    return response
