"""Names as people expect them: one key (NFKC, Unicode case folding, spaces) in any script."""

from __future__ import annotations

from sqlalchemy import func, insert, select

from portal.extensions import db
from portal.models import Area, MappingRound, Stakeholder
from portal.names import name_key


def test_name_key_folds_case_in_every_script_and_collapses_spaces():
    assert name_key("  Ромски   информативен Центар ") == "ромски информативен центар"
    assert name_key("SHOQATA e TË rinjve") == name_key("Shoqata e të rinjve")
    assert name_key("Ｙｏｕｔｈ") == "youth"  # NFKC: full-width letters
    assert name_key("Straße") == name_key("STRASSE")


def test_cyrillic_duplicate_in_other_capitals_is_refused(client, team_city, make_stakeholder):
    make_stakeholder(team_city, "Ромски информативен центар")
    response = client.post(f"/c/{team_city.slug}/stakeholders/new", data={
        "name": "ромски  ИНФОРМАТИВЕН центар", "sector": "civil_society", "level": "local"})
    assert response.status_code == 200
    assert "exists already" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Stakeholder)) == 1


def test_cyrillic_area_in_other_capitals_is_refused(client, team_city):
    url = f"/c/{team_city.slug}/stakeholders/areas"
    assert client.post(url, data={"name": "Шуто Оризари"}).status_code == 302
    response = client.post(url, data={"name": "шуто ОРИЗАРИ"})
    assert response.status_code == 200
    assert "exists already" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Area)) == 1


def test_search_finds_any_part_of_a_name_or_organisation_in_any_script(
        client, team_city, make_stakeholder):
    make_stakeholder(team_city, "Младински центар")
    make_stakeholder(team_city, "Youth club", organisation="Shoqata e të rinjve")
    make_stakeholder(team_city, "School 100%")
    make_stakeholder(team_city, "Fire brigade")

    def found(q: str) -> set[str]:
        html = client.get(f"/c/{team_city.slug}/stakeholders", query_string={"q": q}
                          ).get_data(as_text=True)
        return {n for n in ("Младински центар", "Youth club", "School 100%", "Fire brigade")
                if n in html}

    assert found("млад") == {"Младински центар"}
    assert found("ЦЕНТАР") == {"Младински центар"}
    assert found("shoqata") == {"Youth club"}
    assert found("TË RINJ") == {"Youth club"}
    assert found("%") == {"School 100%"}  # the LIKE wildcards are escaped
    assert found("_") == set()


def test_rows_inserted_in_bulk_get_their_keys(app, team_city):
    db.session.execute(insert(Stakeholder.__table__), [
        {"city_id": team_city.id, "name": "Центар ЗА Социјална работа",
         "organisation": "Општина", "sector": "social", "level": "local"}])
    row = db.session.scalars(select(Stakeholder)).one()
    assert (row.name_key, row.organisation_key) == ("центар за социјална работа", "општина")


def test_cli_finds_a_round_by_name_in_other_capitals(runner, team_city, make_round, tmp_path):
    make_round(team_city, "Почетна состојба / Baseline")
    out = tmp_path / "map.json"
    result = runner.invoke(args=["stakeholders", "export", team_city.slug, "--format", "json",
                                 "--out", str(out), "--round", "почетна СОСТОЈБА / baseline"])
    assert result.exit_code == 0, result.output
    assert out.exists()


def test_new_round_with_an_existing_cyrillic_name_is_a_form_error(
        client, make_city, make_user, login, make_round):
    city = make_city()
    login(make_user("coordinator", city=city))
    make_round(city, "Почетна состојба")
    response = client.post(f"/c/{city.slug}/stakeholders/rounds", data={
        "name": "ПОЧЕТНА Состојба", "held_on": "2025-06-01", "make_current": "y"})
    assert response.status_code == 200
    assert "A round with this name exists already." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(MappingRound)) == 1
