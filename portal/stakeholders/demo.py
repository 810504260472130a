"""A fictional stakeholder map for each demo city, with the gaps a real city has.

Gaps built in: a religious institution tied to nobody; a community NGO of an outlying area
reached only through one youth worker; no tie between schools and police; no path from the
municipality to the national committee in the baseline, and one in the follow-up.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from portal.extensions import db
from portal.models import City, MappingRound, Stakeholder
from portal.stakeholders import rounds, services, ties
from portal.stakeholders.ties import TieEntry

# Roles the gaps hang on (index keys into the name tables below).
HUB, COMMITTEE, MINISTRY, UNTIED, OUTLYING, WORKER = (
    "hub", "committee", "ministry", "untied", "outlying", "worker")

# (key or "", name, sector, level, area index or None). Every name is invented.
MK = [
    (HUB, "Општина – Сектор за социјални работи", "municipality", "local", 0),
    ("", "Општина – Одделение за образование", "municipality", "local", 0),
    ("", "Komuna – Sektori për rini dhe sport", "municipality", "local", 0),
    ("", "Совет на општината – Комисија за безбедност", "municipality", "local", 0),
    ("", "Основно училиште бр. 1", "education", "local", 0),
    ("", "Основно училиште бр. 3 – училишен психолог", "education", "local", 1),
    ("", "Shkolla fillore nr. 5", "education", "local", 1),
    ("", "Средно општинско училиште", "education", "local", 0),
    ("", "Shkolla e mesme profesionale", "education", "local", 1),
    (UNTIED, "Црковен одбор „Св. Ѓорѓи“", "religious", "local", 2),
    ("", "Këshilli i xhamisë së lagjes", "religious", "local", 1),
    ("", "Верски совет на градот", "religious", "local", 0),
    ("", "Младински центар", "youth", "local", 0),
    (WORKER, "Младински работник на терен / Punonjës rinor në terren", "youth", "local", 2),
    ("", "Qendra rinore multikulturore", "youth", "local", 1),
    ("", "Скаутски одред", "youth", "local", 0),
    ("", "Klubi sportiv i të rinjve", "youth", "local", 1),
    ("", "Полициска станица – одделение за превенција", "police", "local", 0),
    ("", "Policia e bashkësisë (polic i lagjes)", "police", "local", 1),
    ("", "Здравствен дом", "health", "local", 0),
    ("", "Qendra për shëndet mendor", "health", "local", 0),
    ("", "Патронажна служба", "health", "local", 2),
    ("", "Центар за социјална работа", "social", "local", 0),
    ("", "Qendra ditore për fëmijë", "social", "local", 1),
    ("", "Советувалиште за семејства", "social", "local", 0),
    ("", "Здружение на жени „Иднина“", "civil_society", "local", 0),
    ("", "Organizata joqeveritare „Ura“", "civil_society", "local", 1),
    ("", "Здружение за човекови права и дијалог меѓу заедниците во градот и околните села",
     "civil_society", "local", 0),
    (OUTLYING, "Здружение на граѓани Горно Поле / Shoqata e fshatit Fusha e Epërme",
     "civil_society", "local", 2),
    ("", "Локална телевизија", "media", "local", 0),
    ("", "Radio lokale „Zëri“", "media", "local", 1),
    ("", "Портал за локални вести", "media", "local", 0),
    (COMMITTEE, "Национален комитет за спречување на насилен екстремизам",
     "national_government", "national", None),
    (MINISTRY, "Министерство за социјална политика", "national_government", "national", None),
    ("", "Ministria e Arsimit – zyra rajonale", "national_government", "national", None),
    ("", "Министерство за внатрешни работи – регионален центар", "national_government",
     "national", None),
    ("", "Меѓународна фондација за мир (измислена)", "international", "international", None),
    ("", "Programi ndërkombëtar për të rinjtë", "international", "international", None),
    ("", "Стопанска комора – регионална канцеларија", "private", "local", 0),
    ("", "Biznesi lokal për punësim", "private", "local", 1),
    ("", "Пекарница „Кај Мирко“", "private", "local", 0),
    ("", "Претседател на месна заедница Центар", "community_leader", "local", 0),
    ("", "Kryetari i bashkësisë lokale Lagja e Re", "community_leader", "local", 1),
    ("", "Претседател на месна заедница Горно Поле", "community_leader", "local", 2),
    ("", "Градска библиотека", "other", "local", 0),
    ("", "Културен центар", "other", "local", 0),
]
MK_AREAS = ("Центар / Qendra", "Ново Маало / Lagja e Re", "Горно Поле / Fusha e Epërme")

AR = [
    (HUB, "البلدية – قسم الشؤون الاجتماعية", "municipality", "local", 0),
    ("", "البلدية – لجنة التعليم", "municipality", "local", 0),
    ("", "مكتب رئيس البلدية", "municipality", "local", 0),
    ("", "المجلس البلدي – لجنة السلامة", "municipality", "local", 0),
    ("", "مدرسة الزيتون الابتدائية", "education", "local", 0),
    ("", "مدرسة النور الثانوية – المرشد التربوي", "education", "local", 1),
    ("", "مدرسة البنات الإعدادية", "education", "local", 1),
    ("", "المدرسة المهنية", "education", "local", 0),
    ("", "روضة الأطفال البلدية", "education", "local", 1),
    (UNTIED, "لجنة مسجد الحي القديم", "religious", "local", 2),
    ("", "لجنة الكنيسة", "religious", "local", 0),
    ("", "مجلس المسجد الكبير", "religious", "local", 0),
    ("", "مركز الشباب", "youth", "local", 0),
    (WORKER, "عامل شبابي ميداني", "youth", "local", 2),
    ("", "فرقة الكشافة", "youth", "local", 1),
    ("", "نادي الشباب الرياضي", "youth", "local", 1),
    ("", "منتدى الشباب للحوار", "youth", "local", 0),
    ("", "مخفر الشرطة – وحدة الوقاية", "police", "local", 0),
    ("", "الشرطة المجتمعية", "police", "local", 1),
    ("", "مركز الرعاية الصحية الأولية", "health", "local", 0),
    ("", "عيادة الصحة النفسية", "health", "local", 0),
    ("", "فريق الإسعاف المحلي", "health", "local", 1),
    ("", "مركز الخدمات الاجتماعية", "social", "local", 0),
    ("", "مركز رعاية الأسرة", "social", "local", 1),
    ("", "دار رعاية الأطفال", "social", "local", 0),
    ("", "جمعية النساء للتنمية", "civil_society", "local", 0),
    ("", "منظمة الحوار المدني", "civil_society", "local", 1),
    ("", "جمعية حقوق الإنسان والحوار بين سكان المدينة والقرى المحيطة بها", "civil_society",
     "local", 0),
    (OUTLYING, "جمعية أهالي قرية العين", "civil_society", "local", 2),
    ("", "إذاعة المدينة المحلية", "media", "local", 0),
    ("", "صفحة أخبار المدينة", "media", "local", 0),
    ("", "صحيفة الحي", "media", "local", 1),
    (COMMITTEE, "اللجنة الوطنية لمنع التطرف العنيف", "national_government", "national", None),
    (MINISTRY, "وزارة الشؤون الاجتماعية", "national_government", "national", None),
    ("", "وزارة التربية – المديرية الإقليمية", "national_government", "national", None),
    ("", "وزارة الداخلية – المكتب الإقليمي", "national_government", "national", None),
    ("", "منظمة دولية للسلام (وهمية)", "international", "international", None),
    ("", "برنامج دولي لدعم الشباب", "international", "international", None),
    ("", "غرفة التجارة المحلية", "private", "local", 0),
    ("", "شركة توظيف محلية", "private", "local", 1),
    ("", "مخبز الحي", "private", "local", 0),
    ("", "مختار الحي الشرقي", "community_leader", "local", 1),
    ("", "رئيس لجنة الحي الغربي", "community_leader", "local", 0),
    ("", "مختار قرية العين", "community_leader", "local", 2),
    ("", "المكتبة العامة", "other", "local", 0),
    ("", "المركز الثقافي", "other", "local", 0),
]
AR_AREAS = ("وسط المدينة", "الحي الشرقي", "قرية العين")


def _allowed(a: tuple, b: tuple) -> bool:
    """Return False for the pairs the built-in gaps forbid in the baseline."""
    if {a[0], b[0]} & {UNTIED, OUTLYING}:
        return False
    if {a[2], b[2]} == {"education", "police"}:
        return False
    return (a[3] == "local") == (b[3] == "local")


def _baseline(rows: list[tuple], rng: random.Random) -> list[tuple[int, int, str, str]]:
    """Return (i, j, kind, frequency) of the baseline ties between row indexes."""
    kinds, freqs = ("information", "referral", "joint_activity", "funding", "agreement"), (
        "weekly", "monthly", "quarterly", "yearly")
    key = {r[0]: i for i, r in enumerate(rows) if r[0]}
    links: set[tuple[int, int]] = set()
    for i, row in enumerate(rows):
        partners = [j for j in range(len(rows)) if j != i and _allowed(row, rows[j])]
        for j in rng.sample(partners, k=min(len(partners), 2 if row[3] == "local" else 1)):
            links.add((min(i, j), max(i, j)))
        if (row[3] == "local" and _allowed(row, rows[key[HUB]]) and i != key[HUB]
                and rng.random() < .4):
            links.add((min(i, key[HUB]), max(i, key[HUB])))
    links.add(tuple(sorted((key[WORKER], key[OUTLYING]))))  # type: ignore[arg-type]
    links.add(tuple(sorted((key[WORKER], key[HUB]))))  # type: ignore[arg-type]
    links.add(tuple(sorted((key[COMMITTEE], key[MINISTRY]))))  # type: ignore[arg-type]
    return [(i, j, rng.choice(kinds), rng.choice(freqs)) for i, j in sorted(links)]


def _add(city: City, people: list[Stakeholder], round_: MappingRound,
         links: list[tuple[int, int, str, str]]) -> None:
    for i, j, kind, frequency in links:
        ties.add_ties(city, people[i], round_, [TieEntry(people[j].id, kind, frequency)],
                      actor=None)


def seed_city(city: City) -> None:
    """Give one demo city its map, unless it already has stakeholders."""
    if db.session.scalar(select(Stakeholder.id).where(Stakeholder.city_id == city.id).limit(1)):
        return
    arabic = city.default_locale == "ar"
    rows, area_names = (AR, AR_AREAS) if arabic else (MK, MK_AREAS)
    areas = [services.add_area(city, name, actor=None) for name in area_names]
    people = [services.create_stakeholder(city, {
        "name": name, "sector": sector, "level": level,
        "area_id": areas[area].id if area is not None else None,
        "is_team_member": key in (HUB, WORKER),
        "contact_email": f"contact{n}@{city.slug}.demo.example" if n % 5 == 0 else "",
    }, actor=None) for n, (key, name, sector, level, area) in enumerate(rows)]
    rng = random.Random(city.slug)
    baseline = rounds.create_round(city, "خط الأساس" if arabic else "Почетна состојба / Baseline",
                                   date(2025, 2, 1), actor=None)
    _add(city, people, baseline, _baseline(rows, rng))
    follow = rounds.create_round(city, "المتابعة" if arabic else "Следење / Follow-up",
                                 date(2025, 9, 1), copy_from=baseline, actor=None)
    key = {r[0]: i for i, r in enumerate(rows) if r[0]}
    _add(city, people, follow, [(key[HUB], key[MINISTRY], "agreement", "quarterly")])


def seed(cities: list[City]) -> None:
    """Seed every demo city's stakeholder map (idempotent)."""
    for city in cities:
        seed_city(city)
    db.session.flush()
