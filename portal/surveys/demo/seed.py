"""Seed the demo resident survey (eight languages) and synthetic answers in every demo city:
an earlier, closed wave (the baseline) and the open wave (the follow-up)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from portal.auth import devices
from portal.auth import services as accounts
from portal.extensions import db
from portal.models import Area, City, EnumeratorDevice, Survey
from portal.surveys.answering.answers import Value
from portal.surveys.answering.store import store_response
from portal.surveys.authoring.convert import survey_from_spec
from portal.surveys.demo import content
from portal.surveys.xlsform import spec as specs

SLUG = "living-together"
# The earlier wave, closed a year before seeding, so that the plan's survey outcomes, its
# progress report and the results' wave comparison have a closed wave to show and compare.
BASELINE_SLUG, BASELINE_WAVE, FOLLOW_UP_WAVE = (
    "living-together-baseline", "Baseline (demo)", "Follow-up (demo)")
# In the baseline about one scored answer in seven stands one point lower on the index than the
# follow-up's would: a small change, as between two real waves a year apart.
BASELINE_SHIFT = 0.15
DEMO_RESPONSES = 36  # synthetic, so that results pages have something above the threshold
# A third each as if collected online, on an enumerator's device, and typed in from paper, so
# the results' collection-mode breakdown shows (12 per mode: above the demo's k = 10).
DEMO_MODES = ("web", "device", "paper")
# Zelenovo's demo enumerator carries one ODK Collect device, with fixed demo credentials (a
# real device's are random and shown once): README, "Demo logins".
DEMO_DEVICE = ("zelenovo", "enumerator@demo.lpn.example", "Demo tablet", "zelenovo-demo",
               "demo-device-pass")


def _texts(values: tuple[str, ...]) -> dict[str, str]:
    """Zip a tuple of wordings with the language codes."""
    return dict(zip(content.LANGS, values, strict=True))


def _same(text: str) -> dict[str, str]:
    """Return one text for every language (numbers, place names)."""
    return {code: text for code in content.LANGS}


def _likert(name: str, section: str, subscale: str, reverse: bool, prefer_not: bool,
            wording: tuple[str, ...]) -> specs.Question:
    points = [{"name": str(i + 1), "label": {code: content.LIKERT[n][i]
                                             for n, code in enumerate(content.LANGS)}}
              for i in range(5)]
    return specs.new_question(
        name, "likert5", section=section, section_label=_texts(content.SECTIONS[section]),
        label=_texts(wording), choices=points, subscale=subscale, reverse=reverse,
        dont_know=True, prefer_not=prefer_not)


def _area_choices(city: City) -> list[specs.Choice]:
    """Return the city's own areas, or generic compass areas when it has none."""
    areas = db.session.scalars(select(Area).where(Area.city_id == city.id).order_by(Area.name))
    own: list[specs.Choice] = [{"name": f"area_{a.id}", "label": _same(a.name)} for a in areas]
    return own or [{"name": n, "label": _texts(t)} for n, t in content.AREA_DEFAULTS]


def _about_you(city: City) -> list[specs.Question]:
    section = {"section": "about_you", "section_label": _texts(content.SECTIONS["about_you"])}
    ages: list[specs.Choice] = [{"name": n, "label": _same(t)} for n, t in content.AGE_BANDS]
    ages[-1]["label"]["ar"] = content.AGE_65_AR
    return [
        specs.new_question("age_band", "single", label=_texts(content.AGE), choices=ages,
                           **section),
        specs.new_question("gender", "single", label=_texts(content.GENDER), prefer_not=True,
                           choices=[{"name": n, "label": _texts(t)}
                                    for n, t in content.GENDER_CHOICES], **section),
        specs.new_question("area", "single", label=_texts(content.AREA),
                           choices=_area_choices(city), **section),
    ]


def demo_spec(city: City) -> specs.Survey:
    """Return the demo survey as a spec, default language the city's."""
    questions = [_likert(*item) for item in content.ITEMS]
    questions.append(specs.new_question(
        "help_seeking", "multi", section="dialogue",
        section_label=_texts(content.SECTIONS["dialogue"]), label=_texts(content.HELP),
        hint=_texts(content.HELP_HINT), prefer_not=True,
        choices=[{"name": n, "label": _texts(t)} for n, t in content.HELP_CHOICES]))
    questions += _about_you(city)
    default = city.default_locale if city.default_locale in content.LANGS else "en"
    return {"form_id": "living_together", "title": _texts(content.TITLE),
            "default_language": default, "languages": list(content.LANGS),
            "questions": questions, "notices": []}


def _synthetic_answers(survey: Survey, rng: random.Random,
                       shift: float = 0.0) -> dict[str, Value]:
    """Return one plausible, invented set of compact answers; with `shift`, that share of the
    scored answers one point lower on the index (higher on a reverse-scored item)."""
    answers: dict[str, Value] = {}
    for question in survey.questions:
        roll = rng.random()
        if roll < 0.08:
            continue
        if question.qtype == "likert5":
            value = rng.choice([2, 3, 4, 4, 5])
            if shift and rng.random() < shift:
                value = min(5, value + 1) if question.reverse else max(1, value - 1)
            answers[str(question.id)] = "dk" if roll < 0.12 else value
        elif question.qtype == "single":
            answers[str(question.id)] = rng.choice(question.choices).id
        elif question.qtype == "multi":
            picked = rng.sample(question.choices, k=rng.randint(1, 3))
            answers[str(question.id)] = sorted(c.id for c in picked)
    return answers


def _new_wave(city: City, slug: str, wave: str) -> Survey | None:
    """Create one wave of the demo survey in a city, unless a survey of that slug exists."""
    if db.session.scalar(select(Survey.id).where(Survey.city_id == city.id,
                                                 Survey.slug == slug)) is not None:
        return None
    survey = survey_from_spec(demo_spec(city), city, slug, wave=wave,
                              consent=_texts(content.PURPOSE),
                              demographics={"age_band": "age_band", "gender": "gender",
                                            "area": "area"})
    survey.status = "open"
    db.session.add(survey)
    db.session.flush()
    return survey


def _answer(survey: Survey, rng: random.Random, start: date, shift: float = 0.0) -> None:
    """Store DEMO_RESPONSES synthetic responses over 30 days from `start`, a third per mode."""
    for number in range(DEMO_RESPONSES):
        store_response(survey, str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                       _synthetic_answers(survey, rng, shift),
                       start + timedelta(days=rng.randint(0, 29)),
                       mode=DEMO_MODES[number % len(DEMO_MODES)])


def seed_city(city: City) -> Survey | None:
    """Create the open demo survey in a city (with synthetic answers) unless it exists."""
    survey = _new_wave(city, SLUG, FOLLOW_UP_WAVE)
    if survey is not None:
        _answer(survey, random.Random(f"{city.slug}-demo"), date.today() - timedelta(days=30))
    return survey


def seed_baseline(city: City) -> Survey | None:
    """Create the earlier, closed wave in a city (answered a year ago) unless it exists."""
    survey = _new_wave(city, BASELINE_SLUG, BASELINE_WAVE)
    if survey is None:
        return None
    start = date.today() - timedelta(days=395)
    _answer(survey, random.Random(f"{city.slug}-demo-baseline"), start, BASELINE_SHIFT)
    survey.opens_on, survey.closes_on, survey.status = start, start + timedelta(days=30), "closed"
    # Its creation too lies before the follow-up's, so every "oldest first" agrees.
    survey.created_at = datetime.combine(start, time(9), tzinfo=UTC)
    db.session.flush()
    return survey


def seed_device(cities: list[City]) -> EnumeratorDevice | None:
    """Give the demo enumerator their ODK Collect device unless it exists (or they do not)."""
    slug, email, label, username, secret = DEMO_DEVICE
    city = next((c for c in cities if c.slug == slug), None)
    user = accounts.user_by_email(email)
    if city is None or user is None or db.session.scalar(
            select(EnumeratorDevice.id).where(EnumeratorDevice.username == username)):
        return None
    device, _random_secret = devices.create_device(city, user, label, actor=None)
    device.username, device.token_hash = username, devices.hash_secret(secret)
    db.session.flush()
    return device


def seed(cities: list[City]) -> None:
    """Seed the demo survey in every demo city (idempotent)."""
    for city in cities:
        seed_city(city)
    # After every open wave, so that those keep ids 1-4 on a fresh database (docs/api.md).
    for city in cities:
        seed_baseline(city)
    seed_device(cities)
