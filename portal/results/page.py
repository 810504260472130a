"""One survey's results page body, rendered once per state of its data and kept per app.

A warm view costs two small queries (the aggregates' state, the responses above its mark)
and a lookup: the key holds everything the body shows — the survey's content revision, the
city's name and threshold, the language, whether the microdata button shows, the URL root,
and the state of the data (the aggregates' version and mark, the number and last id of the
responses above the mark). A new, deleted or changed response changes the key (the latter
two through the aggregates' triggers), so an entry is never stale, on any app server.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from sqlalchemy import func, select

from portal.extensions import db
from portal.memo import Memo, app_memo
from portal.models import City, Response, ResultsAggregate, Survey
from portal.results.services import survey_condition

PAGES = "portal.results_pages"


def memo_for(app: Flask) -> Memo:
    """Return this app's memo of results page bodies."""
    return app_memo(app, PAGES, size=64)


def survey_row(city: City, key: str) -> Survey | None:
    """Find a city's survey by slug or id without its questions (a warm view needs none)."""
    return db.session.scalars(select(Survey).where(Survey.city_id == city.id,
                                                   survey_condition(key))).first()


def data_key(survey: Survey, language: str, microdata: bool) -> tuple[Any, ...] | None:
    """Return the key of a survey's page body, None while its aggregates are stale."""
    state = db.session.execute(select(
        ResultsAggregate.version, ResultsAggregate.mark, ResultsAggregate.plan_key).where(
        ResultsAggregate.survey_id == survey.id)).first()
    if state is None or not state.plan_key:
        return None
    newer = db.session.execute(select(func.count(), func.max(Response.id)).where(
        Response.survey_id == survey.id, Response.id > state.mark)).one()
    city = survey.city
    return (survey.id, survey.revision, survey.slug, city.slug, city.name,
            city.disclosure_threshold, language, microdata, request.script_root,
            state.version, state.mark, state.plan_key, int(newer[0]), newer[1])
