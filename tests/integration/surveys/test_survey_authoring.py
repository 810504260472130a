"""Authoring: permissions, create/edit, questions, translations, open/close, preview, copy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Survey
from portal.surveys.demo.seed import seed_city


@pytest.fixture
def coordinator(make_city, make_user, login):
    city = make_city(slug="testgrad", name="Testgrad")
    user = make_user("coordinator", city=city)
    login(user)
    return city


def _survey(slug: str = "small") -> Survey:
    db.session.expire_all()
    return db.session.scalars(select(Survey).where(Survey.slug == slug)).one()


@pytest.mark.parametrize("path", ["/c/testgrad/surveys/new", "/c/testgrad/surveys/small/edit",
                                  "/c/testgrad/surveys/small/questions/new",
                                  "/c/testgrad/surveys/small/translate/ar",
                                  "/c/testgrad/surveys/small/xlsform.xlsx",
                                  "/c/testgrad/surveys/import"])
def test_members_cannot_edit(client, make_user, login, make_survey, path):
    survey = make_survey()
    login(make_user("member", city=survey.city))
    assert client.get(path).status_code == 403
    assert client.get("/c/testgrad/surveys/").status_code == 200


@pytest.mark.parametrize("path", ["/c/testgrad/surveys/", "/c/testgrad/surveys/small/",
                                  "/c/testgrad/surveys/small/edit",
                                  "/c/testgrad/surveys/small/preview"])
def test_other_cities_get_404(client, make_city, make_user, login, make_survey, path):
    make_survey()
    login(make_user("coordinator", city=make_city(slug="elsewhere")))
    assert client.get(path).status_code == 404


def test_status_change_by_member_is_refused(client, make_user, login, make_survey):
    survey = make_survey(status="draft")
    login(make_user("member", city=survey.city))
    assert client.post("/c/testgrad/surveys/small/status", data={"to": "open"}).status_code == 403
    assert _survey().status == "draft"


def test_coordinator_creates_a_survey_adds_questions_and_opens_it(client, coordinator):
    response = client.post("/c/testgrad/surveys/new", data={
        "slug": "pulse", "title": "Pulse", "consent": "Why we ask", "languages": ["en"],
        "default_language": "en", "wave": "baseline"})
    assert response.status_code == 302
    for name, qtype, choices in (("mood", "likert5", ""),
                                 ("where", "single", "n | North\ns | South")):
        added = client.post("/c/testgrad/surveys/pulse/questions/new", data={
            "name": name, "qtype": qtype, "label": f"Question {name}", "choices": choices,
            "dont_know": "y"})
        assert added.status_code == 302, added.get_data(as_text=True)
    survey = _survey("pulse")
    assert [q.name for q in survey.questions] == ["mood", "where"]
    assert [c.value for c in survey.questions[0].choices] == [1, 2, 3, 4, 5]
    assert client.post("/c/testgrad/surveys/pulse/status", data={"to": "open"}).status_code == 302
    assert _survey("pulse").status == "open"
    assert db.session.scalars(select(AuditEvent.action)).all().count("survey.open") == 1


def test_survey_cannot_open_while_a_language_is_incomplete(client, coordinator, make_survey):
    survey = make_survey(city=coordinator, status="draft")
    survey.questions[0].label = {"en": "Only English"}
    db.session.commit()
    page = client.get("/c/testgrad/surveys/small/").get_data(as_text=True)
    assert "incomplete" in page
    response = client.post("/c/testgrad/surveys/small/status", data={"to": "open"},
                           follow_redirects=True)
    assert "العربية" in response.get_data(as_text=True)
    assert _survey().status == "draft"


def test_translation_form_completes_a_language(client, coordinator, make_survey):
    survey = make_survey(city=coordinator, status="draft")
    survey.questions[0].label = {"en": "Only English"}
    db.session.commit()
    key = f"q{survey.questions[0].id}-label"
    page = client.get("/c/testgrad/surveys/small/translate/ar").get_data(as_text=True)
    assert f'name="{key}"' in page and 'dir="rtl"' in page
    form = {k: v for k, v in _existing_ar(survey).items()}
    form[key] = "بالعربية فقط"
    assert client.post("/c/testgrad/surveys/small/translate/ar", data=form).status_code == 302
    assert _survey().questions[0].label["ar"] == "بالعربية فقط"
    client.post("/c/testgrad/surveys/small/status", data={"to": "open"})
    assert _survey().status == "open"


def _existing_ar(survey: Survey) -> dict[str, str]:
    from portal.surveys.authoring.questions import text_slots

    return {key: (getattr(owner, field) or {}).get("ar", "")
            for key, owner, field in text_slots(survey)}


def test_questions_reorder_and_remove(client, coordinator, make_survey):
    survey = make_survey(city=coordinator, status="draft")
    first, second = survey.questions[0].id, survey.questions[1].id
    client.post(f"/c/testgrad/surveys/small/questions/{second}/up")
    assert [q.id for q in _survey().questions][:2] == [second, first]
    client.post(f"/c/testgrad/surveys/small/questions/{first}/delete")
    assert first not in [q.id for q in _survey().questions]


def test_questions_are_locked_once_responses_exist(client, coordinator):
    survey = seed_city(coordinator)
    db.session.commit()
    question = survey.questions[0]
    response = client.post(f"/c/testgrad/surveys/living-together/questions/{question.id}/delete",
                           follow_redirects=True)
    assert "already has responses" in response.get_data(as_text=True)
    assert question.id in [q.id for q in _survey("living-together").questions]


def test_bad_expression_is_refused(client, coordinator, make_survey):
    make_survey(city=coordinator, status="draft")
    response = client.post("/c/testgrad/surveys/small/questions/new", data={
        "name": "extra", "qtype": "text", "label": "More", "relevant": "${nothing} = 'x'"},
        follow_redirects=True)
    assert "does not exist" in response.get_data(as_text=True)
    assert "extra" not in [q.name for q in _survey().questions]


@pytest.mark.parametrize("lang", ["ar", "sq", "en"])
def test_preview_as_a_resident_in_any_language(client, coordinator, lang):
    seed_city(coordinator)
    db.session.commit()
    page = client.get(f"/c/testgrad/surveys/living-together/preview?lang={lang}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'lang="{lang}"' in html
    assert ("I feel at home" in html) == (lang == "en")


def test_copy_as_a_new_wave_and_to_another_city(client, make_city, make_user, login, make_survey):
    city = make_city(slug="testgrad")
    other = make_city(slug="othergrad")
    user = make_user("coordinator", city=city)
    from portal.auth import services

    services.grant_membership(user, other, "coordinator", actor=None)
    db.session.commit()
    make_survey(city=city)
    login(user)
    assert client.post("/c/testgrad/surveys/small/copy", data={
        "city": "testgrad", "slug": "small-2026", "wave": "follow-up"}).status_code == 302
    assert client.post("/c/testgrad/surveys/small/copy", data={
        "city": "othergrad", "slug": "small", "wave": ""}).status_code == 302
    copies = db.session.scalars(select(Survey).order_by(Survey.id)).all()
    assert [(s.city.slug, s.slug, s.status) for s in copies[1:]] == [
        ("testgrad", "small-2026", "draft"), ("othergrad", "small", "draft")]
    assert len(copies[2].questions) == len(copies[0].questions)


def test_survey_list_query_count_does_not_grow(client, coordinator, make_survey, count_queries):
    make_survey(city=coordinator, slug="one")
    with count_queries() as few:
        client.get("/c/testgrad/surveys/")
    for n in range(5):
        make_survey(city=coordinator, slug=f"more-{n}")
    with count_queries() as many:
        assert client.get("/c/testgrad/surveys/").status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(("path", "field"), [
    ("/c/testgrad/surveys/new", "title"),
    ("/c/testgrad/surveys/new", "consent"),
    ("/c/testgrad/surveys/small/questions/new", "label"),
    ("/c/testgrad/surveys/small/questions/new", "hint"),
])
def test_a_text_with_an_xlsform_reference_is_refused(client, coordinator, make_survey, path,
                                                     field):
    """pyxform reads "${" as a reference to an answer and refuses the export without one."""
    make_survey(city=coordinator, status="draft")
    data = ({"slug": "pulse", "title": "Pulse", "consent": "Why", "languages": ["en"],
             "default_language": "en"} if path.endswith("/new") and "questions" not in path
            else {"name": "extra", "qtype": "text", "label": "More"})
    data[field] = "Costs 5${ a month"
    response = client.post(path, data=data)
    assert response.status_code in (200, 400, 422)
    assert "marks a reference to an answer" in response.get_data(as_text=True)
    assert db.session.scalars(select(Survey.slug)).all() == ["small"]
    assert "extra" not in [q.name for q in _survey().questions]
