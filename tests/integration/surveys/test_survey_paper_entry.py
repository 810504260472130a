"""Paper entry: a team member or enumerator types in paper questionnaires, marked as paper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.auth import services as auth_services
from portal.extensions import db
from portal.models import AuditEvent, City, Response, Survey, User
from tests.integration.surveys.conftest import (
    answer_small,
    client_uuid,
    fill_small,
    send,
    start,
)


def _modes() -> list[str]:
    return list(db.session.scalars(select(Response.collection_mode).order_by(Response.id)))


def _begin(client: Any, survey: Survey) -> None:
    """Turn on the data entry mode and open the survey, as the entry page's button does."""
    response = client.post(f"/c/{survey.city.slug}/entry/{survey.slug}/start")
    assert response.status_code == 302
    assert f"/s/{survey.city.slug}/{survey.slug}/consent" in response.headers["Location"]
    start(client, survey)


@pytest.mark.parametrize("role", ["enumerator", "member", "coordinator"])
def test_a_paper_questionnaire_is_stored_as_paper_and_the_sitting_is_counted(
        client: Any, make_survey: Callable[..., Survey], make_user: Callable[..., User],
        login: Any, role: str) -> None:
    survey = make_survey()
    login(make_user(role, city=survey.city))
    page = client.get("/c/testgrad/entry")
    assert page.status_code == 200 and "Small survey" in page.get_data(as_text=True)
    _begin(client, survey)
    banner = client.get(f"/s/testgrad/{survey.slug}/p/1").get_data(as_text=True)
    assert "Data entry: you are typing in a paper questionnaire." in banner
    first = answer_small(client, survey)
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "Questionnaire stored" in html and "1 questionnaire entered in this sitting." in html
    start(client, survey)  # "Enter the next questionnaire": the consent page again
    second = answer_small(client, survey, pick="b")
    assert "2 questionnaires entered in this sitting." in second.get_data(as_text=True)
    assert _modes() == ["paper", "paper"]
    # Still logged in, the count on the entry page; ending the mode sends online again.
    entry_page = client.get("/c/testgrad/entry").get_data(as_text=True)
    assert "2 questionnaires entered in this sitting." in entry_page
    assert client.post("/c/testgrad/entry/stop").status_code == 302
    start(client, survey)
    assert answer_small(client, survey).status_code == 200
    assert _modes() == ["paper", "paper", "web"]


def test_nothing_records_who_entered_which_response(
        client: Any, make_survey: Callable[..., Survey], make_user: Callable[..., User],
        login: Any) -> None:
    survey = make_survey()
    user = make_user("enumerator", city=survey.city, display_name="Ana Enumerator")
    login(user)
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    _begin(client, survey)
    assert answer_small(client, survey).status_code == 200
    assert _modes() == ["paper"]
    assert set(Response.__table__.columns.keys()) == {
        "id", "survey_id", "uuid", "answers_hash", "submitted_on", "collection_mode"}
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    # Every row of the response and answer tables, as text, on either database.
    with db.engine.connect() as connection:
        rows = [repr(tuple(row)) for table in db.metadata.sorted_tables
                if table.name in ("survey_response", "survey_answer")
                for row in connection.execute(table.select())]
    assert rows  # the entered responses are there to be searched
    assert not [line for line in rows if "Ana Enumerator" in line or user.email in line]


def test_a_resident_after_a_paper_entry_sees_no_data_entry_banner(
        app: Flask, client: Any, make_survey: Callable[..., Survey],
        make_user: Callable[..., User], login: Any) -> None:
    survey = make_survey()
    login(make_user("member", city=survey.city))
    _begin(client, survey)
    assert answer_small(client, survey).status_code == 200
    resident = app.test_client()
    start(resident, survey)
    thanks = answer_small(resident, survey)
    html = thanks.get_data(as_text=True)
    assert "Thank you" in html and "Data entry" not in html
    assert _modes() == ["paper", "web"]


def test_entry_mode_needs_a_role_in_the_city(
        client: Any, make_survey: Callable[..., Survey], make_user: Callable[..., User],
        make_city: Callable[..., City], login: Any) -> None:
    survey = make_survey()
    login(make_user("regional", region=survey.city.region))
    assert client.get("/c/testgrad/entry").status_code == 403
    assert client.post(f"/c/testgrad/entry/{survey.slug}/start").status_code == 403
    client.post("/logout")
    login(make_user("member", city=make_city(slug="away")))
    assert client.get("/c/testgrad/entry").status_code == 404
    start(client, survey)
    assert answer_small(client, survey).status_code == 200
    assert _modes() == ["web"]


def test_an_enumerator_finds_the_data_entry_page_from_the_home_page(
        client: Any, make_survey: Callable[..., Survey], make_user: Callable[..., User],
        login: Any) -> None:
    survey = make_survey()
    login(make_user("enumerator", city=survey.city))
    home = client.get("/cities").get_data(as_text=True)
    assert "/c/testgrad/entry" in home and 'href="/c/testgrad/"' not in home
    assert client.get("/c/testgrad/").status_code == 403


@pytest.mark.parametrize("lapse", ["role removed", "account switched off"])
def test_a_send_after_the_role_went_is_refused_and_nothing_is_stored(
        client: Any, make_survey: Callable[..., Survey], make_user: Callable[..., User],
        login: Any, lapse: str) -> None:
    survey = make_survey()
    user = make_user("enumerator", city=survey.city)
    login(user)
    _begin(client, survey)
    address = fill_small(client, survey)
    uuid = client_uuid(client)
    if lapse == "role removed":
        auth_services.remove_membership(user.memberships[0], actor=None)
    else:
        auth_services.set_active(user, False, actor=None)
    db.session.commit()
    refused = send(client, address)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 403, html
    assert "Data entry has ended" in html and "was not stored" in html
    assert _modes() == []
    # The mode is over and the typed answers are gone: sending again stores nothing as web.
    again = client.post(address, data={"uuid": uuid})
    assert again.status_code == 302 and again.headers["Location"].endswith(
        f"/s/testgrad/{survey.slug}/")
    assert _modes() == []
    # A resident on the same browser afterwards answers online as usual.
    start(client, survey)
    assert answer_small(client, survey).status_code == 200
    assert _modes() == ["web"]


def test_logging_out_ends_the_data_entry_mode(
        client: Any, make_survey: Callable[..., Survey], make_user: Callable[..., User],
        login: Any) -> None:
    survey = make_survey()
    login(make_user("member", city=survey.city))
    _begin(client, survey)
    assert client.post("/logout").status_code == 302
    start(client, survey)
    assert answer_small(client, survey).status_code == 200
    assert _modes() == ["web"]
