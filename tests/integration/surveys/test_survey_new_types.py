"""The XLSForm types added with the pyxform import, answered on the residents' pages.

The survey comes from a real XLSForm CSV read by pyxform: cascading selects (choice_filter),
time, dateTime, acknowledge, range, or_other, calculate and a note.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer, Response, Survey
from portal.results.exports import microdata_plan, microdata_rows
from portal.surveys.xlsform import import_xlsform
from tests.integration.surveys.conftest import choice, field, send, start

FORM = """survey,,,,,,
,type,name,label::English (en),choice_filter,calculation,parameters
,select_one area,area,Your area,,,
,select_one hood,hood,Your neighbourhood,area=${area},,
,time,usual_time,When do you usually go out?,,,
,dateTime,last_meeting,When was the last meeting?,,,
,acknowledge,ok,I understand,,,
,range,trust,How much do you trust your neighbours?,,,start=0 end=10 step=2
,select_one helpers or_other,help,Who helps you?,,,
,calculate,double_trust,,,${trust} * 2,
,note,thanks,Thank you,,,
choices,,,,,
,list_name,name,label::English (en),area
,area,north,North,
,area,south,South,
,hood,h1,Old town,north
,hood,h2,Riverside,south
,helpers,family,Family,
"""
BASE = "/s/testgrad/kinds"


@pytest.fixture
def survey(make_survey):
    result = import_xlsform(FORM.encode(), name="kinds.csv")
    assert result.spec is not None, result.errors
    return make_survey(slug="kinds", spec=result.spec)


def post(client, page: int, data: dict):
    return client.post(f"{BASE}/p/{page}", data={**data, "nav": "next"})


def test_imported_types_are_kept(survey):
    types = {q.name: q.qtype for q in survey.questions}
    assert types == {"area": "single", "hood": "single", "usual_time": "time",
                     "last_meeting": "datetime", "ok": "acknowledge", "trust": "range",
                     "help": "single", "help_other": "text", "double_trust": "calculate",
                     "thanks": "note"}
    trust = next(q for q in survey.questions if q.name == "trust")
    assert (trust.min_value, trust.max_value, trust.step) == (0, 10, 2)


def test_cascading_select_offers_only_the_chosen_areas_neighbourhoods(client, survey):
    start(client, survey)
    assert post(client, 1, {field(survey, "area"): choice(survey, "area", "north")}
                ).headers["Location"].endswith("/p/2")
    page = client.get(f"{BASE}/p/2").get_data(as_text=True)
    assert "Old town" in page and "Riverside" not in page
    refused = post(client, 2, {field(survey, "hood"): choice(survey, "hood", "h2")})
    assert refused.status_code == 422


@pytest.mark.parametrize(("name", "value"), [
    ("usual_time", "25:00"), ("usual_time", "7:30"), ("last_meeting", "2025-02-30T10:00"),
    ("last_meeting", "2025-01-01"), ("ok", "yes"),
])
def test_bad_time_date_time_and_acknowledge_are_refused(client, survey, name, value):
    start(client, survey)
    post(client, 1, {field(survey, "area"): choice(survey, "area", "north")})
    assert post(client, 2, {field(survey, name): value}).status_code == 422


@pytest.mark.parametrize("value", ["3", "12", "-2", "4.5"])
def test_range_accepts_only_its_steps(client, survey, value):
    start(client, survey)
    post(client, 1, {field(survey, "area"): choice(survey, "area", "north")})
    post(client, 2, {})
    assert post(client, 3, {field(survey, "trust"): value}).status_code == 422


def test_calculate_is_never_a_field_of_a_page(client, survey):
    start(client, survey)
    post(client, 1, {field(survey, "area"): choice(survey, "area", "north")})
    post(client, 2, {})
    page = client.get(f"{BASE}/p/3").get_data(as_text=True)
    assert f'name="{field(survey, "double_trust")}"' not in page
    assert post(client, 3, {field(survey, "double_trust"): "99"}).status_code == 400


def test_whole_flow_stores_new_types_and_the_calculation(client, survey):
    start(client, survey)
    post(client, 1, {field(survey, "area"): choice(survey, "area", "north")})
    second = post(client, 2, {field(survey, "hood"): choice(survey, "hood", "h1"),
                              field(survey, "usual_time"): "07:30",
                              field(survey, "last_meeting"): "2025-03-01T18:45",
                              field(survey, "ok"): "OK"})
    assert second.status_code == 302, second.get_data(as_text=True)
    answers = {field(survey, "trust"): "6", field(survey, "help"): choice(survey, "help", "other")}
    third = post(client, 3, answers)
    # "Other" reveals pyxform's "specify other" question on the same page: the page comes
    # back with it shown, and the resident answers it before going on.
    assert third.status_code == 200, third.get_data(as_text=True)
    assert f'name="{field(survey, "help_other")}"' in third.get_data(as_text=True)
    third = post(client, 3, {**answers, field(survey, "help_other"): "A neighbour"})
    assert third.status_code == 302, third.get_data(as_text=True)
    assert third.headers["Location"].endswith("/send")
    assert send(client, f"{BASE}/send").status_code == 200
    response = db.session.scalars(select(Response)).one()
    rows = {row.question_id: row for row in db.session.scalars(
        select(Answer).where(Answer.response_id == response.id))}
    by_name = {q.name: rows.get(q.id) for q in survey.questions}
    assert by_name["usual_time"].value_text == "07:30"
    assert by_name["last_meeting"].value_text == "2025-03-01T18:45"
    assert by_name["ok"].value_text == "OK"
    assert by_name["trust"].value_int == 6
    assert by_name["double_trust"].value_int == 12  # computed at the send, stored
    assert survey.questions[6].choices[-1].name == "other"  # or_other, as pyxform adds it
    assert by_name["thanks"] is None
    assert by_name["help_other"].value_text == "A neighbour"
    header, row = list(microdata_rows(microdata_plan(survey), db.engine))
    values = dict(zip(header, row, strict=True))
    assert values["double_trust"] == 12 and values["usual_time"] == "07:30"
    assert "thanks" not in header  # notes are not data


def test_copy_as_a_new_wave_keeps_calculations_filters_and_steps(client, survey, make_user,
                                                                 login):
    login(make_user("coordinator", city=survey.city))
    assert client.post("/c/testgrad/surveys/kinds/copy", data={
        "city": "testgrad", "slug": "kinds-2", "wave": "follow-up"}).status_code == 302
    copy = db.session.scalars(select(Survey).where(Survey.slug == "kinds-2")).one()
    original = {q.name: q for q in survey.questions}
    for question in copy.questions:
        source = original[question.name]
        assert (question.qtype, question.calculation, question.choice_filter, question.step) == (
            source.qtype, source.calculation, source.choice_filter, source.step)
        assert [c.filters for c in question.choices] == [c.filters for c in source.choices]


def test_results_page_and_api_do_not_break_on_the_new_types(client, survey, make_user, login):
    start(client, survey)
    post(client, 1, {field(survey, "area"): choice(survey, "area", "south")})
    post(client, 2, {field(survey, "hood"): choice(survey, "hood", "h2"),
                     field(survey, "usual_time"): "21:15"})
    post(client, 3, {field(survey, "trust"): "10"})
    assert send(client, f"{BASE}/send").status_code == 200
    login(make_user("coordinator", city=survey.city))
    page = client.get("/c/testgrad/results/kinds")
    assert page.status_code == 200
    assert "Your neighbourhood" in page.get_data(as_text=True)  # a choice question's table


GROUPS = """survey,,,
,type,name,label::English (en),appearance
,begin group,one,All at once,field-list
{one}
,end group,,,
,begin group,many,Step by step,
{many}
,end group,,,
"""


def test_field_list_group_is_one_page_and_another_group_runs_four_to_a_page(make_survey):
    from portal.surveys.answering.pages import pages_of

    rows = {key: "\n".join(f",text,{key}{i},Question {i}," for i in range(6))
            for key in ("one", "many")}
    result = import_xlsform(GROUPS.format(**rows).encode(), name="groups.csv")
    assert result.spec is not None, result.errors
    survey = make_survey(slug="groups", spec=result.spec)
    pages = pages_of(survey)
    assert [[q.name for q in page.questions] for page in pages] == [
        [f"one{i}" for i in range(6)], [f"many{i}" for i in range(4)], ["many4", "many5"]]
    assert pages[2].title("en") == "Step by step"
