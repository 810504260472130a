"""Database ids from the outside: one rule for URL paths, query strings and form fields.

An id is ASCII digits without a leading zero, from 1 to 2^31 - 1: the range of an INTEGER
primary key on PostgreSQL (SQLite's is wider). Anything else never reaches a query, where
it would overflow the driver ("²" and "٣" are digits to `str.isdigit`, not ids).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BaseConverter, ValidationError
from wtforms import SelectField

from portal.strict import MAX_ID
from portal.strict import parse_id as parse_text_id

NOT_AN_OPTION = _l("Choose one of the options shown.")


def parse_id(value: object) -> int | None:
    """Return the id this value spells, or None when it is not a valid id."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_ID else None
    return parse_text_id(value) if isinstance(value, str) else None


def id_arg(name: str, args: Mapping[str, str] | None = None) -> int | None:
    """Return the id in query argument `name`: None when absent or empty, 404 when not an id."""
    raw = (request.args if args is None else args).get(name, "")
    if raw == "":
        return None
    found = parse_id(raw)
    if found is None:
        abort(404)
    return found


class IdConverter(BaseConverter):
    """`<id:name>` in a route: an id, else the route does not match (404)."""

    regex = r"[1-9][0-9]{0,9}"
    weight = 50

    def to_python(self, value: str) -> int:
        found = parse_id(value)
        if found is None:
            raise ValidationError()
        return found

    def to_url(self, value: Any) -> str:
        return str(int(value))


class IdSelectField(SelectField):
    """A select of database ids: empty is None, anything that is not an id a form error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", parse_id)  # the object's own value: an id or nothing
        kwargs.setdefault("validate_choice", False)  # the view checks the id belongs to the city
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:  # not sent: keep the object's value
            return
        if valuelist[0] in ("", "None"):
            self.data = None
            return
        self.data = parse_id(valuelist[0])
        if self.data is None:
            raise ValueError(NOT_AN_OPTION)
