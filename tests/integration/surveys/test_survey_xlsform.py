"""XLSForm wiring: the real fixtures through the import into the database, export, CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pyxform.xls2xform import convert
from sqlalchemy import select

from portal.extensions import db
from portal.models import Survey
from portal.surveys.authoring import transfer
from portal.surveys.authoring.convert import spec_from_survey
from portal.surveys.demo.seed import seed_city

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "xlsform"
ACCEPTED = {"multilingual_en_sw_fr.xlsx": 5, "community_needs_survey_de.xlsx": None,
            "subdistrict_profiling_ar_en.xlsx": 76, "volunteer_application_de_en.xlsx": None,
            "onadata_text_and_integer.csv": 2}
REJECTED = {
    # file: (row numbers that must be named in the messages)
    "biomass_plot_sw_en.xlsx": (16, 22, 23, 32),
    "all_question_types.xlsx": (30, 40, 66),
    "pyxform_gps.csv": (2,),
}


@pytest.fixture
def request_ctx(app):
    """Issue messages are translated: they need a request context."""
    with app.test_request_context():
        yield


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_fixture_becomes_a_draft_survey(request_ctx, make_city, name):
    city = make_city(slug="testgrad")
    outcome = transfer.import_survey(city, "imported", (FIXTURES / name).read_bytes(), name=name,
                                     actor=None)
    assert outcome.survey is not None, outcome.errors
    db.session.commit()
    survey = db.session.scalars(select(Survey)).one()
    assert survey.status == "draft" and survey.questions
    if ACCEPTED[name]:
        asked = [q for q in survey.questions if q.qtype not in ("note", "calculate")]
        assert len(asked) == ACCEPTED[name]


def test_language_without_code_is_matched_by_name_with_a_notice(request_ctx, make_city):
    city = make_city(slug="testgrad")
    data = (FIXTURES / "multilingual_en_sw_fr.xlsx").read_bytes()
    outcome = transfer.import_survey(city, "multi", data, actor=None)
    assert outcome.survey is not None
    assert outcome.survey.languages == ["en", "sw", "fr"]
    assert any("Swahili" in notice for notice in outcome.notices)


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_fixture_names_every_offending_row_and_stores_nothing(
        request_ctx, make_city, name):
    city = make_city(slug="testgrad")
    outcome = transfer.import_survey(city, "bad", (FIXTURES / name).read_bytes(), name=name,
                                     actor=None)
    assert outcome.survey is None and outcome.errors
    text = "\n".join(outcome.errors)
    for row in REJECTED[name]:
        assert f"row {row}:" in text, (row, text)
    db.session.rollback()
    assert db.session.scalars(select(Survey)).all() == []


def test_demo_survey_round_trips_through_xlsform_and_pyxform(request_ctx, make_city, tmp_path):
    city = make_city(slug="testgrad", default_locale="sq")
    survey = seed_city(city)
    data = transfer.export_survey(survey).getvalue()
    path = tmp_path / "demo.xlsx"
    path.write_bytes(data)
    convert(xlsform=str(path), validate=False)  # pyxform accepts it without error
    again = transfer.import_survey(city, "again", data, actor=None)
    assert again.survey is not None, again.errors
    before, after = spec_from_survey(survey), spec_from_survey(again.survey)
    assert after["languages"] == before["languages"]
    assert after["title"] == before["title"]
    for old, new in zip(before["questions"], after["questions"], strict=True):
        for key in ("name", "type", "label", "hint", "choices", "subscale", "reverse",
                    "dont_know", "prefer_not", "required", "relevant", "section"):
            assert new[key] == old[key], (old["name"], key)


def test_web_import_and_export(client, make_city, make_user, login):
    city = make_city(slug="testgrad")
    login(make_user("coordinator", city=city))
    data = (FIXTURES / "multilingual_en_sw_fr.xlsx").read_bytes()
    response = client.post("/c/testgrad/surveys/import", data={
        "slug": "fruits", "file": (io.BytesIO(data), "form.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    exported = client.get("/c/testgrad/surveys/fruits/xlsform.xlsx")
    assert exported.status_code == 200 and exported.data[:2] == b"PK"


def test_web_import_of_a_rejected_form_lists_the_rows(client, make_city, make_user, login):
    city = make_city(slug="testgrad")
    login(make_user("coordinator", city=city))
    data = (FIXTURES / "biomass_plot_sw_en.xlsx").read_bytes()
    response = client.post("/c/testgrad/surveys/import", data={
        "slug": "plots", "file": (io.BytesIO(data), "form.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "row 22:" in page and "never records a location" in page
    assert "row 32:" in page and "trees" in page  # the repeat, with its reason
    assert "UCL_regions.csv" in page  # a choice file that was not attached


CASCADE_FORM = (
    "survey,,,,\n,type,name,label::English (en),choice_filter\n"
    ",select_one_from_file areas.csv,area,Your area,\n"
    ",select_one hood,hood,Your neighbourhood,area=${area}\n"
    "choices,,,,\n,list_name,name,label::English (en),area\n"
    ",hood,h1,Old town,north\n,hood,h2,Riverside,south\n"
)
AREAS = "name,label::English (en)\nnorth,North\nsouth,South\n"


def test_web_import_with_an_attached_choice_file_and_a_cascading_select(
        client, make_city, make_user, login):
    city = make_city(slug="testgrad")
    login(make_user("coordinator", city=city))
    response = client.post("/c/testgrad/surveys/import", data={
        "slug": "hoods", "file": (io.BytesIO(CASCADE_FORM.encode()), "form.csv"),
        "attachments": [(io.BytesIO(AREAS.encode()), "areas.csv")]},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    survey = db.session.scalars(select(Survey).where(Survey.slug == "hoods")).one()
    area, hood = survey.questions
    assert [(c.name, c.label) for c in area.choices] == [("north", {"en": "North"}),
                                                         ("south", {"en": "South"})]
    assert hood.choice_filter == "area=${area}"
    assert [c.filters for c in hood.choices] == [{"area": "north"}, {"area": "south"}]


def test_web_import_without_the_choice_file_names_it(client, make_city, make_user, login):
    city = make_city(slug="testgrad")
    login(make_user("coordinator", city=city))
    response = client.post("/c/testgrad/surveys/import", data={
        "slug": "hoods", "file": (io.BytesIO(CASCADE_FORM.encode()), "form.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "row 2:" in response.get_data(as_text=True)
    assert "areas.csv" in response.get_data(as_text=True)


def test_cli_import_and_export(runner, make_city, tmp_path):
    make_city(slug="testgrad")
    result = runner.invoke(args=["surveys", "import-xlsform", "testgrad",
                                 str(FIXTURES / "multilingual_en_sw_fr.xlsx"), "--slug", "multi"])
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output
    out = tmp_path / "out.xlsx"
    result = runner.invoke(args=["surveys", "export-xlsform", "testgrad", "multi", "--out",
                                 str(out)])
    assert result.exit_code == 0, result.output
    convert(xlsform=str(out), validate=False)


def test_cli_import_of_a_rejected_form_fails_with_the_rows(runner, make_city):
    make_city(slug="testgrad")
    result = runner.invoke(args=["surveys", "import-xlsform", "testgrad",
                                 str(FIXTURES / "all_question_types.xlsx")])
    assert result.exit_code == 1
    assert "row 30:" in result.output  # the first photo


def test_cli_import_attaches_choice_files(runner, make_city, tmp_path):
    make_city(slug="testgrad")
    form, areas = tmp_path / "hoods.csv", tmp_path / "areas.csv"
    form.write_text(CASCADE_FORM)
    areas.write_text(AREAS)
    result = runner.invoke(args=["surveys", "import-xlsform", "testgrad", str(form),
                                 "--attach", str(areas)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["surveys", "import-xlsform", "testgrad", str(form),
                                 "--slug", "again"])
    assert result.exit_code == 1 and "areas.csv" in result.output


def test_consent_and_demographic_flags_survive_the_portal_round_trip(request_ctx, make_city):
    city = make_city(slug="testgrad", default_locale="sq")
    survey = seed_city(city)
    assert survey.consent and any(q.demographic for q in survey.questions)
    data = transfer.export_survey(survey).getvalue()
    again = transfer.import_survey(city, "again", data, actor=None)
    assert again.survey is not None, again.errors
    assert again.survey.consent == survey.consent
    assert ({q.name: q.demographic for q in again.survey.questions}
            == {q.name: q.demographic for q in survey.questions})
    assert spec_from_survey(again.survey)["consent"] == spec_from_survey(survey)["consent"]
