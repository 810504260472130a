"""`flask stakeholders import|export|erase` and `flask stakeholders rounds list|edit`."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from portal.auth.scoping import city_by_slug
from portal.extensions import db
from portal.models import City


def _city(slug: str) -> City:
    city = city_by_slug(slug)
    if city is None:
        click.echo(f"Error: no city {slug!r}", err=True)
        sys.exit(1)
    return city


@click.group("stakeholders")
def stakeholders() -> None:
    """Import, export and erase stakeholder-map data."""


def _answers(pairs: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """Parse --map VOCABULARY:VALUE=KEY options (an empty VALUE maps empty cells)."""
    from portal.stakeholders.spreadsheet import mapping

    answers = {}
    for pair in pairs:
        head, sep, target = pair.rpartition("=")
        vocabulary, colon, value = head.partition(":")
        if not sep or not colon or target not in mapping.KEYS.get(vocabulary, ()):
            raise click.BadParameter(f"{pair!r}: write VOCABULARY:VALUE=KEY, e.g. "
                                     "sector:Person=other", param_hint="--map")
        answers[(vocabulary, mapping.value_key(value))] = target
    return answers


def _report(result: Any) -> None:
    from flask_babel import force_locale

    from portal.stakeholders.messages import row_reason

    with force_locale("en"):
        for error in result.errors:
            click.echo(f"{error.table} row {error.row}: {row_reason(error)}", err=True)
    for vocabulary, values in result.unmapped.items():
        for value, rows in sorted(values.items()):
            where = ("row " if len(rows) == 1 else "rows ") + ", ".join(map(str, rows[:20]))
            click.echo(f"{vocabulary} {value!r} is not one of the portal's values ({where}): "
                       f"add --map {vocabulary}:{value}=KEY", err=True)
    click.echo(f"Nothing imported: {len(result.errors)} bad row(s), "
               f"{sum(len(v) for v in result.unmapped.values())} value(s) to map.", err=True)


@stakeholders.command("import")
@click.argument("city_slug", metavar="CITY")
@click.option("--stakeholders", "people", type=click.Path(exists=True, dir_okay=False),
              help="Stakeholders table (CSV), or a workbook / GraphML / GEXF file with both.")
@click.option("--ties", "links", type=click.Path(exists=True, dir_okay=False),
              help="Ties table (CSV or XLSX), an edge list or an adjacency matrix.")
@click.option("--round", "round_name", default="", help="Round for ties without one.")
@click.option("--date", "held_on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of a new round (default: the file's own date, else today).")
@click.option("--map", "pairs", multiple=True, metavar="VOCABULARY:VALUE=KEY",
              help="What a foreign value means, e.g. sector:Person=other (remembered).")
@click.option("--dry-run", is_flag=True, help="Check and report, change nothing.")
@with_appcontext
def import_command(city_slug: str, people: str | None, links: str | None, round_name: str,
                   held_on: datetime | None, pairs: tuple[str, ...], dry_run: bool) -> None:
    """Import stakeholders and ties, all or nothing; exit 1 listing every bad row."""
    from portal.stakeholders.spreadsheet import mapping, workflow

    city = _city(city_slug)
    answers = _answers(pairs)
    default_round = workflow.default_round(city, round_name, "Baseline")
    records = workflow.read_records(
        Path(people).read_bytes() if people else None, Path(links).read_bytes() if links else None,
        max_bytes=1 << 30)
    day = held_on.date() if held_on else workflow.round_date(records)
    if dry_run:
        result, summary = workflow.check(city, records, default_round, answers), None
    else:
        result, summary = workflow.run(city, records, default_round, actor=None, held_on=day,
                                       answers=answers)
    if not result.ready:
        _report(result)
        db.session.rollback()
        sys.exit(1)
    if summary is None:
        click.echo(f"Would create {len(result.new_stakeholders)} stakeholders and "
                   f"{len(result.new_ties)} ties.")
        return
    mapping.remember(city, answers, actor=None)
    db.session.commit()
    click.echo(" ".join(f"{key}={value}" for key, value in summary.items()))


@stakeholders.command("export")
@click.argument("city_slug", metavar="CITY")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "graphml", "gexf", "json"]),
              required=True)
@click.option("--out", "out", type=click.Path(), required=True,
              help="A file; for csv a directory that receives stakeholders.csv and ties.csv.")
@click.option("--round", "round_name", default="",
              help="Round of a network file (default: current).")
@click.option("--contact/--no-contact", default=False, help="Include the contact columns.")
@with_appcontext
def export_command(city_slug: str, fmt: str, out: str, round_name: str, contact: bool) -> None:
    """Export the tables (csv, xlsx) or the network of a round (graphml, gexf, json)."""
    from portal.stakeholders import rounds
    from portal.stakeholders.spreadsheet import export

    city = _city(city_slug)
    target = Path(out)
    chosen = rounds.round_by_name(city, round_name) if round_name else None
    if round_name and chosen is None:
        click.echo(f"Error: no round {round_name!r}", err=True)
        sys.exit(1)
    names = export.FILES_OF_FORMAT[fmt]
    if fmt == "csv":
        target.mkdir(parents=True, exist_ok=True)
    for name in names:
        path = target / name if len(names) > 1 else target
        path.write_bytes(export.file_bytes(city, name, contact, chosen))
    click.echo(f"Exported {fmt} to {target}.")


@stakeholders.command("erase")
@click.argument("city_slug", metavar="CITY")
@click.argument("name")
@click.option("--keep-ties", is_flag=True,
              help="Keep an anonymised node and its ties; else remove the node and its ties.")
@with_appcontext
def erase_command(city_slug: str, name: str, keep_ties: bool) -> None:
    """Remove a stakeholder's personal fields (and the node, unless --keep-ties)."""
    from portal.stakeholders import services

    city = _city(city_slug)
    found = services.find_by_name(city, name)
    if found is None:
        click.echo(f"Error: no stakeholder {name!r} in {city_slug}", err=True)
        sys.exit(1)
    services.erase(city, found, keep_ties=keep_ties, actor=None)
    db.session.commit()
    click.echo("Erased; anonymised node and ties kept." if keep_ties else "Erased with its ties.")


@stakeholders.group("rounds")
def rounds_group() -> None:
    """List, rename and re-date a city's mapping rounds."""


@rounds_group.command("list")
@click.argument("city_slug", metavar="CITY")
@with_appcontext
def rounds_list(city_slug: str) -> None:
    """List the rounds, earliest first: date, name, and which one is current."""
    from portal.stakeholders import rounds

    for found in sorted(rounds.rounds_of(_city(city_slug)), key=rounds.time_order):
        mark = " (current)" if found.is_current else ""
        click.echo(f"{found.held_on.isoformat()}  {found.name}{mark}")


@rounds_group.command("edit")
@click.argument("city_slug", metavar="CITY")
@click.argument("round_name", metavar="ROUND")
@click.option("--name", "new_name", default=None, help="The round's new name.")
@click.option("--date", "new_date", default=None, help="The round's new date, YYYY-MM-DD.")
@with_appcontext
def rounds_edit(city_slug: str, round_name: str, new_name: str | None,
                new_date: str | None) -> None:
    """Rename and/or re-date a round (recorded in the audit log)."""
    from flask_babel import force_locale

    from portal.stakeholders import rounds
    from portal.stakeholders.messages import map_error
    from portal.strict import parse_date

    city = _city(city_slug)
    chosen = rounds.round_by_name(city, round_name)
    if chosen is None:
        click.echo(f"Error: no round {round_name!r}", err=True)
        sys.exit(1)
    held_on = parse_date(new_date) if new_date is not None else chosen.held_on
    if held_on is None:
        click.echo(f"Error: not a date (YYYY-MM-DD): {new_date!r}", err=True)
        sys.exit(1)
    try:
        done = rounds.update_round(city, chosen, name=chosen.name if new_name is None
                                   else new_name, held_on=held_on, actor=None)
    except rounds.MapError as exc:
        with force_locale("en"):
            click.echo(f"Error: {map_error(str(exc))}", err=True)
        db.session.rollback()
        sys.exit(1)
    db.session.commit()
    click.echo(f"Round saved: {chosen.name}, {chosen.held_on.isoformat()}." if done
               else "Nothing to change.")
