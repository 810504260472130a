"""The residents' answering flow: languages, consent, sections, skip logic, sending."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select

from portal.extensions import db
from portal.models import Answer, Response
from tests.integration.surveys.conftest import answer_small, choice, field, start


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_language_choice_lists_native_names(client, make_survey):
    survey = make_survey()
    page = client.get(f"/s/{survey.city.slug}/{survey.slug}/").get_data(as_text=True)
    assert "English" in page and "العربية" in page
    assert 'hreflang="ar"' in page


@pytest.mark.parametrize(("lang", "direction", "text"), [("ar", "rtl", "الغرض هنا"),
                                                          ("en", "ltr", "Purpose here")])
def test_consent_page_follows_the_chosen_language(client, make_survey, lang, direction, text):
    make_survey()
    page = client.get(f"/s/testgrad/small/consent?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert text in page


def test_whole_flow_stores_one_response_with_answers(client, make_survey):
    survey = make_survey()
    start(client, survey)
    response = answer_small(client, survey)
    assert response.status_code == 200
    assert "Thank you" in response.get_data(as_text=True)
    stored = db.session.scalars(select(Response)).one()
    rows = db.session.scalars(select(Answer).where(Answer.response_id == stored.id)).all()
    by_question = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    names = {q.id: q.name for q in survey.questions}
    got = {names[qid]: items for qid, items in by_question.items()}
    assert got["feel"][0].value_int == 4
    assert len(got["many"]) == 2  # one row per chosen choice
    assert got["years"][0].value_int == 7
    assert got["say"][0].value_text == "hello"
    assert stored.submitted_on == date.today()


def test_response_row_keeps_nothing_identifying(client, make_survey):
    survey = make_survey()
    start(client, survey)
    answer_small(client, survey)
    columns = {c["name"] for c in inspect(db.engine).get_columns("survey_response")}
    # collection_mode says web, device or paper: how the answers came, never who sent them.
    assert columns == {"id", "survey_id", "uuid", "answers_hash", "submitted_on",
                       "collection_mode"}
    row = db.session.execute(select(Response.__table__)).mappings().one()
    assert row["collection_mode"] == "web"
    assert isinstance(row["submitted_on"], date) and not hasattr(row["submitted_on"], "hour")
    assert "127.0.0.1" not in str(dict(row))
    answer_columns = {c["name"] for c in inspect(db.engine).get_columns("survey_answer")}
    assert not answer_columns & {"ip", "user_agent", "user_id", "created_at", "locale", "lang"}


def test_nothing_is_stored_before_the_final_send(client, make_survey):
    survey = make_survey()
    start(client, survey)
    client.post("/s/testgrad/small/p/1", data={field(survey, "pick"): choice(survey, "pick", "a"),
                                               "nav": "next"})
    assert _count(Response) == 0 and _count(Answer) == 0
    with client.session_transaction() as session:
        assert session["sv"]["a"]  # the answer lives in the signed cookie only


def test_skip_logic_is_evaluated_on_the_server(client, make_survey):
    survey = make_survey()
    start(client, survey)
    client.post("/s/testgrad/small/p/1", data={field(survey, "pick"): choice(survey, "pick", "b"),
                                               "nav": "next"})
    page = client.get("/s/testgrad/small/p/2").get_data(as_text=True)
    assert "Pick many" in page and "Years here" not in page
    # A value for the hidden question is refused as input the page did not ask for.
    sneaky = client.post("/s/testgrad/small/p/2", data={field(survey, "years"): "5"})
    assert sneaky.status_code == 422 or sneaky.status_code == 302
    client.post("/s/testgrad/small/send", data={})
    assert not db.session.scalars(
        select(Answer).where(Answer.question_id == next(
            q.id for q in survey.questions if q.name == "years"))).all()


def test_dont_know_is_stored_as_missing_not_as_a_scale_point(client, make_survey):
    survey = make_survey()
    start(client, survey)
    client.post("/s/testgrad/small/p/1", data={field(survey, "feel"): "dk",
                                               field(survey, "pick"): choice(survey, "pick", "b"),
                                               "nav": "next"})
    client.post("/s/testgrad/small/p/2", data={field(survey, "many"): "pn", "nav": "next"})
    with client.session_transaction() as session:
        uuid = session["sv"]["u"]
    assert client.post("/s/testgrad/small/send", data={"uuid": uuid}).status_code == 200
    feel = next(q for q in survey.questions if q.name == "feel")
    many = next(q for q in survey.questions if q.name == "many")
    row = db.session.scalars(select(Answer).where(Answer.question_id == feel.id)).one()
    assert (row.value_int, row.choice_id, row.missing_reason) == (None, None, "dont_know")
    row = db.session.scalars(select(Answer).where(Answer.question_id == many.id)).one()
    assert (row.choice_id, row.missing_reason) == (None, "prefer_not")


def test_back_button_returns_to_the_previous_section(client, make_survey):
    survey = make_survey()
    start(client, survey)
    client.post("/s/testgrad/small/p/1", data={field(survey, "pick"): choice(survey, "pick", "a"),
                                               "nav": "next"})
    back = client.post("/s/testgrad/small/p/2", data={"nav": "back"})
    assert back.headers["Location"].endswith("/p/1")
    page = client.get("/s/testgrad/small/p/1").get_data(as_text=True)
    assert f'value="{choice(survey, "pick", "a")}" checked' in page


def test_progress_indicator_counts_sections(client, make_survey):
    survey = make_survey()
    start(client, survey)
    page = client.get("/s/testgrad/small/p/1").get_data(as_text=True)
    assert "Section 1 of 2" in page and "<progress" in page


@pytest.mark.parametrize("change", [{"status": "closed"},
                                    {"closes_on": date.today() - timedelta(days=1)}])
def test_closed_survey_shows_a_friendly_page_and_stores_nothing(client, make_survey, change):
    make_survey(**change)
    response = client.get("/s/testgrad/small/consent?lang=ar")
    assert response.status_code == 410
    page = response.get_data(as_text=True)
    assert 'dir="rtl"' in page and "This survey is closed" not in page  # translated
    assert client.post("/s/testgrad/small/start", data={"lang": "en"}).status_code == 410
    assert _count(Response) == 0


def test_survey_not_yet_open_says_when_it_opens(client, make_survey):
    survey = make_survey(opens_on=date.today() + timedelta(days=3))
    response = client.get("/s/testgrad/small/?lang=en")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "not open yet" in page
    assert f"It opens on {survey.opens_on.isoformat()}." in page


def test_draft_and_unknown_surveys_are_404(client, make_survey):
    make_survey(status="draft")
    assert client.get("/s/testgrad/small/").status_code == 404
    assert client.get("/s/testgrad/nothing/").status_code == 404
    assert client.get("/s/nowhere/small/").status_code == 404


def test_page_without_started_survey_goes_back_to_the_start(client, make_survey):
    make_survey()
    response = client.get("/s/testgrad/small/p/1")
    assert response.status_code == 302 and response.headers["Location"].endswith("/small/")


def test_session_cookie_stays_small_with_long_answers(client, make_survey):
    survey = make_survey()
    start(client, survey)
    answer_page = {field(survey, "feel"): "5", field(survey, "pick"): choice(survey, "pick", "a"),
                   "nav": "next"}
    client.post("/s/testgrad/small/p/1", data=answer_page)
    client.post("/s/testgrad/small/p/2", data={field(survey, "say"): "ж" * 500,
                                               field(survey, "years"): "99", "nav": "next"})
    cookie = client.get_cookie("session")
    assert cookie is not None and len(cookie.value) < 4000
