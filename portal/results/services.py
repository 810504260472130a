"""Results data for pages, exports and the API: a few GROUP BY queries, then disclosure control."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from portal.analysis.disclosure import check_k, filtered_total, strip_reasons
from portal.analysis.scoring import difference
from portal.extensions import db
from portal.ids import parse_id
from portal.models import COLLECTION_MODES, City, Question, Region, Survey
from portal.results import aggregates, queries
from portal.results.counts import Counts
from portal.results.tables import question_table, subscale_tables, weekly_table
from portal.surveys.labels import MODE_LABELS, subscale_label

PUBLISHED_STATUSES = ("open", "closed")


def threshold(city: City) -> int:
    """Return the city's disclosure threshold k (never below 5)."""
    return check_k(int(city.disclosure_threshold or 10))


def survey_in_city(city: City, key: str) -> Survey | None:
    """Find a city's survey by slug (or numeric id), with questions and choices loaded."""
    query = select(Survey).where(Survey.city_id == city.id).options(
        selectinload(Survey.questions).selectinload(Question.choices))
    return db.session.scalars(query.where(survey_condition(key))).first()


def survey_condition(key: str) -> ColumnElement[bool]:
    """Return the condition a survey's slug (or numeric id) in an address gives."""
    condition = Survey.slug == key
    survey_id = parse_id(key)
    if survey_id is not None:
        condition = condition | (Survey.id == survey_id)
    return condition


def survey_by_id(survey_id: int) -> Survey | None:
    """Find a survey by id with its questions, choices and city loaded."""
    return db.session.scalars(
        select(Survey).where(Survey.id == survey_id).options(
            selectinload(Survey.questions).selectinload(Question.choices),
            selectinload(Survey.city))
    ).first()


def city_surveys(city: City) -> list[dict[str, Any]]:
    """List a city's surveys with their response counts, suppressed below k."""
    k = threshold(city)
    rows = db.session.execute(queries.survey_counts_query(city.id)).all()
    return [{"survey": survey, "responses": filtered_total(int(n), k)} for survey, n in rows]


def _survey_info(survey: Survey, language: str) -> dict[str, Any]:
    return {"id": survey.id, "slug": survey.slug, "wave": survey.wave,
            "title": survey.text("title", language), "status": survey.status,
            "city": survey.city.slug}


def subscale_results(survey: Survey, k: int, counts: Counts | None = None,
                     language: str = "en") -> list[dict[str, Any]]:
    """Return the subscale summaries of a survey with their demographic breakdowns."""
    plan = aggregates.survey_plan(survey)
    if not plan.subscales:
        return []
    counts = counts if counts is not None else aggregates.current_counts(plan)
    if counts.other_modes:
        plan = replace(plan, by_mode=True)
    by_id = {q.id: q for q in survey.questions}
    fallback = survey.default_language
    demo_choices: dict[str, list[tuple[Any, str, str]]] = {
        key: [(str(c.id), c.name, c.text(language, fallback)) for c in by_id[qid].choices]
        for key, qid in plan.demographics.items()
    }
    demo_choices["collection_mode"] = [(mode, mode, str(MODE_LABELS[mode]))
                                       for mode in COLLECTION_MODES]
    return subscale_tables(plan, counts.moments, demo_choices, k)


def _question_tables(survey: Survey, plan: queries.Plan, counts: Counts, k: int,
                     language: str) -> list[dict[str, Any]]:
    """Return the distribution of every choice question."""
    grouped: dict[int, list[tuple[Any, Any, Any, int]]] = defaultdict(list)
    for (qid, choice_id, value_int, missing), n in counts.answers.items():
        grouped[qid].append((choice_id, value_int, missing, n))
    return [
        question_table(q, grouped.get(q.id, []), counts.responses, counts.multi.get(q.id, 0),
                       k, language)
        for q in survey.questions if q.id in plan.choice_questions
    ]


def survey_results(survey: Survey, language: str = "en",
                   counts: Counts | None = None) -> dict[str, Any]:
    """Return the public results of a survey: every aggregate suppressed, reasons stripped.

    The counts come from the survey's aggregates (portal.results.aggregates); a test passes
    the raw GROUP BY's (portal.results.counts.counts_between) to compare.
    """
    k = threshold(survey.city)
    plan = aggregates.survey_plan(survey)
    counts = counts if counts is not None else aggregates.current_counts(plan)
    weekly = weekly_table(counts.weekly_rows(), k)
    data = {
        "survey": _survey_info(survey, language),
        "k": k,
        "respondents": weekly["total"],
        "weekly": weekly["weeks"],
        "questions": _question_tables(survey, plan, counts, k, language),
        "subscales": subscale_results(survey, k, counts, language),
    }
    return strip_reasons(data)


def compare_waves(baseline: Survey, follow_up: Survey, language: str = "en") -> dict[str, Any]:
    """Return follow-up minus baseline per subscale, overall and per group large enough."""
    k = threshold(baseline.city)
    before = {s["name"]: s for s in subscale_results(baseline, k, language=language)}
    after = {s["name"]: s for s in subscale_results(follow_up, k, language=language)}
    subscales = []
    for name in [n for n in after if n in before]:
        a, b = after[name], before[name]
        groups = []
        for key, gb, ga in _matching_groups(b, a):
            groups.append({"breakdown": key, "key": ga["key"], "label": ga["label"],
                           "baseline": gb["summary"], "follow_up": ga["summary"],
                           "difference": difference(ga["summary"], gb["summary"])})
        subscales.append({"name": name, "label": a["label"], "baseline": b["overall"],
                          "follow_up": a["overall"],
                          "difference": difference(a["overall"], b["overall"]),
                          "groups": groups})
    return strip_reasons({"k": k, "baseline": _survey_info(baseline, language),
                          "follow_up": _survey_info(follow_up, language),
                          "subscales": subscales})


def _matching_groups(before: dict[str, Any], after: dict[str, Any]) -> list[tuple]:
    """Pair the groups of two waves by breakdown and choice name."""
    pairs = []
    old = {(bd["key"], g["key"]): g for bd in before["breakdowns"] for g in bd["groups"]}
    for bd in after["breakdowns"]:
        for group in bd["groups"]:
            match = old.get((bd["key"], group["key"]))
            if match is not None and group["key"] != "not_stated":
                pairs.append((bd["key"], match, group))
    return pairs


def region_results(region: Region, language: str = "en") -> dict[str, Any]:
    """Return each city's latest published survey's subscale indices, cities by name."""
    cities = sorted(region.cities, key=lambda c: c.name.casefold())
    rows, names = [], []
    for city in cities:
        survey = db.session.scalars(
            select(Survey).where(Survey.city_id == city.id,
                                 Survey.status.in_(PUBLISHED_STATUSES))
            .options(selectinload(Survey.questions).selectinload(Question.choices))
            .order_by(Survey.created_at.desc(), Survey.id.desc())).first()
        subscales = (subscale_results(survey, threshold(city), language=language)
                     if survey else [])
        by_name = {s["name"]: s["overall"] for s in subscales}
        names += [s for s in by_name if s not in names]
        rows.append({"city": {"slug": city.slug, "name": city.name, "k": threshold(city)},
                     "survey": _survey_info(survey, language) if survey else None,
                     "subscales": by_name})
    return strip_reasons({"region": {"slug": region.slug, "name": region.name},
                          "subscales": [{"name": n, "label": subscale_label(n)} for n in names],
                          "cities": rows})
