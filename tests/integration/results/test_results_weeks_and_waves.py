"""Results in every language: ISO weeks formatted with Babel per locale, and the wave
comparison's defaults (the last two closed waves, never a draft)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from portal.extensions import db
from portal.testing import fake


@pytest.fixture
def city(make_city):
    return make_city(slug="kumanovo", name="Kumanovo")


@pytest.mark.parametrize(("lang", "label"), [
    ("en", "week 45 of 2026"), ("mk", "45. седмица од 2026"), ("sq", "java 45 e 2026"),
    ("sr", "45. недеља у 2026."), ("tr", "2026 yılının 45. haftası"),
    ("ar", "الأسبوع 45 من سنة 2026"), ("rom", "kurko 45 ko berš 2026")])
def test_week_labels_are_formatted_for_the_page_language(client, login, make_user, city,
                                                         make_survey, lang, label):
    survey = make_survey(city)
    fake.insert_responses(survey, 12, start=date(2026, 11, 2), days=7)
    db.session.commit()
    login(make_user("member", city=city))
    page = client.get(f"/c/kumanovo/results/resilience?lang={lang}").get_data(as_text=True)
    assert f'<time datetime="2026-W45">{label}</time>' in page
    assert "W45-2026" not in page and ">2026-W45<" not in page


def _selected(page: str, name: str) -> tuple[list[str], str | None]:
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert block, page
    options = re.findall(r'value="([^"]+)"', block.group(1))
    chosen = re.search(r'<option selected value="([^"]+)"', block.group(1))
    return options, chosen.group(1) if chosen else None


def test_wave_comparison_defaults_to_the_last_two_closed_waves(client, login, make_user, city,
                                                               make_survey):
    waves = {}
    for slug, status, closed in [("w2024", "closed", date(2024, 6, 1)),
                                 ("w2026", "closed", date(2026, 6, 1)),
                                 ("w2025", "closed", date(2025, 6, 1)),
                                 ("now", "open", None), ("next", "draft", None)]:
        waves[slug] = make_survey(city, slug=slug, wave=slug)
        waves[slug].status, waves[slug].closes_on = status, closed
    db.session.commit()
    login(make_user("member", city=city))
    for address in ("/c/kumanovo/results", "/c/kumanovo/results/waves"):
        page = client.get(address).get_data(as_text=True)
        options, baseline = _selected(page, "baseline")
        _options, follow_up = _selected(page, "follow_up")
        assert (baseline, follow_up) == ("w2025", "w2026")
        assert "next" not in options and sorted(options) == ["now", "w2024", "w2025", "w2026"]
    drafted = client.get("/c/kumanovo/results/waves?baseline=w2026&follow_up=next")
    assert "Belonging" not in drafted.get_data(as_text=True)  # a draft is no choice


def test_wave_comparison_without_two_closed_waves_takes_the_latest_published(
        client, login, make_user, city, make_survey):
    for slug, status in [("old", "closed"), ("now", "open"), ("next", "draft")]:
        make_survey(city, slug=slug, wave=slug).status = status
    db.session.commit()
    login(make_user("member", city=city))
    page = client.get("/c/kumanovo/results").get_data(as_text=True)
    assert (_selected(page, "baseline")[1], _selected(page, "follow_up")[1]) == ("old", "now")
