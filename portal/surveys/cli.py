"""`flask --app portal surveys …`: XLSForm import and export from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.auth.scoping import city_by_slug
from portal.extensions import db
from portal.surveys.authoring import services, transfer


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group("surveys")
def surveys() -> None:
    """Resident surveys: XLSForm import and export."""


@surveys.command("import-xlsform")
@click.argument("city_slug", metavar="CITY")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--slug", default=None, help="Address name of the new survey (default: file name).")
@click.option("--attach", "attach", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A choice file (.csv) a select_one_from_file names; repeat for several.")
@with_appcontext
def import_xlsform(city_slug: str, path: str, slug: str | None, attach: tuple[str, ...]) -> None:
    """Import an XLSForm (.xlsx, .xls or .csv) as a new draft survey of CITY."""
    with current_app.test_request_context():  # messages are translated, audit reads the user
        _import(city_slug, path, slug, {Path(p).name: Path(p).read_bytes() for p in attach})


def _import(city_slug: str, path: str, slug: str | None, attachments: dict[str, bytes]) -> None:
    city = city_by_slug(city_slug)
    if city is None:
        _fail(f"no city {city_slug!r}")
        return
    slug = slug or Path(path).stem.lower().replace("_", "-").replace(" ", "-")[:64]
    if services.slug_taken(city, slug):
        _fail(f"{city_slug} already has a survey {slug!r} (use --slug)")
    outcome = transfer.import_survey(city, slug, Path(path).read_bytes(), name=Path(path).name,
                                     attachments=attachments, actor=None)
    for notice in outcome.notices:
        click.echo(f"Notice: {notice}")
    if outcome.survey is None:
        for error in outcome.errors:
            click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    db.session.commit()
    count = len(outcome.survey.questions)
    click.echo(f"Imported {path} as draft survey {city_slug}/{slug} ({count} questions).")


@surveys.command("export-xlsform")
@click.argument("city_slug", metavar="CITY")
@click.argument("slug", metavar="SLUG")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Where to write the .xlsx file.")
@with_appcontext
def export_xlsform(city_slug: str, slug: str, out: str) -> None:
    """Export survey SLUG of CITY as an XLSForm .xlsx."""
    with current_app.test_request_context():
        _export(city_slug, slug, out)


def _export(city_slug: str, slug: str, out: str) -> None:
    city = city_by_slug(city_slug)
    survey = services.survey_of(city, slug) if city is not None else None
    if survey is None:
        _fail(f"no survey {city_slug}/{slug}")
        return
    Path(out).write_bytes(transfer.export_survey(survey).getvalue())
    click.echo(f"Wrote {out}.")
