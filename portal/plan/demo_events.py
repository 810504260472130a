"""A year of fictional meetings and trainings per demo city, with attendance by stakeholder.

A core of the first stakeholders comes to every monthly meeting, so some pairs meet a dozen
times without a working tie on the map: the events page's comparison has something to show.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlalchemy import select

from portal.extensions import db
from portal.models import City, Event, PlanActivity, Stakeholder
from portal.plan import events

TEXTS: dict[str, dict[str, Any]] = {
    "mk": {
        "meeting": "Месечен состанок на тимот",
        "trainings": ("Обука: упатување на ранливи млади", "Обука: говор на омраза на интернет",
                      "Обука: работа со родители", "Обука: медиумска писменост"),
        "workshop": "Работилница за акцискиот план",
        "joint": "Заедничка акција: уредување на паркот кај училиштето",
        "places": ("Сала на општината", "Младински центар"),
        "topics": "Преглед на акцискиот план; упатувања; следни чекори",
    },
    "ar": {
        "meeting": "الاجتماع الشهري للفريق",
        "trainings": ("تدريب: إحالة الشباب المعرّضين للخطر", "تدريب: خطاب الكراهية على الإنترنت",
                      "تدريب: العمل مع الأهل", "تدريب: التربية الإعلامية"),
        "workshop": "ورشة عمل حول خطة العمل",
        "joint": "نشاط مشترك: تأهيل الحديقة قرب المدرسة",
        "places": ("قاعة البلدية", "مركز الشباب"),
        "topics": "مراجعة خطة العمل؛ الإحالات؛ الخطوات التالية",
    },
}


def seed(cities: list[City], today: date | None = None) -> None:
    """Give each demo city a year of events, unless it has some already."""
    for city in cities:
        if db.session.scalar(select(Event.id).where(Event.city_id == city.id).limit(1)) is None:
            _seed_city(city, today or date.today())


def _month_day(today: date, months_ago: int, day: int = 10) -> date:
    months = today.year * 12 + today.month - 1 - months_ago
    return date(months // 12, months % 12 + 1, day)


def _schedule(texts: dict[str, Any], today: date) -> list[tuple[str, str, date, str]]:
    """Return (kind, title, date, place) of a year: monthly meetings, quarterly trainings,
    a workshop and a joint activity."""
    meeting_place, other_place = texts["places"]
    out = [("meeting", texts["meeting"], _month_day(today, m), meeting_place)
           for m in range(12, 0, -1)]
    out += [("training", title, _month_day(today, 11 - 3 * q, 20), other_place)
            for q, title in enumerate(texts["trainings"])]
    out.append(("workshop", texts["workshop"], _month_day(today, 7, 15), meeting_place))
    out.append(("joint_activity", texts["joint"], _month_day(today, 2, 25), other_place))
    return out


def _seed_city(city: City, today: date) -> None:
    texts = TEXTS["ar" if city.default_locale == "ar" else "mk"]
    people = [s.id for s in db.session.scalars(select(Stakeholder).where(
        Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None),
        Stakeholder.erased_at.is_(None)).order_by(Stakeholder.id))]
    if not people:
        return
    activities = {a.title: a.id for a in db.session.scalars(select(PlanActivity).where(
        PlanActivity.city_id == city.id))}
    # The plan's "monthly meetings" and first training activity, when the demo plan has them.
    meeting_activity = next((i for t, i in activities.items() if t in (
        "Месечни состаноци на тимот", "اجتماعات شهرية للفريق")), None)
    training_activity = next((i for t, i in activities.items() if t in (
        "Обука за упатување на ранливи млади", "تدريب على إحالة الشباب المعرّضين للخطر")), None)
    pick = random.Random(f"events-{city.slug}")  # fixed seed: the same demo every time
    core = people[:6]
    for kind, title, day, place in _schedule(texts, today):
        linked = meeting_activity if kind == "meeting" else (
            training_activity if kind == "training" else None)
        event = events.save_event(city, None, {
            "kind": kind, "title": title, "held_on": day, "place": place,
            "topics": texts["topics"] if kind == "meeting" else "", "activity_id": linked},
            actor=None)
        others = [p for p in people if p not in core]
        guests = pick.sample(others, min(len(others), pick.randint(2, 6)))
        chosen = (core if kind == "meeting" else pick.sample(core, min(len(core), 3))) + guests
        events.set_attendance(city, event, chosen, actor=None)
