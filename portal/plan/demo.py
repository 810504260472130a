"""A fictional action plan for each demo city: three goals, a dozen activities, some from gaps."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import City, Stakeholder, Tie
from portal.plan import demo_events, services

GOALS = {
    "mk": ("Акциски план 2026", (
        ("Институционален капацитет на тимот и чинителите", (
            "Обука за упатување на ранливи млади", "Протокол за размена на информации",
            "Месечни состаноци на тимот", "Мапирање на услугите во општината")),
        ("Отпорност на заедницата", (
            "Дијалог меѓу соседствата", "Кампања против говор на омраза",
            "Обука за родители и наставници", "Заеднички културен фестивал")),
        ("Платформа за вклученост на младите", (
            "Младински совет на општината", "Волонтерска програма",
            "Дигитална писменост за млади", "Спортски турнир за мир")))),
    "ar": ("خطة العمل 2026", (
        ("القدرات المؤسسية للفريق والجهات المعنية", (
            "تدريب على إحالة الشباب المعرّضين للخطر", "بروتوكول لتبادل المعلومات",
            "اجتماعات شهرية للفريق", "رسم خريطة الخدمات في البلدية")),
        ("صمود المجتمع", (
            "حوار بين الأحياء", "حملة ضد خطاب الكراهية", "تدريب للأهل والمعلمين",
            "مهرجان ثقافي مشترك")),
        ("منصة لمشاركة الشباب", (
            "مجلس شباب البلدية", "برنامج تطوّع", "محو الأمية الرقمية للشباب",
            "دوري رياضي من أجل السلام")))),
}
STATUSES = ("done", "planned", "under_way", "planned")  # by position; the second one is late


def seed(cities: list[City]) -> None:
    """Give each demo city a plan and a year of events, unless it has them already."""
    for city in cities:
        if services.current_plan(city) is None:
            _seed_city(city)
    demo_events.seed(cities)


def _seed_city(city: City) -> None:
    title, goals = GOALS["ar" if city.default_locale == "ar" else "mk"]
    people = list(db.session.scalars(select(Stakeholder).where(
        Stakeholder.city_id == city.id, Stakeholder.archived_at.is_(None)).order_by(
        Stakeholder.id)))
    tied = {(t.source_id, t.target_id) for t in db.session.execute(
        select(Tie.source_id, Tie.target_id).where(Tie.city_id == city.id))}
    unlinked = [(a, b) for i, a in enumerate(people) for b in people[i + 1:]
                if (a.id, b.id) not in tied][::37][:3]
    team = services.team_users(city)
    services.start_plan(city, title, actor=None)
    start = date.today().replace(day=1) - timedelta(days=150)
    n = 0
    for position, (goal_title, activities) in enumerate(goals, start=1):
        goal = services.save_goal(city, None, {"title": goal_title, "position": position},
                                  actor=None)
        for i, activity_title in enumerate(activities):
            begins = start + timedelta(days=45 * i + 20 * position)
            partners = [p.id for p in people[(n * 3) % max(len(people), 1):][:3]]
            source = ""
            if position == 1 and i < len(unlinked):  # answers a gap: two actors with no tie
                a, b = unlinked[i]
                partners, source = [a.id, b.id], f"suggestion:introduction:{a.id}-{b.id}"
            services.save_activity(city, goal, None, {
                "title": activity_title, "status": STATUSES[i], "starts_on": begins,
                "ends_on": begins + timedelta(days=60),
                "owner_id": team[n % len(team)].id if team else None}, partners,
                actor=None, source=source)
            n += 1
