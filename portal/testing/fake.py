"""Synthetic survey responses for tests and benchmarks: fixed seed, bulk loads, in chunks."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, select, text

from portal.extensions import db
from portal.models import Choice, City, Question, Response, Survey

LIKERT = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")
ITEMS = (  # name, subscale, reversed
    ("bel_1", "belonging", False), ("bel_2", "belonging", False), ("bel_3", "belonging", True),
    ("bri_1", "bridging", False), ("bri_2", "bridging", True),
    ("lin_1", "linking", False), ("lin_2", "linking", False), ("lin_3", "linking", True),
    ("eff_1", "collective_efficacy", False), ("eff_2", "collective_efficacy", False),
    ("you_1", "youth_voice", False), ("you_2", "youth_voice", True),
    ("nv_1", "non_violence", False), ("nv_2", "non_violence", False),
)
DEMOGRAPHICS = {
    "age_band": ("a16_24", "a25_39", "a40_59", "a60"),
    "gender": ("woman", "man", "other"),
    "area": ("centre", "north", "south", "east", "west"),
}
ACTIVITIES = ("sport", "culture", "religious_free", "volunteering", "none")


def _choices(names: tuple[str, ...], likert: bool = False) -> list[Choice]:
    return [Choice(position=i, name=name, label={"en": name.replace("_", " ").capitalize()},
                   value=i + 1 if likert else None) for i, name in enumerate(names)]


def build_demo_survey(city: City, slug: str = "resilience-demo", wave: str = "Baseline") -> Survey:
    """Add a resilience survey with demographics, six subscales and a multi question."""
    survey = Survey(city_id=city.id, slug=slug, status="open", wave=wave, languages=["en"],
                    default_language="en", title={"en": f"Community resilience ({wave})"})
    position = 0
    for key, names in DEMOGRAPHICS.items():
        survey.questions.append(Question(
            position=position, name=key, qtype="single", label={"en": key.replace("_", " ")},
            demographic=key, prefer_not=True, choices=_choices(names)))
        position += 1
    for name, subscale, rev in ITEMS:
        survey.questions.append(Question(
            position=position, name=name, qtype="likert5", label={"en": f"Statement {name}"},
            subscale=subscale, reverse=rev, dont_know=True, prefer_not=True,
            choices=_choices(LIKERT, likert=True)))
        position += 1
    survey.questions.append(Question(
        position=position, name="activities", qtype="multi", label={"en": "Activities"},
        prefer_not=True, choices=_choices(ACTIVITIES)))
    survey.questions.append(Question(position=position + 1, name="comment", qtype="text",
                                     label={"en": "Anything else?"}))
    db.session.add(survey)
    db.session.flush()
    return survey


def _plan(survey: Survey) -> dict[str, Any]:
    """Question ids and choice ids by name, read once."""
    questions = db.session.scalars(select(Question).where(Question.survey_id == survey.id)).all()
    choice_rows = db.session.execute(
        select(Choice.question_id, Choice.id, Choice.value, Choice.position)
        .join(Question).where(Question.survey_id == survey.id).order_by(Choice.position)).all()
    choices: dict[int, list[tuple[int, int | None]]] = {}
    for qid, cid, value, _ in choice_rows:
        choices.setdefault(qid, []).append((cid, value))
    return {"questions": list(questions), "choices": choices}


def _chunk_rows(plan: dict[str, Any], ids: list[int], rng: np.random.Generator,
                shift: float) -> Iterator[tuple]:
    """Yield answer tuples (response_id, question_id, choice_id, value_int, reason)."""
    m = len(ids)
    latent = rng.normal(3.3 + shift, 0.8, m)
    for q in plan["questions"]:
        opts = plan["choices"].get(q.id, [])
        draw = rng.random(m).tolist()  # Python floats: indexing numpy per row is slow
        if q.qtype == "single":
            picks = rng.integers(0, len(opts), m).tolist()
            for rid, d, pick in zip(ids, draw, picks, strict=True):
                if d < 0.03:
                    yield (rid, q.id, None, None, "prefer_not")
                else:
                    yield (rid, q.id, opts[pick][0], None, None)
        elif q.qtype == "likert5":
            raw = np.clip(np.rint(latent + rng.normal(0, 0.9, m)), 1, 5).astype(int)
            points = (6 - raw if q.reverse else raw).tolist()
            by_value = {v: c for c, v in opts}
            for rid, d, p in zip(ids, draw, points, strict=True):
                if d < 0.02:
                    continue  # skipped
                if d < 0.06:
                    yield (rid, q.id, None, None, "dont_know")
                elif d < 0.08:
                    yield (rid, q.id, None, None, "prefer_not")
                else:
                    yield (rid, q.id, by_value.get(p), p, None)
        elif q.qtype == "multi":
            chosen = rng.random((m, len(opts))) < 0.3
            none_of = [len(opts) - 1]
            for i, (rid, d) in enumerate(zip(ids, draw, strict=True)):
                if d < 0.03:
                    yield (rid, q.id, None, None, "prefer_not")
                    continue
                picked = np.flatnonzero(chosen[i]).tolist() or none_of
                for j in picked:
                    yield (rid, q.id, opts[j][0], None, None)


RESPONSE_COLUMNS = ("id", "survey_id", "uuid", "answers_hash", "submitted_on")
ANSWER_COLUMNS = ("response_id", "question_id", "choice_id", "value_int", "missing_reason")


def _copy_rows(conn: Connection, table: str, columns: tuple[str, ...],
               rows: Iterable[tuple]) -> None:
    """Bulk-load rows: COPY on PostgreSQL (psycopg 3), else one executemany of tuples."""
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.close()
        return
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                         list(rows))


def insert_responses(survey: Survey, n: int, seed: int = 7, chunk: int = 20_000,
                     start: date = date(2025, 3, 3), days: int = 70,
                     shift: float = 0.0) -> int:
    """Insert n synthetic responses and their answers in the session's transaction."""
    rng = np.random.default_rng(seed)
    plan = _plan(survey)
    next_id = int(db.session.scalar(select(func.max(Response.id))) or 0) + 1
    conn = db.session.connection()
    # SQLite stores dates as ISO text (and its default date adapter is deprecated).
    as_day: Any = date.isoformat if conn.dialect.name == "sqlite" else (lambda d: d)
    done = 0
    while done < n:
        m = min(chunk, n - done)
        ids = list(range(next_id, next_id + m))
        offsets = rng.integers(0, days, m).tolist()
        _copy_rows(conn, "survey_response", RESPONSE_COLUMNS, [
            (rid, survey.id, str(uuid.UUID(int=int(rng.integers(0, 2**62)) << 64 | rid)),
             "synthetic", as_day(start + timedelta(days=off)))
            for rid, off in zip(ids, offsets, strict=True)])
        _copy_rows(conn, "survey_answer", ANSWER_COLUMNS, _chunk_rows(plan, ids, rng, shift))
        next_id += m
        done += m
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT setval(pg_get_serial_sequence('survey_response', 'id'), "
                          "(SELECT max(id) FROM survey_response))"))
    return done
