"""Relationship-survey links handed out: CSV, printable QR cards, who answered, several kinds."""

from __future__ import annotations

import base64
import csv
import io
import re

import pytest
import zxingcpp
from flask_babel import refresh
from PIL import Image
from sqlalchemy import select

from portal.extensions import db
from portal.models import RelationshipSurveyLink, Tie
from portal.stakeholders import relationship_survey


@pytest.fixture
def coordinated(make_city, make_user, login, make_stakeholder, make_round):
    city = make_city(default_locale="mk")
    login(make_user("coordinator", city=city, preferred_locale="en"))
    people = [make_stakeholder(city, n, sector=s) for n, s in (
        ("Youth centre", "youth"), ("School no. 3", "education"), ("Police station", "police"),
        ("=HYPERLINK(\"http://evil\")", "media"))]
    return city, people, make_round(city)


def _issue_all(client, city, locale=""):
    return client.post(f"/c/{city.slug}/stakeholders/survey-links",
                       data={"lifetime_days": "14", "locale": locale})


def _issue_one(client, city, sid, locale):
    return client.post(f"/c/{city.slug}/stakeholders/survey-links?sid={sid}",
                       data={"lifetime_days": "14", "locale": locale})


def _links_csv(client, city, query=""):
    response = client.get(f"/c/{city.slug}/stakeholders/survey-links.csv{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))


def _token(url):
    return re.search(r"/r/([A-Za-z0-9_-]+)\?lang=", url).group(1)


def _decode(data_uri):
    prefix = "data:image/png;base64,"
    image = Image.open(io.BytesIO(base64.b64decode(data_uri[len(prefix):])))
    (barcode,) = zxingcpp.read_barcodes(image)
    return barcode.text


def test_links_csv_has_every_open_link_working_and_formula_safe(client, coordinated):
    city, people, _round = coordinated
    _issue_all(client, city, "sq")
    rows = _links_csv(client, city)
    assert sorted(r["stakeholder"] for r in rows) == sorted(
        ["Youth centre", "School no. 3", "Police station", "'=HYPERLINK(\"http://evil\")"])
    assert {r["language"] for r in rows} == {"sq"}
    assert all(r["link"].endswith("?lang=sq") for r in rows)
    hashes = set(db.session.scalars(select(RelationshipSurveyLink.token_hash)))
    assert {relationship_survey.token_hash(_token(r["link"])) for r in rows} == hashes
    client.post("/logout")
    refresh()
    page = client.get(rows[0]["link"].split("localhost", 1)[1]).get_data(as_text=True)
    assert '<html lang="sq"' in page and "Police station" in page


def test_one_stakeholder_csv_and_a_member_may_not(client, coordinated, make_user, login):
    city, (youth, school, *_), _round = coordinated
    _issue_all(client, city)
    rows = _links_csv(client, city, f"?sid={school.id}")
    assert [r["stakeholder"] for r in rows] == ["School no. 3"]
    assert rows[0]["language"] == "mk"  # the city's language when none was chosen
    assert client.get(f"/c/{city.slug}/stakeholders/survey-links.csv?sid=x").status_code == 404
    client.post("/logout")
    login(make_user("member", city=city))
    assert client.get(f"/c/{city.slug}/stakeholders/survey-links.csv").status_code == 403
    assert client.get(f"/c/{city.slug}/stakeholders/survey-links/cards").status_code == 403


def test_printed_qr_codes_decode_to_the_links_in_each_ones_language(client, coordinated):
    city, (youth, school, police, _evil), _round = coordinated
    _issue_one(client, city, youth.id, "ar")
    _issue_one(client, city, school.id, "rom")
    response = client.get(f"/c/{city.slug}/stakeholders/survey-links/cards")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    cards = re.findall(r'<article class="link-card" lang="([^"]+)" dir="([^"]+)">(.*?)</article>',
                       page, re.S)
    assert [(lang, direction) for lang, direction, _body in cards] == [("rom", "ltr"),
                                                                        ("ar", "rtl")]
    links = {row["stakeholder"]: row["link"] for row in _links_csv(client, city)}
    for (_lang, _dir, body), name in zip(cards, ["School no. 3", "Youth centre"], strict=True):
        qr = re.search(r'src="(data:image/png;base64,[^"]+)"', body).group(1)
        assert _decode(qr) == links[name]
        assert links[name] in body
    assert "مع من تعمل؟" in cards[1][2]  # the Arabic card is in Arabic…
    assert "Who do you work with?" not in cards[0][2]  # …and the Romani one not in English
    assert "Police station" not in page  # no open link, no card


def test_links_page_lists_who_answered_and_reissues_for_the_others(client, coordinated):
    city, (youth, school, police, evil), _round = coordinated
    _issue_all(client, city)
    rows = {r["stakeholder"]: _token(r["link"]) for r in _links_csv(client, city)}
    client.post(f"/r/{rows['Youth centre']}", data={
        "partner": [str(school.id)], f"kind-{school.id}": ["referral"],
        f"frequency-{school.id}": "weekly"})
    page = client.get(f"/c/{city.slug}/stakeholders/survey-links").get_data(as_text=True)
    waiting = page.split('id="waiting-title"')[1].split('id="answered-title"')[0]
    answered = page.split('id="answered-title"')[1]
    assert "Not answered yet: 3 stakeholders" in page and "Answered in this round: 1" in page
    assert "Youth centre" in answered and "Youth centre" not in waiting
    assert "School no. 3" in waiting and "School no. 3" not in answered
    # Re-issue one link: the old one stops, the new one works and keeps the language.
    _issue_one(client, city, school.id, "tr")
    new = {r["stakeholder"]: r for r in _links_csv(client, city)}["School no. 3"]
    assert new["language"] == "tr"
    old = client.get(f"/r/{rows['School no. 3']}?lang=en").get_data(as_text=True)
    assert "no longer works" in old
    assert client.get(f"/r/{_token(new['link'])}").status_code == 200
    # Everyone's new links: the one who answered keeps its (answered) link.
    client.post(f"/c/{city.slug}/stakeholders/{police.id}/survey-link/revoke")
    _issue_all(client, city)
    again = {r["stakeholder"]: r for r in _links_csv(client, city)}
    assert "Youth centre" not in again and "Police station" in again
    assert again["School no. 3"]["link"] == new["link"]  # still open: not re-issued


def test_one_answer_names_several_kinds_for_one_partner(client, coordinated):
    city, (youth, school, police, _evil), round_ = coordinated
    token = relationship_survey.issue(city, [youth], 7, actor=None)[0][1]
    db.session.commit()
    client.post("/logout")
    response = client.post(f"/r/{token}?lang=en", data={
        "partner": [str(school.id), str(police.id)],
        f"kind-{school.id}": ["referral", "joint_activity", "referral"],
        f"frequency-{school.id}": "weekly",
        f"kind-{police.id}": ["information"], f"frequency-{police.id}": "yearly"})
    assert "Thank you" in response.get_data(as_text=True)
    found = {(t.kind, t.frequency, t.reporter_id, t.round_id) for t in db.session.scalars(
        select(Tie))}
    assert found == {("referral", "weekly", youth.id, round_.id),
                     ("joint_activity", "weekly", youth.id, round_.id),
                     ("information", "yearly", youth.id, round_.id)}


def test_a_ticked_partner_without_a_kind_keeps_the_form_and_saves_nothing(client, coordinated):
    city, (youth, school, police, _evil), _round = coordinated
    token = relationship_survey.issue(city, [youth], 7, actor=None)[0][1]
    db.session.commit()
    client.post("/logout")
    page = client.post(f"/r/{token}?lang=en", data={
        "partner": [str(school.id), str(police.id)], f"kind-{school.id}": ["funding"],
        f"frequency-{school.id}": "quarterly", f"frequency-{police.id}": "weekly",
    }).get_data(as_text=True)
    assert "Choose a kind and a frequency for every tie." in page
    assert f'value="{school.id}" id="partner-{school.id}" checked' in page
    assert f'name="kind-{school.id}" value="funding" checked' in page
    assert re.search(rf'id="frequency-{school.id}">.*?<option value="quarterly" selected', page,
                     re.S)
    assert db.session.scalar(select(Tie.id)) is None
    assert db.session.scalar(select(RelationshipSurveyLink.answered_at)) is None


def test_form_groups_partners_by_sector_with_details_per_partner(client, coordinated):
    city, (youth, *_), _round = coordinated
    token = relationship_survey.issue(city, [youth], 7, actor=None)[0][1]
    db.session.commit()
    client.post("/logout")
    page = client.get(f"/r/{token}?lang=en").get_data(as_text=True)
    groups = re.findall(r'<span class="sector-name">([^<]+)</span>', page)
    assert groups == ["Education", "Police", "Media"]  # the taxonomy's order, no empty sector
    assert page.count('type="checkbox" name="kind-') == 3 * 5


def test_a_link_printed_before_reprints_existed_is_not_offered(client, coordinated):
    city, (youth, school, *_), _round = coordinated
    relationship_survey.issue(city, [youth, school], 7, actor=None)
    db.session.commit()
    old = db.session.scalar(select(RelationshipSurveyLink).where(
        RelationshipSurveyLink.stakeholder_id == youth.id))
    old.token_nonce = None
    db.session.commit()
    assert [r["stakeholder"] for r in _links_csv(client, city)] == ["School no. 3"]


def test_a_new_secret_key_stops_reprints_but_not_the_links(app, client, coordinated):
    city, (youth, *_), _round = coordinated
    token = relationship_survey.issue(city, [youth], 7, actor=None)[0][1]
    db.session.commit()
    link = db.session.scalar(select(RelationshipSurveyLink))
    assert relationship_survey.token_of(link) == token
    old_key = app.config["SECRET_KEY"]
    app.config["SECRET_KEY"] = "another secret key that is long enough for the test"
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert relationship_survey.token_of(link) == token  # the rotated key still reprints
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert relationship_survey.token_of(link) is None  # once dropped, cannot be shown again…
    client.post("/logout")
    assert 'name="partner"' in client.get(f"/r/{token}").get_data(as_text=True)  # …but works
