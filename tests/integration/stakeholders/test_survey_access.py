"""Relationship-survey links, access by role, XSS, and the CLI."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, MappingRound, RelationshipSurveyLink, Stakeholder, Tie
from portal.models.base import utcnow
from portal.stakeholders import relationship_survey, rounds

XSS = "<script>alert(1)</script>"


@pytest.fixture
def coordinated(make_city, make_user, login, make_stakeholder, make_round):
    city = make_city()
    login(make_user("coordinator", city=city))
    people = [make_stakeholder(city, n) for n in ("Youth centre", "School", "Police")]
    return city, people, make_round(city)


def _issue(client, city, sid) -> str:
    page = client.post(f"/c/{city.slug}/stakeholders/survey-links?sid={sid}",
                       data={"lifetime_days": "7"}).get_data(as_text=True)
    return re.search(r'href="http://[^"]*/r/([A-Za-z0-9_-]+)\?lang=', page).group(1)


def _answer(client, token, partner):
    return client.post(f"/r/{token}", data={"partner": [str(partner.id)],
                                            f"kind-{partner.id}": "referral",
                                            f"frequency-{partner.id}": "weekly"})


def test_link_is_stored_hashed_and_answers_become_reported_ties(client, coordinated):
    city, (youth, school, _police), round_ = coordinated
    token = _issue(client, city, youth.id)
    client.post("/logout")
    stored = db.session.scalar(select(RelationshipSurveyLink.token_hash))
    assert stored == relationship_survey.token_hash(token)
    assert "School" in client.get(f"/r/{token}").get_data(as_text=True)
    assert _answer(client, token, school).status_code == 200
    tie = db.session.scalar(select(Tie))
    assert (tie.reporter_id, tie.round_id, tie.kind) == (youth.id, round_.id, "referral")


def test_link_works_once_per_round(client, coordinated):
    city, (youth, school, police), _round = coordinated
    token = _issue(client, city, youth.id)
    _answer(client, token, school)
    assert "Already answered" in client.get(f"/r/{token}").get_data(as_text=True)
    _answer(client, token, police)
    assert len(list(db.session.scalars(select(Tie)))) == 1
    rounds.create_round(city, "Follow-up", utcnow().date(), actor=None)
    db.session.commit()
    assert _answer(client, token, police).status_code == 200
    assert len(list(db.session.scalars(select(Tie)))) == 2


def test_revoked_and_expired_links_stop_working(client, coordinated):
    city, (youth, school, police), _round = coordinated
    token = _issue(client, city, youth.id)
    client.post(f"/c/{city.slug}/stakeholders/{youth.id}/survey-link/revoke")
    assert "no longer works" in client.get(f"/r/{token}").get_data(as_text=True)
    token2 = _issue(client, city, school.id)
    link = db.session.scalar(select(RelationshipSurveyLink).where(
        RelationshipSurveyLink.token_hash == relationship_survey.token_hash(token2)))
    link.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    _answer(client, token2, police)
    assert db.session.scalar(select(Tie.id)) is None


def test_unknown_token_is_404_and_page_needs_no_account(client, coordinated):
    client.post("/logout")
    assert client.get("/r/not-a-token").status_code == 404


def test_public_page_is_rate_limited(app_config, make_city):
    app_config["RATELIMIT_ENABLED"] = True
    from portal import create_app
    app = create_app(app_config)
    client = app.test_client()
    codes = [client.get("/r/nope").status_code for _ in range(35)]
    assert codes[0] == 404 and codes[-1] == 429


def test_public_page_is_arabic_rtl(client, coordinated):
    city, (youth, *_), _round = coordinated
    token = _issue(client, city, youth.id)
    from flask_babel import refresh

    refresh()  # the test's outer app context would otherwise keep the first request's locale
    page = client.get(f"/r/{token}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in page and "مع من تعمل؟" in page


def test_post_without_csrf_token_fails(app_config, make_city, make_stakeholder, make_round):
    app_config["WTF_CSRF_ENABLED"] = True
    from portal import create_app
    app = create_app(app_config)
    with app.app_context():
        city = make_city()
        a, b = make_stakeholder(city, "A"), make_stakeholder(city, "B")
        make_round(city)
        token = relationship_survey.issue(city, [a], 3, actor=None)[0][1]
        db.session.commit()
        response = app.test_client().post(f"/r/{token}", data={
            "partner": [str(b.id)], f"kind-{b.id}": "referral", f"frequency-{b.id}": "weekly"})
        assert response.status_code == 400
        assert db.session.scalar(select(Tie.id)) is None


def test_regional_coordinator_sees_no_contact_fields(client, make_city, make_region, make_user,
                                                     login, make_stakeholder):
    region = make_region()
    city = make_city(region=region)
    s = make_stakeholder(city, "Youth centre", contact_email="secret@example.org",
                         contact_person="Secret Person")
    login(make_user("regional", region=region))
    pages = [client.get(f"/c/{city.slug}/stakeholders/{s.id}"),
             client.get(f"/c/{city.slug}/stakeholders/export/stakeholders.csv"),
             client.get(f"/c/{city.slug}/stakeholders/export/map.xlsx"),
             client.get(f"/c/{city.slug}/stakeholders")]
    for response in pages:
        assert response.status_code == 200
        assert b"secret@example.org" not in response.data and b"Secret Person" not in response.data
        assert b"contact_email" not in response.data
    assert client.get(f"/c/{city.slug}/stakeholders/{s.id}/edit").status_code == 403


def test_team_member_sees_contact_fields(client, team_city, make_stakeholder):
    s = make_stakeholder(team_city, "Youth centre", contact_email="team@example.org")
    assert b"team@example.org" in client.get(f"/c/{team_city.slug}/stakeholders/{s.id}").data
    assert b"team@example.org" in client.get(
        f"/c/{team_city.slug}/stakeholders/export/stakeholders.csv").data


def test_member_of_other_city_gets_404(client, make_city, make_user, login, make_stakeholder):
    city, other = make_city(), make_city()
    s = make_stakeholder(city, "A")
    login(make_user("member", city=other))
    for url in (f"/c/{city.slug}/stakeholders", f"/c/{city.slug}/stakeholders/{s.id}",
                f"/c/{city.slug}/stakeholders/export/stakeholders.csv"):
        assert client.get(url).status_code == 404


def test_script_names_are_shown_as_text_everywhere(client, make_city, make_user, login,
                                                   make_stakeholder, make_round, make_tie):
    city = make_city()
    login(make_user("coordinator", city=city))
    evil, other = make_stakeholder(city, XSS), make_stakeholder(city, "Other")
    make_tie(evil, other, make_round(city))
    urls = [f"/c/{city.slug}/stakeholders", f"/c/{city.slug}/stakeholders/{evil.id}",
            f"/c/{city.slug}/stakeholders/{other.id}", f"/c/{city.slug}/stakeholders/survey-links",
            f"/c/{city.slug}/stakeholders/{evil.id}/edit"]
    for url in urls:
        page = client.get(url).get_data(as_text=True)
        assert XSS not in page, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, url
    token = relationship_survey.issue(city, [other], 3, actor=None)[0][1]
    db.session.commit()
    assert XSS not in client.get(f"/r/{token}").get_data(as_text=True)
    graphml = client.get(f"/c/{city.slug}/stakeholders/export/network.graphml").data
    assert b"<script>" not in graphml


def test_cli_import_fails_with_row_errors(runner, make_city, tmp_path):
    city = make_city()
    bad = tmp_path / "p.csv"
    bad.write_text("name,sector\nA,youth\nB,astrology\n")
    result = runner.invoke(args=["stakeholders", "import", city.slug, "--stakeholders", str(bad)])
    assert result.exit_code == 1
    assert "row 3" in result.output and "astrology" in result.output
    assert db.session.scalar(select(Stakeholder.id)) is None


def test_cli_export_import_and_erase(runner, make_city, make_stakeholder, make_round, make_tie,
                                     tmp_path):
    city, copy = make_city(), make_city()
    a, b = make_stakeholder(city, "A", contact_email="a@example.org"), make_stakeholder(city, "B")
    make_tie(a, b, make_round(city))
    out = tmp_path / "csv"
    assert runner.invoke(args=["stakeholders", "export", city.slug, "--format", "csv",
                               "--out", str(out)]).exit_code == 0
    result = runner.invoke(args=["stakeholders", "import", copy.slug, "--stakeholders",
                                 str(out / "stakeholders.csv"), "--ties", str(out / "ties.csv")])
    assert result.exit_code == 0, result.output
    for fmt in ("xlsx", "graphml", "gexf", "json"):
        assert runner.invoke(args=["stakeholders", "export", city.slug, "--format", fmt,
                                   "--out", str(tmp_path / f"n.{fmt}")]).exit_code == 0
    result = runner.invoke(args=["stakeholders", "erase", city.slug, "A", "--keep-ties"])
    assert result.exit_code == 0
    db.session.expire_all()
    erased = db.session.get(Stakeholder, a.id)
    assert erased.contact_email == "" and erased.name != "A"
    assert db.session.scalar(select(Tie.id).where(Tie.city_id == city.id)) is not None
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "stakeholder.erase"))
    runner.invoke(args=["stakeholders", "erase", city.slug, "B"])
    assert db.session.scalar(select(Tie.id).where(Tie.city_id == city.id)) is None


def test_cli_import_names_the_default_round_and_audits_like_the_web(runner, make_city, tmp_path):
    city = make_city()
    people, links = tmp_path / "p.csv", tmp_path / "t.csv"
    people.write_text("name\nA\nB\n")
    links.write_text("from,to,kind,frequency\nA,B,referral,monthly\n")
    result = runner.invoke(args=["stakeholders", "import", city.slug, "--stakeholders",
                                 str(people), "--ties", str(links), "--round", "  Follow   up "])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(MappingRound.name).where(
        MappingRound.city_id == city.id)).all() == ["Follow up"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "stakeholders.import"))
    assert event is not None and event.user_id is None and event.city_id == city.id


@pytest.mark.parametrize("name", ["stakeholders.csv", "ties.csv", "network.json",
                                  "network.graphml"])
def test_cli_export_writes_the_bytes_the_web_serves(runner, client, team_city, make_stakeholder,
                                                    make_round, make_tie, tmp_path, name):
    a = make_stakeholder(team_city, "A", contact_email="a@example.org")
    make_tie(a, make_stakeholder(team_city, "B"), make_round(team_city))
    fmt = name.split(".")[1] if name.startswith("network") else "csv"
    out = tmp_path / "out"
    result = runner.invoke(args=["stakeholders", "export", team_city.slug, "--format", fmt,
                                 "--out", str(out), "--contact"])
    assert result.exit_code == 0, result.output
    written = (out / name if fmt == "csv" else out).read_bytes()
    served = client.get(f"/c/{team_city.slug}/stakeholders/export/{name}").data
    assert written == served
