"""Residents' pages (issue #17): same-page reveal without JavaScript, refused answers kept in
their fields, the form's own constraint message, no empty send, hints only in the page's
language or the survey's default."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Answer, Response
from portal.surveys.xlsform import spec as specs
from tests.integration.surveys.conftest import choice, client_uuid, field, reveal_spec, start

BASE = "/s/testgrad/reveal"


@pytest.fixture
def survey(make_survey):
    return make_survey(slug="reveal", spec=reveal_spec())


def _block(page: str, survey, name: str) -> str:
    """Return the opening tag of a question's block on the page."""
    q = next(q for q in survey.questions if q.name == name)
    found = re.search(rf'<[a-z]+ class="[^"]*"\s*data-q="{q.id}"[^>]*>', page)
    assert found, page
    return found.group(0)


def _shown(page: str) -> str:
    found = re.search(r'name="shown" value="([0-9 ]*)"', page)
    assert found, page
    return found.group(1)


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_required_question_revealed_on_the_same_page_comes_back_shown(client, survey):
    start(client, survey)
    page = client.get(f"{BASE}/p/1").get_data(as_text=True)
    assert " hidden" in _block(page, survey, "how_many")  # there, for the script to show
    shown = _shown(page)
    response = client.post(f"{BASE}/p/1", data={
        field(survey, "kids"): choice(survey, "kids", "yes"), "shown": shown, "nav": "next"})
    assert response.status_code == 200  # the same page again, not the next one
    page = response.get_data(as_text=True)
    assert " hidden" not in _block(page, survey, "how_many")
    assert "Your answers added 1 question to this page" in page
    assert "This question needs an answer" not in page  # not asked before it was seen
    response = client.post(f"{BASE}/p/1", data={
        field(survey, "kids"): choice(survey, "kids", "yes"), field(survey, "how_many"): "2",
        "shown": _shown(page), "nav": "next"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/send")
    send = client.get(f"{BASE}/send").get_data(as_text=True)
    assert "A required question has no answer yet" not in send
    assert client.post(f"{BASE}/send", data={"uuid": client_uuid(client)}).status_code == 200
    how_many = next(q.id for q in survey.questions if q.name == "how_many")
    stored = db.session.scalars(select(Answer).where(Answer.question_id == how_many)).one()
    assert stored.value_int == 2


def test_question_the_resident_saw_is_required_at_once(client, survey):
    start(client, survey)
    shown = " ".join(str(q.id) for q in survey.questions)  # the script showed it
    response = client.post(f"{BASE}/p/1", data={
        field(survey, "kids"): choice(survey, "kids", "yes"), "shown": shown, "nav": "next"})
    assert response.status_code == 422
    assert "This question needs an answer" in response.get_data(as_text=True)


def test_reveal_request_shows_the_question_and_stores_nothing(client, survey):
    start(client, survey)
    response = client.post(f"{BASE}/p/1", data={
        field(survey, "kids"): choice(survey, "kids", "yes"), "nav": "reveal"})
    assert response.status_code == 200
    assert " hidden" not in _block(response.get_data(as_text=True), survey, "how_many")
    with client.session_transaction() as session:
        assert session["sv"]["a"] == {}
    no = client.post(f"{BASE}/p/1", data={
        field(survey, "kids"): choice(survey, "kids", "no"), "nav": "reveal"})
    assert " hidden" in _block(no.get_data(as_text=True), survey, "how_many")


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "Enter a whole number."), ("150", "Enter a number from 0 to 120."),
    ("١٢", "Enter a whole number.")])
def test_refused_answer_stays_in_its_field_beside_its_message(client, survey, typed, message):
    start(client, survey)
    name = field(survey, "age")
    response = client.post(f"{BASE}/p/1", data={name: typed, "nav": "next"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(rf'name="{name}" type="text" inputmode="numeric"\s+value="{typed}"', page)
    assert message in page
    with client.session_transaction() as session:
        assert str(survey.questions[2].id) not in session["sv"]["a"]  # never stored


@pytest.mark.parametrize(("lang", "expected"), [("mk", "Возраста мора да е од 0 до 120."),
                                                ("en", "Age is from 0 to 120 years.")])
def test_forms_constraint_message_replaces_the_generic_one(client, make_survey, lang, expected):
    spec = reveal_spec(constraint_message={"en": "Age is from 0 to 120 years.",
                                           "mk": "Возраста мора да е од 0 до 120."})
    survey = make_survey(slug="reveal", spec=spec)
    start(client, survey, lang=lang)
    response = client.post(f"{BASE}/p/1", data={field(survey, "age"): "-3", "nav": "next"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and expected in page
    assert "The number is too small" not in page


def test_generic_bounds_message_is_translated_and_states_the_rule(client, survey):
    start(client, survey, lang="mk")
    response = client.post(f"{BASE}/p/1", data={field(survey, "age"): "121", "nav": "next"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Внесете број од 0 до 120." in page and "Enter a number from" not in page


def test_empty_send_is_refused_kindly_and_stores_nothing(client, survey):
    start(client, survey)
    assert client.post(f"{BASE}/p/1", data={"nav": "next"}).status_code == 302
    page = client.get(f"{BASE}/send").get_data(as_text=True)
    assert "You have not answered any question yet" in page
    assert "Send my answers" not in page
    response = client.post(f"{BASE}/send", data={"uuid": client_uuid(client)})
    assert response.status_code == 400
    assert "You have not answered any question yet" in response.get_data(as_text=True)
    assert _count(Response) == 0 and _count(Answer) == 0


def test_one_dont_know_is_an_answer_that_may_be_sent(client, make_survey):
    survey = make_survey()  # the small survey: "feel" offers "don't know"
    start(client, survey)
    client.post("/s/testgrad/small/p/1", data={
        field(survey, "feel"): "dk", field(survey, "pick"): choice(survey, "pick", "b"),
        "nav": "next"})
    client.post("/s/testgrad/small/p/2", data={"nav": "next"})
    assert client.post("/s/testgrad/small/send",
                       data={"uuid": client_uuid(client)}).status_code == 200


def _hinted(hint: dict[str, str]) -> specs.Survey:
    spec = reveal_spec()
    spec["languages"], spec["default_language"] = ["mk", "sq"], "mk"
    for question in spec["questions"]:
        question["label"]["sq"] = question["label"]["en"] + " (sq)"
        question["hint"] = dict(hint)
    spec["title"]["sq"] = "Zbulim"
    return spec


@pytest.mark.parametrize("lang", ["mk", "sq"])
def test_hint_only_in_english_is_not_shown_in_macedonian_or_albanian(client, make_survey, lang):
    survey = make_survey(slug="reveal", spec=_hinted({"en": "Only in English"}))
    start(client, survey, lang=lang)
    page = client.get(f"{BASE}/p/1").get_data(as_text=True)
    assert "Колку деца?" in page or "(sq)" in page
    assert "Only in English" not in page


def test_hint_shows_in_the_residents_language_else_the_default(client, make_survey):
    survey = make_survey(slug="reveal", spec=_hinted({"mk": "Само бројки", "en": "Digits"}))
    start(client, survey, lang="sq")
    page = client.get(f"{BASE}/p/1").get_data(as_text=True)
    assert "Само бројки" in page and "Digits" not in page


def test_translation_page_shows_how_complete_the_hints_are(client, make_survey, make_user,
                                                           login):
    spec = _hinted({})
    questions = spec["questions"]
    questions[0]["hint"] = {"mk": "Изберете едно", "sq": "Zgjidhni një"}
    questions[1]["hint"] = {"mk": "Само бројки"}
    questions[2]["hint"] = {"en": "Only in English"}
    survey = make_survey(slug="reveal", spec=spec, status="draft")
    login(make_user("coordinator", city=survey.city))
    page = client.get("/c/testgrad/surveys/reveal/translate/sq").get_data(as_text=True)
    assert "1 of 2 hints are in Shqip." in page
    assert "1 hint is written only in other languages than this one and the default" in page


def _decode(data_uri: str) -> str:
    import base64
    import io

    import zxingcpp
    from PIL import Image

    prefix = "data:image/png;base64,"
    assert data_uri.startswith(prefix)
    image = Image.open(io.BytesIO(base64.b64decode(data_uri[len(prefix):])))
    (barcode,) = zxingcpp.read_barcodes(image)
    return str(barcode.text)


@pytest.mark.parametrize(("lang", "direction", "words"), [
    ("ar", "rtl", "استبيان صغير"), ("en", "ltr", "Scan the code with your phone")])
def test_flyer_code_decodes_to_the_short_link_in_its_language(client, make_survey, make_user,
                                                              login, lang, direction, words):
    survey = make_survey()
    login(make_user("member", city=survey.city))
    response = client.get(f"/c/testgrad/surveys/small/flyer/{lang}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in page and words in page
    link = f"http://localhost/s/testgrad/small/consent?lang={lang}"
    assert f'<bdi dir="ltr">{link.replace("&", "&amp;")}</bdi>' in page
    found = re.search(r'<img class="f-code" src="([^"]+)"', page)
    assert found and _decode(found.group(1)) == link
    assert client.get(link.removeprefix("http://localhost")).status_code == 200  # it works
    show = client.get("/c/testgrad/surveys/small/").get_data(as_text=True)
    assert f'href="/c/testgrad/surveys/small/flyer/{lang}"' in show


def test_flyer_in_a_language_the_survey_lacks_is_404(client, make_survey, make_user, login):
    survey = make_survey()
    login(make_user("member", city=survey.city))
    assert client.get("/c/testgrad/surveys/small/flyer/sq").status_code == 404
    assert client.get("/c/testgrad/surveys/nothing/flyer/en").status_code == 404
