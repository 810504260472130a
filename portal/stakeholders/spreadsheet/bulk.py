"""Bulk inserts of an import's rows as one driver `executemany` in the caller's transaction.

SQLAlchemy's Core `insert(table)` with a list of dicts builds and type-processes every
parameter of every row in Python (for 50,000 ties, a third of the import's time). Here the
statement goes to the driver as SQL text (`exec_driver_sql`: the session's connection and
transaction, its events and logging kept), the rows as tuples; each column's bind processor
(the aware-UTC check and SQLite's datetime text, for instance) is still applied, but to a value
shared by every row (the city, the time of the import) only once. Omitted columns get their
scalar default; a column with a callable default must be given (a missing one is a bug:
`ValueError`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table

from portal.extensions import db

_MARKERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                shared: dict[str, Any]) -> int:
    """Insert `rows` (values of `columns`, in order) with the `shared` values on every row;
    return the number of rows inserted."""
    connection = db.session.connection()
    dialect = connection.dialect
    marker = _MARKERS.get(dialect.paramstyle)
    if marker is None:  # pragma: no cover - the portal runs on SQLite and psycopg only
        raise ValueError(f"unsupported paramstyle {dialect.paramstyle}")
    constants = dict(shared)
    for column in table.columns:
        if column.primary_key or column.name in constants or column.name in columns:
            continue
        if column.default is None or not column.default.is_scalar:
            raise ValueError(f"{table.name}.{column.name} has no scalar default: give it")
        constants[column.name] = column.default.arg  # type: ignore[attr-defined]
    processors = {name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in (*columns, *constants)}
    fixed = tuple(_process(processors[name], value) for name, value in constants.items())
    varying = [(i, p) for i, name in enumerate(columns) if (p := processors[name]) is not None]
    if varying:
        rows = (_processed([*row], varying) for row in rows)
    params = [(*row, *fixed) for row in rows]
    if not params:
        return 0
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in (*columns, *constants))
    sql = (f"INSERT INTO {quote(table.name)} ({names}) "
           f"VALUES ({', '.join([marker] * (len(columns) + len(constants)))})")
    connection.exec_driver_sql(sql, params)
    return len(params)


def _process(processor: Callable[[Any], Any] | None, value: Any) -> Any:
    return processor(value) if processor is not None else value


def _processed(row: list[Any], varying: list[tuple[int, Any]]) -> list[Any]:
    for index, process in varying:
        row[index] = process(row[index])
    return row
