"""Factories for the survey tests: a small survey with every question type, and the demo."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from portal.auth import devices
from portal.extensions import db
from portal.models import City, Survey, User
from portal.surveys.authoring.convert import survey_from_spec
from portal.surveys.xlsform import spec as specs


def small_spec() -> specs.Survey:
    """Two sections: a likert, a single and a required multi; then numbers, text and skip logic."""
    likert = [{"name": str(i), "label": {"en": f"point {i}", "ar": f"نقطة {i}"}}
              for i in range(1, 6)]
    s1 = {"section": "one", "section_label": {"en": "Part one", "ar": "الجزء الأول"}}
    s2 = {"section": "two", "section_label": {"en": "Part two", "ar": "الجزء الثاني"}}
    questions = [
        specs.new_question("feel", "likert5", label={"en": "I feel fine", "ar": "أشعر بخير"},
                           choices=likert, dont_know=True, prefer_not=True, subscale="belonging",
                           **s1),
        specs.new_question("pick", "single", label={"en": "Pick one", "ar": "اختر واحدًا"},
                           required=True, choices=[
                               {"name": "a", "label": {"en": "Alpha", "ar": "ألف"}},
                               {"name": "b", "label": {"en": "Beta", "ar": "باء"}}], **s1),
        specs.new_question("many", "multi", label={"en": "Pick many", "ar": "اختر عدة"},
                           prefer_not=True, choices=[
                               {"name": "x", "label": {"en": "Ex", "ar": "إكس"}},
                               {"name": "y", "label": {"en": "Why", "ar": "واي"}}], **s2),
        specs.new_question("years", "integer", label={"en": "Years here", "ar": "السنوات"},
                           min=0, max=120, relevant="${pick} = 'a'", **s2),
        specs.new_question("say", "text", label={"en": "Say something", "ar": "قل شيئًا"}, **s2),
    ]
    return {"form_id": "small", "title": {"en": "Small survey", "ar": "استبيان صغير"},
            "default_language": "en", "languages": ["en", "ar"], "questions": questions,
            "notices": []}


def reveal_spec(**age: object) -> specs.Survey:
    """One page: do you have children (yes/no) → how many (required, same page); age 0–120."""
    yes_no = [{"name": "yes", "label": {"en": "Yes", "mk": "Да"}},
              {"name": "no", "label": {"en": "No", "mk": "Не"}}]
    page = {"section": "home", "section_label": {"en": "Home", "mk": "Дом"}}
    questions = [
        specs.new_question("kids", "single", label={"en": "Children at home?", "mk": "Деца?"},
                           choices=yes_no, **page),
        specs.new_question("how_many", "integer", required=True,
                           label={"en": "How many children?", "mk": "Колку деца?"},
                           relevant="${kids} = 'yes'", min=1, max=20, **page),
        specs.new_question("age", "integer", label={"en": "Your age", "mk": "Возраст"},
                           **{"min": 0, "max": 120, **age}, **page),
    ]
    return {"form_id": "reveal", "title": {"en": "Reveal", "mk": "Откривање"},
            "default_language": "en", "languages": ["en", "mk"], "questions": questions,
            "notices": []}


@pytest.fixture
def make_survey(app: Any, make_city: Callable[..., City]) -> Callable[..., Survey]:
    """Create an open survey (the small one by default) in a city."""

    def factory(city: City | None = None, slug: str = "small", status: str = "open",
                spec: specs.Survey | None = None, **fields: Any) -> Survey:
        city = city or make_city(slug="testgrad", name="Testgrad")
        survey = survey_from_spec(spec or small_spec(), city, slug,
                                  consent={"en": "Purpose here", "ar": "الغرض هنا"})
        survey.status = status
        for name, value in fields.items():
            setattr(survey, name, value)
        db.session.add(survey)
        db.session.commit()
        return survey

    return factory


def field(survey: Survey, name: str) -> str:
    """Return the form field name of a question by its name."""
    return next(f"q{q.id}" for q in survey.questions if q.name == name)


def choice(survey: Survey, question: str, name: str) -> str:
    """Return the submitted value of a choice."""
    q = next(q for q in survey.questions if q.name == question)
    return str(next(c.id for c in q.choices if c.name == name))


def start(client: FlaskClient, survey: Survey, lang: str = "en", uuid: str | None = None) -> str:
    """Open the consent page and start; return the client UUID used."""
    base = f"/s/{survey.city.slug}/{survey.slug}"
    page = client.get(f"{base}/consent?lang={lang}").get_data(as_text=True)
    found = re.search(r'name="uuid" type="hidden" value="([0-9a-f-]+)"', page)
    assert found, page
    uuid = uuid or found.group(1)
    response = client.post(f"{base}/start", data={"uuid": uuid, "lang": lang})
    assert response.status_code == 302, response.get_data(as_text=True)
    return uuid


def answer_small(client: FlaskClient, survey: Survey, pick: str = "a", years: str = "7") -> Any:
    """Walk through the small survey's two pages and send; return the send response."""
    return send(client, fill_small(client, survey, pick, years))


def fill_small(client: FlaskClient, survey: Survey, pick: str = "a", years: str = "7") -> str:
    """Answer the small survey's two pages, up to the send step; return its address."""
    base = f"/s/{survey.city.slug}/{survey.slug}"
    first = client.post(f"{base}/p/1", data={field(survey, "feel"): "4",
                                              field(survey, "pick"): choice(survey, "pick", pick),
                                              "nav": "next"})
    assert first.status_code == 302, first.get_data(as_text=True)
    data = {field(survey, "many"): [choice(survey, "many", "x"), choice(survey, "many", "y")],
            field(survey, "say"): "hello", "nav": "next"}
    if pick == "a":
        data[field(survey, "years")] = years
    second = client.post(f"{base}/p/2", data=data)
    assert second.status_code == 302, second.get_data(as_text=True)
    assert second.headers["Location"].endswith("/send")
    return f"{base}/send"


def send(client: FlaskClient, address: str) -> Any:
    """Send the answers in progress under the session's UUID; return the response.

    The address is given (not read from the survey) so that the test's own session, which
    the app shares in tests, begins no transaction of its own before the request.
    """
    return client.post(address, data={"uuid": client_uuid(client)})


def client_uuid(client: FlaskClient) -> str:
    """Return the UUID held in the client's session."""
    with client.session_transaction() as session:
        return str(session["sv"]["u"])


@pytest.fixture
def field_setup(make_survey: Callable[..., Survey], make_user: Callable[..., User]
                ) -> dict[str, Any]:
    """An open survey in Testgrad, an enumerator with a device, and the device's secret."""
    survey = make_survey()
    enumerator = make_user("enumerator", city=survey.city)
    device, secret = devices.create_device(survey.city, enumerator, "Tablet 1", actor=None)
    db.session.commit()
    return {"survey": survey, "city": survey.city, "user": enumerator, "device": device,
            "auth": (device.username, secret)}
