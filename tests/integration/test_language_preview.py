"""A ?lang= that chooses what a page shows (a survey preview, a printed link) is not remembered."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import refresh

from portal.extensions import db
from portal.models import MappingRound, Question, Stakeholder, Survey, User
from portal.stakeholders import relationship_survey


@pytest.fixture
def survey_city(make_city):
    city = make_city(slug="previewgrad", default_locale="en")
    survey = Survey(city_id=city.id, slug="wave-1", status="draft", languages=["en", "sq"],
                    title={"en": "Wave 1", "sq": "Vala 1"})
    survey.questions.append(Question(name="feel", qtype="text",
                                     label={"en": "How do you feel?", "sq": "Si ndiheni?"}))
    db.session.add(survey)
    db.session.commit()
    return city


@pytest.mark.parametrize("preference", [None, "mk"])
def test_survey_preview_in_another_language_leaves_the_preference_alone(
        client, survey_city, make_user, login, preference):
    user = make_user("coordinator", city=survey_city, preferred_locale=preference)
    login(user)
    preview = client.get("/c/previewgrad/surveys/wave-1/preview?lang=sq").get_data(as_text=True)
    assert "Si ndiheni?" in preview
    refresh()
    after = client.get("/c/previewgrad/").get_data(as_text=True)
    assert f'<html lang="{preference or "en"}"' in after
    assert db.session.get(User, user.id).preferred_locale == preference
    with client.session_transaction() as session:
        assert "lang" not in session


def test_the_language_switcher_still_sets_the_preference(client, survey_city, make_user, login):
    user = make_user("coordinator", city=survey_city)
    login(user)
    client.get("/c/previewgrad/?lang=sq")
    assert db.session.get(User, user.id).preferred_locale == "sq"


def test_opening_a_printed_link_leaves_the_coordinators_language_alone(
        client, survey_city, make_user, login):
    youth = Stakeholder(city_id=survey_city.id, name="Youth centre")
    db.session.add_all([youth, Stakeholder(city_id=survey_city.id, name="School"),
                        MappingRound(city_id=survey_city.id, name="Baseline",
                                     held_on=date(2025, 1, 15), is_current=True)])
    db.session.commit()
    token = relationship_survey.issue(survey_city, [youth], 7, locale="ar", actor=None)[0][1]
    db.session.commit()
    user = make_user("coordinator", city=survey_city)
    login(user)
    page = client.get(f"/r/{token}?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    refresh()
    assert '<html lang="en"' in client.get("/c/previewgrad/").get_data(as_text=True)
    assert db.session.get(User, user.id).preferred_locale is None
