"""Stakeholder pages: list, profile, add, edit, archive, ties, rounds."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, City, Stakeholder, Tie


def test_list_shows_stakeholders_counts_and_not_yet_connected(client, team_city, make_stakeholder,
                                                              make_round, make_tie):
    school = make_stakeholder(team_city, "Primary school no. 3", sector="education")
    youth = make_stakeholder(team_city, "Youth centre", sector="youth")
    make_stakeholder(team_city, "Mosque board", sector="religious")
    make_tie(school, youth, make_round(team_city))
    page = client.get(f"/c/{team_city.slug}/stakeholders").get_data(as_text=True)
    assert "Primary school no. 3" in page and "Youth centre" in page
    assert "not yet connected" in page
    assert "isolated" not in page.lower()


def test_add_stakeholder_bumps_revision_and_audits(client, team_city):
    before = team_city.network_revision
    response = client.post(f"/c/{team_city.slug}/stakeholders/new", data={
        "name": "Youth centre", "organisation": "Municipality", "sector": "youth",
        "level": "local", "area_id": "", "notes": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(City, team_city.id).network_revision == before + 1
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "stakeholder.create")) is not None


def test_duplicate_name_is_refused(client, team_city, make_stakeholder):
    make_stakeholder(team_city, "Youth centre")
    response = client.post(f"/c/{team_city.slug}/stakeholders/new", data={
        "name": "youth  CENTRE", "sector": "youth", "level": "local"})
    assert response.status_code == 200
    assert "exists already" in response.get_data(as_text=True)


def test_ten_ties_take_one_form(client, team_city, make_stakeholder):
    me = make_stakeholder(team_city, "Youth worker")
    others = [make_stakeholder(team_city, f"Partner {i}") for i in range(10)]
    data = {"partner": [str(o.id) for o in others], "round_id": ""}
    for o in others:
        data[f"kind-{o.id}"] = "referral"
        data[f"frequency-{o.id}"] = "weekly"
    response = client.post(f"/c/{team_city.slug}/stakeholders/{me.id}/ties", data=data)
    assert response.status_code == 302
    ties = list(db.session.scalars(select(Tie)))
    assert len(ties) == 10
    assert {t.kind for t in ties} == {"referral"}
    page = client.get(f"/c/{team_city.slug}/stakeholders/{me.id}").get_data(as_text=True)
    assert page.count("Referral") >= 10


def test_self_tie_and_foreign_partner_are_refused(client, team_city, make_city, make_stakeholder):
    me = make_stakeholder(team_city, "Youth worker")
    stranger = make_stakeholder(make_city(), "Elsewhere")
    for partner in (me, stranger):
        client.post(f"/c/{team_city.slug}/stakeholders/{me.id}/ties", data={
            "partner": [str(partner.id)], f"kind-{partner.id}": "referral",
            f"frequency-{partner.id}": "weekly"})
    assert db.session.scalar(select(Tie.id)) is None


def test_archive_hides_from_list_and_keeps_ties(client, team_city, make_stakeholder, make_round,
                                               make_tie):
    a, b = make_stakeholder(team_city, "Alpha"), make_stakeholder(team_city, "Beta")
    make_tie(a, b, make_round(team_city))
    client.post(f"/c/{team_city.slug}/stakeholders/{a.id}/archive")
    page = client.get(f"/c/{team_city.slug}/stakeholders").get_data(as_text=True)
    assert "Alpha" not in page
    assert db.session.scalar(select(Tie.id)) is not None
    archived = client.get(f"/c/{team_city.slug}/stakeholders?archived=y").get_data(as_text=True)
    assert "Alpha" in archived


def test_new_round_copies_ties_and_becomes_current(app, make_city, make_user, login, client,
                                                   make_stakeholder, make_round, make_tie):
    city = make_city()
    login(make_user("coordinator", city=city))
    base = make_round(city, "Baseline")
    make_tie(make_stakeholder(city, "A"), make_stakeholder(city, "B"), base)
    response = client.post(f"/c/{city.slug}/stakeholders/rounds", data={
        "name": "Follow-up", "held_on": "2025-06-01", "copy_from": str(base.id),
        "make_current": "y"})
    assert response.status_code == 302
    from portal.stakeholders.rounds import current_round
    current = current_round(city)
    assert current.name == "Follow-up"
    assert len(list(db.session.scalars(select(Tie).where(Tie.round_id == current.id)))) == 1


def test_member_cannot_create_rounds(client, team_city):
    response = client.post(f"/c/{team_city.slug}/stakeholders/rounds", data={
        "name": "X", "held_on": "2025-06-01"})
    assert response.status_code == 403


def test_list_page_query_count_is_constant(client, team_city, make_stakeholder, make_round,
                                           make_tie, count_queries):
    round_ = make_round(team_city)
    first = make_stakeholder(team_city, "First")

    def queries() -> int:
        with count_queries() as statements:
            assert client.get(f"/c/{team_city.slug}/stakeholders").status_code == 200
        return len(statements)

    few = queries()
    for i in range(30):
        other = make_stakeholder(team_city, f"S{i}", area_id=None)
        make_tie(first, other, round_)
    assert queries() == few


def test_profile_of_another_citys_stakeholder_is_404(client, team_city, make_city,
                                                      make_stakeholder):
    other = make_stakeholder(make_city(), "Elsewhere")
    assert client.get(f"/c/{team_city.slug}/stakeholders/{other.id}").status_code == 404
    assert client.get(f"/c/{other.city_id}/stakeholders").status_code == 404


def test_stakeholder_model_has_no_identity_fields():
    columns = set(Stakeholder.__table__.columns.keys())
    assert not columns & {"ethnicity", "religion", "mother_tongue", "language", "faith"}
