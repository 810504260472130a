"""`flask --app portal results …`: bring the results aggregates up to date."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.extensions import db
from portal.models import Survey
from portal.results.aggregates import refresh_aggregates


@click.group("results")
def results() -> None:
    """Survey results: the per-survey aggregates the results pages read."""


@results.command("refresh")
@click.option("--survey", "survey_ids", multiple=True, type=int,
              help="A survey id (repeat for several; default: every survey).")
@with_appcontext
def refresh(survey_ids: tuple[int, ...]) -> None:
    """Fold the responses that came since the last refresh into the aggregates."""
    ids = list(survey_ids) or list(db.session.scalars(select(Survey.id).order_by(Survey.id)))
    for survey_id in ids:
        folded = refresh_aggregates(survey_id)
        if folded is None:
            click.echo(f"Error: no survey with id {survey_id}.", err=True)
            db.session.rollback()
            sys.exit(1)
        db.session.commit()
        click.echo(f"Survey {survey_id}: {folded} new responses folded in.")
