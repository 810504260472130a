"""Tests for XLSForm import (real fixtures, hand-made forms) and the export round trip."""

from __future__ import annotations

import io
import warnings
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from pyxform.xls2xform import convert

from portal.surveys.xlsform import codes, export_xlsform, import_xlsform
from portal.surveys.xlsform.spec import ImportResult, Survey, new_question

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "xlsform"


def rows_by(result: ImportResult, code: str, key: str | None = None) -> dict[Any, list[int]]:
    """Group the rows of the errors with ``code`` by one of their params."""
    found: dict[Any, list[int]] = defaultdict(list)
    for issue in result.errors:
        if issue["code"] == code:
            found[issue["params"].get(key) if key else None].append(issue["row"])
    return dict(found)


def notice(result: ImportResult, code: str) -> list[dict[str, Any]]:
    """Return the params of every notice with ``code``."""
    return [n["params"] for n in result.notices if n["code"] == code]


def make_xlsx(survey: list[list[Any]], choices: list[list[Any]] | None = None,
              settings_rows: list[list[Any]] | None = None) -> bytes:
    """Build an XLSForm workbook from plain rows (first row = header)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings_rows)):
        if rows is not None:
            extra = book.create_sheet(title)
            for row in rows:
                extra.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the six real fixtures -------------------------------------------------------------


def test_multilingual_form_is_accepted_with_languages_matched_by_name() -> None:
    result = import_xlsform(FIXTURES / "multilingual_en_sw_fr.xlsx")
    assert result.errors == [] and result.spec is not None
    spec = result.spec
    assert spec["languages"] == ["en", "sw", "fr"] and spec["default_language"] == "en"
    matched = notice(result, codes.LANGUAGE_MATCHED_BY_NAME)
    assert {(m["language"], m["code"]) for m in matched} == {
        ("English", "en"), ("Swahili", "sw"), ("French", "fr")}
    sex = next(q for q in spec["questions"] if q["name"] == "sex_resp")
    assert [c["name"] for c in sex["choices"]] == ["1", "2"]
    assert sex["choices"][0]["label"] == {"en": "Male", "sw": "Mume", "fr": "Masculine"}
    assert [q["type"] for q in spec["questions"]] == ["text", "integer", "single", "multi",
                                                      "single"]
    assert {q["section"] for q in spec["questions"]} == {"group1"}
    assert spec["notices"] == result.notices


def test_community_needs_survey_is_accepted_with_raw_markup() -> None:
    result = import_xlsform(FIXTURES / "community_needs_survey_de.xlsx")
    assert result.errors == [] and result.spec is not None
    questions = result.spec["questions"]
    assert len(questions) == 42
    counts = defaultdict(int)
    for question in questions:
        counts[question["type"]] += 1
    assert dict(counts) == {"text": 16, "multi": 12, "single": 8, "note": 4, "integer": 2}
    assert result.spec["languages"] == ["de"]
    assert result.spec["form_id"] == "bedarfserhebung_mo_sachsen"
    assert "*" in result.spec["title"]["de"]
    by_name = {q["name"]: q for q in questions}
    assert "<strong>Senden</strong>" in by_name["abschluss_danke"]["label"]["de"]
    assert "**[Das Zusammenleben e.V.]" in by_name["welcome"]["label"]["de"]
    assert by_name["abschluss_danke"]["section_label"] == {}
    assert by_name["email"]["constraint"].startswith("regex(., ")
    assert sum(1 for q in questions if q["relevant"]) == 14
    assert sum(1 for q in questions if q["required"]) == 7


def test_subdistrict_form_is_imported_with_external_choices_as_cascading_selects() -> None:
    result = import_xlsform(FIXTURES / "subdistrict_profiling_ar_en.xlsx")
    assert result.errors == [] and result.spec is not None
    types = {q["name"]: q["type"] for q in result.spec["questions"]}
    assert types["report_date"] == "date" and types["district"] == "single"
    assert notice(result, codes.METADATA_DROPPED) == [
        {"rows": [98, 99, 100], "types": ["end", "start", "today"]}]
    matched = {m["language"]: m["code"] for m in notice(result, codes.LANGUAGE_MATCHED_BY_NAME)}
    assert matched == {"English": "en", "العربية": "ar"}


def test_volunteer_form_is_imported_with_its_calculations() -> None:
    result = import_xlsform(FIXTURES / "volunteer_application_de_en.xlsx")
    assert result.errors == [] and result.spec is not None
    calculated = [q for q in result.spec["questions"] if q["type"] == "calculate"]
    assert len(calculated) == 3 and all(q["calculation"] for q in calculated)
    assert notice(result, codes.METADATA_DROPPED) == [{"rows": [2, 3], "types": ["end", "start"]}]


def test_biomass_form_is_rejected_naming_every_offending_row() -> None:
    result = import_xlsform(FIXTURES / "biomass_plot_sw_en.xlsx")
    assert result.spec is None
    assert rows_by(result, codes.FILE_NOT_ATTACHED, "file") == {
        "UCL_regions.csv": [16], "UCL_districts.csv": [17], "UCL_villages.csv": [18],
        "ULC_Biomass_Plots.csv": [20]}
    assert rows_by(result, codes.REFUSED_LOCATION) == {None: [22]}
    assert rows_by(result, codes.REFUSED_MEDIA) == {None: [23, 46, 65]}
    assert rows_by(result, codes.REFUSED_REPEAT, "name") == {
        "trees": [32], "stems": [43], "stumps": [56], "subplot1": [72], "subplot2": [80]}
    # round(), sqrt(), cos() and atan() are outside what the portal evaluates
    assert rows_by(result, codes.UNSUPPORTED_FUNCTION, "function") == {"sqrt": [26, 27]}
    assert notice(result, codes.METADATA_DROPPED) == [
        {"rows": [11, 12, 91], "types": ["deviceid", "end", "start"]}]


def test_all_question_types_form_lists_every_unsupported_row() -> None:
    result = import_xlsform(FIXTURES / "all_question_types.xlsx")
    assert result.spec is None
    by_code = {code: rows for code, rows in
               ((c, [e["row"] for e in result.errors if e["code"] == c]) for c in
                {e["code"] for e in result.errors})}
    assert by_code == {
        codes.REFUSED_MEDIA: [30, 31, 32, 33, 34, 35, 36, 37, 42, 43, 44, 45, 46, 47],
        codes.REFUSED_BARCODE: [40, 41],
        codes.REFUSED_LOCATION: [66, 67, 68, 69, 70],
        codes.FILE_NOT_ATTACHED: [83],
        codes.UNSUPPORTED_TYPE: [106],
    }
    # range (rows 22-27), dates, time, dateTime and trigger (acknowledge) are in the subset


# --- hand-made forms ---------------------------------------------------------------------

HEADER = ["type", "name", "label::English (en)", "required", "relevant", "constraint"]


def test_not_an_xlsx_is_an_error() -> None:
    assert import_xlsform(b"type,name\ntext,a\n").errors[0]["code"] == codes.NOT_XLSX
    assert import_xlsform(b"PK\x03\x04corrupt").errors[0]["code"] == codes.NOT_XLSX


def test_workbook_without_survey_sheet_is_an_error() -> None:
    book = Workbook()
    book.active.title = "choices"
    buffer = io.BytesIO()
    book.save(buffer)
    assert import_xlsform(buffer.getvalue()).errors[0]["code"] == codes.PYXFORM_REJECTED


@pytest.mark.parametrize(("survey", "code"), [
    ([HEADER], codes.SURVEY_EMPTY),
    ([HEADER, ["begin group", "g", "G"], ["end group"]], codes.SURVEY_EMPTY),
    ([["name", "label"], ["a", "A"]], codes.PYXFORM_REJECTED),  # pyxform: no "type" column
])
def test_empty_or_headless_survey_is_an_error(survey: list[list[Any]], code: str) -> None:
    result = import_xlsform(make_xlsx(survey))
    assert result.spec is None and result.errors[0]["code"] == code


@pytest.mark.parametrize(("row", "code", "params"), [
    (["text", "b", "B", "${a} = 1"], codes.REQUIRED_EXPRESSION, {"value": "${a} = 1"}),
    (["text", "b", "B", None, "${a} = "], codes.INVALID_EXPRESSION,
     {"column": "relevant", "reason": "unexpected_end", "position": 6}),
    (["hidden", "h"], codes.UNSUPPORTED_TYPE, {"type": "hidden"}),
    (["geopoint", "where", "Where?"], codes.REFUSED_LOCATION, {"type": "geopoint"}),
    (["image", "face", "Photo"], codes.REFUSED_MEDIA, {"type": "photo"}),
    (["barcode", "code", "Scan"], codes.REFUSED_BARCODE, {"type": "barcode"}),
    (["select_one_from_file areas.csv", "area", "Area"], codes.FILE_NOT_ATTACHED,
     {"file": "areas.csv"}),
    (["text", "b", "B", "maybe"], codes.REQUIRED_EXPRESSION, {"value": "maybe"}),
    (["text", "b", "B", None, None, r"regex(., '(x)\1')"], codes.UNSUPPORTED_REGEX,
     {"column": "constraint"}),
    (["text", "b", "B", None, None, "regex(., '^(?=x)')"], codes.UNSUPPORTED_REGEX,
     {"column": "constraint"}),
])
def test_bad_row_is_reported_with_its_row_number(row: list[Any], code: str,
                                                 params: dict[str, Any]) -> None:
    result = import_xlsform(make_xlsx([HEADER, ["text", "a", "A"], row]))
    assert result.spec is None
    assert result.errors == [{"code": code, "row": 3, "sheet": "survey", "params": params}]


@pytest.mark.parametrize("row", [
    ["text", "b", "B", None, "${nowhere} = 'x'"],  # an unknown reference
    ["text", "a", "again"],  # a duplicate name in one group
    ["text", None, "no name"],
    ["end group"],
])
def test_what_pyxform_refuses_is_refused_with_its_row(row: list[Any]) -> None:
    result = import_xlsform(make_xlsx([HEADER, ["text", "a", "A"], row]))
    assert result.spec is None
    assert [(e["code"], e["row"]) for e in result.errors] == [(codes.PYXFORM_REJECTED, 3)]


def test_typographic_quotes_are_read_as_pyxform_reads_them() -> None:
    survey = [HEADER, ["text", "a", "A"], ["text", "b", "B", None, "${a} = \u2018x\u2019"]]
    result = import_xlsform(make_xlsx(survey))
    assert result.spec is not None
    assert result.spec["questions"][1]["relevant"] == "${a} = 'x'"


def test_same_name_in_two_groups_is_refused_by_row() -> None:
    survey = [HEADER, ["begin group", "g1", "G1"], ["text", "a", "A"], ["end group"],
              ["begin group", "g2", "G2"], ["text", "a", "A"], ["end group"]]
    result = import_xlsform(make_xlsx(survey))
    assert result.errors == [{"code": codes.DUPLICATE_NAME, "row": 6, "sheet": "survey",
                              "params": {"name": "a", "first_row": 3}}]


def test_unmatched_language_name_is_an_error_naming_the_column() -> None:
    result = import_xlsform(make_xlsx([["type", "name", "label::Klingonish\n"],
                                       ["text", "a", "A"]]))
    assert result.errors == [{"code": codes.LANGUAGE_UNMATCHED, "row": 1, "sheet": "survey",
                              "params": {"column": "label::Klingonish",
                                         "language": "Klingonish"}}]


@pytest.mark.parametrize(("declared", "code"), [
    ("English (EN)", "en"), ("Serbian Latin (sr-Latn)", "sr_Latn"), ("Romani (rom)", "rom"),
    ("Deutsch", "de"), ("العربية", "ar"), ("Kiswahili", "sw"), ("Türkçe", "tr"),
    ("македонски", "mk"), ("shqip", "sq"),
])
def test_language_declarations_map_to_codes(declared: str, code: str) -> None:
    result = import_xlsform(make_xlsx([["type", "name", f"label::{declared}"],
                                       ["text", "a", "A"]]))
    assert result.spec is not None and result.spec["languages"] == [code]


def test_required_accepts_yes_true_and_number_one() -> None:
    survey = [HEADER] + [["text", f"q{i}", "Q", value] for i, value in
                         enumerate(["yes", "TRUE", "true", 1, True, "no", None, 0, "false"])]
    result = import_xlsform(make_xlsx(survey))
    assert result.spec is not None
    assert [q["required"] for q in result.spec["questions"]] == [True] * 5 + [False] * 4


def test_group_relevant_is_folded_into_its_questions() -> None:
    survey = [HEADER, ["text", "a", "A"], ["begin_group", "g", "G", None, "${a} = 'x'"],
              ["text", "b", "B", None, "${a} != ''"], ["end_group"]]
    result = import_xlsform(make_xlsx(survey))
    assert result.spec is not None
    question = result.spec["questions"][1]
    assert question["relevant"] == "(${a} = 'x') and (${a} != '')"
    assert (question["section"], question["section_label"]) == ("g", {"en": "G"})
    assert notice(result, codes.GROUP_RELEVANT_MERGED) == [{"name": "g"}]


@pytest.mark.parametrize(("constraint", "low", "high", "rest"), [
    (". >= 0 and . <= 120", 0, 120, None),
    (". >= 1.5", 1.5, None, None),
    (". >= 1 and . <= 5 and (. != 3)", 1, 5, ". != 3"),
    (". >= 1 and (. > 0) and (. < 9)", 1, None, "(. > 0) and (. < 9)"),
    (". != 3 and . >= 1", None, None, ". != 3 and . >= 1"),
])
def test_integer_bounds_are_split_off_the_constraint(constraint: str, low: Any, high: Any,
                                                     rest: str | None) -> None:
    result = import_xlsform(make_xlsx([HEADER, ["integer", "n", "N", None, None, constraint]]))
    assert result.spec is not None
    question = result.spec["questions"][0]
    assert (question["min"], question["max"], question["constraint"]) == (low, high, rest)


def test_columns_the_portal_does_not_use_do_not_stop_the_import() -> None:
    survey = [HEADER + ["default", "appearance"], ["text", "a", "A", None, None, None, "x", "m"]]
    result = import_xlsform(make_xlsx(survey, settings_rows=[["form_id"], ["f"]]))
    assert result.errors == [] and result.spec is not None and result.spec["form_id"] == "f"


def test_long_blank_stretch_stops_reading() -> None:
    survey = [HEADER, ["text", "a", "A"]] + [[None]] * 250 + [["geopoint", "far", "Far"]]
    result = import_xlsform(make_xlsx(survey))
    assert result.spec is not None and len(result.spec["questions"]) == 1


# --- export and round trip ---------------------------------------------------------------


def likert(name: str, **fields: Any) -> Any:
    """Return a likert5 question with English/Arabic points."""
    points = [{"name": str(i), "label": {"en": f"Point {i}", "ar": f"نقطة {i}"}}
              for i in range(1, 6)]
    return new_question(name, "likert5", label={"en": name, "ar": "سؤال"}, choices=points,
                        required=True, **fields)


def sample_spec() -> Survey:
    """Return a spec using every portal type and feature."""
    yes_no = [{"name": "yes", "label": {"en": "Yes", "ar": "نعم"}},
              {"name": "no", "label": {"en": "No", "ar": "لا"}}]
    questions = [
        new_question("intro", "note", label={"en": "<b>Hi</b> & **welcome**", "ar": "مرحبا"}),
        likert("trust", section="belonging", section_label={"en": "Belonging", "ar": "انتماء"},
               subscale="belonging", reverse=True, dont_know=True),
        likert("safe", section="belonging", section_label={"en": "Belonging", "ar": "انتماء"},
               subscale="belonging", prefer_not=True),
        new_question("member", "single", label={"en": "Member?"}, choices=yes_no,
                     hint={"en": "Pick one", "ar": "اختر"}, demographic="area"),
        new_question("groups", "multi", label={"en": "Groups"}, choices=yes_no,
                     relevant="${member} = 'yes'"),
        new_question("age", "integer", label={"en": "Age"}, min=16, max=120,
                     constraint_message={"en": "16 to 120"}),
        new_question("score", "decimal", label={"en": "Score"}, min=0.5,
                     constraint=". != 3 or ${member} = 'no'"),
        new_question("when", "date", label={"en": "When"}, section="end", section_label={}),
        new_question("notes", "text", label={"en": "Notes"}, section="end",
                     constraint="string-length(.) <= 500"),
    ]
    return {"form_id": "resilience_2025", "title": {"en": "Resilience", "ar": "الصمود"},
            "consent": {"en": "Why we ask.\nWho holds the data.", "ar": "لماذا نسأل"},
            "default_language": "en", "languages": ["en", "ar"], "questions": questions,
            "notices": []}


def assert_round_trip(spec: Survey) -> None:
    """Export, convert with pyxform, re-import and compare."""
    data = export_xlsform(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        convert(xlsform=io.BytesIO(data), file_type=".xlsx", validate=False, warnings=[])
    result = import_xlsform(data)
    assert result.errors == [] and result.notices == []
    assert result.spec == spec


def test_sample_spec_round_trips() -> None:
    assert_round_trip(sample_spec())


def test_portal_languages_round_trip_with_their_declarations() -> None:
    spec = sample_spec()
    langs = ["sr_Latn", "rom", "mk", "sq", "sr", "tr", "ar", "en"]
    spec["languages"], spec["default_language"] = langs, "mk"
    spec["title"] = {lang: f"Title {lang}" for lang in langs}
    assert_round_trip(spec)
    book = import_xlsform(export_xlsform(spec))
    assert book.spec is not None and book.spec["languages"] == langs


def test_export_writes_likert_list_and_portal_columns() -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(export_xlsform(sample_spec())), read_only=True)
    survey = list(book["survey"].iter_rows(values_only=True))
    header = survey[0]
    assert "label::English (en)" in header and "label::Arabic (ar)" in header
    trust = next(row for row in survey if row[1] == "trust")
    assert trust[0] == "select_one likert5"
    assert trust[header.index("lpn_subscale")] == "belonging"
    assert trust[header.index("lpn_reverse")] == "yes"
    member = next(row for row in survey if row[1] == "member")
    assert member[header.index("lpn_demographic")] == "area"
    assert trust[header.index("lpn_demographic")] is None
    settings_header, settings_values = list(book["settings"].iter_rows(values_only=True))
    consent = settings_values[settings_header.index("lpn_consent::English (en)")]
    assert consent == "Why we ask.\nWho holds the data."
    assert settings_values[settings_header.index("lpn_consent::Arabic (ar)")] == "لماذا نسأل"
    age = next(row for row in survey if row[1] == "age")
    assert age[header.index("constraint")] == ". >= 16 and . <= 120"
    lists = {row[0] for row in book["choices"].iter_rows(min_row=2, values_only=True)}
    assert lists == {"likert5", "member"}
    book.close()


def test_text_starting_with_equals_is_exported_as_text_not_formula() -> None:
    spec = sample_spec()
    spec["questions"][0]["label"]["en"] = "=HYPERLINK(\"http://x\", \"y\")"
    spec["title"]["en"] = "=1+1"
    assert_round_trip(spec)


def test_export_refuses_a_section_split_in_two() -> None:
    spec = sample_spec()
    spec["questions"].append(new_question("late", "text", label={"en": "L"},
                                          section="belonging"))
    with pytest.raises(ValueError, match="belonging"):
        export_xlsform(spec)


NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"),
                             # not in XML (see below); curly quotes pyxform makes straight in
                             # every cell, so an export read back has straight ones by design
                             exclude_characters="\ufffe\uffff\u2018\u2019\u201c\u201d"),
               min_size=1, max_size=12).filter(lambda text: "${" not in text)
# "${" opens an XLSForm reference: the portal's forms refuse it in texts (NoReference in
# portal/surveys/authoring/forms.py; tests/integration/surveys test it), so no spec holds one.
LANGS = st.lists(st.sampled_from(["en", "mk", "sq", "sr", "sr_Latn", "tr", "ar", "rom", "de"]),
                 min_size=1, max_size=3, unique=True)


@st.composite
def specs(draw: st.DrawFn) -> Survey:
    """Draw a small random spec in the portal's own types."""
    langs = draw(LANGS)
    names = draw(st.lists(NAMES, min_size=1, max_size=5, unique=True))
    first_in_section = draw(st.integers(0, len(names)))
    questions = []
    for index, name in enumerate(names):
        qtype = draw(st.sampled_from(["likert5", "single", "multi", "integer", "text", "note"]))
        label = {lang: draw(TEXT) for lang in langs}
        grouped = index >= first_in_section
        fields: dict[str, Any] = {"label": label, "section": "s" if grouped else None}
        fields["section_label"] = {langs[0]: "S"} if grouped else {}
        if qtype in ("likert5", "single", "multi"):
            count = 5 if qtype == "likert5" else draw(st.integers(1, 4))
            fields["choices"] = [{"name": f"c{i}", "label": {lang: draw(TEXT) for lang in langs}}
                                 for i in range(count)]
        if qtype == "likert5":
            fields.update(subscale=draw(st.sampled_from([None, "bridging", "linking"])),
                          reverse=draw(st.booleans()), dont_know=draw(st.booleans()))
        if qtype == "integer":
            fields.update(min=draw(st.none() | st.integers(-5, 5)),
                          max=draw(st.none() | st.integers(6, 99)))
        if qtype == "single":
            fields["demographic"] = draw(st.sampled_from([None, "age_band", "gender", "area"]))
        if qtype != "note":
            fields["required"] = draw(st.booleans())
        questions.append(new_question(f"q_{name}", qtype, **fields))
    consent = draw(st.dictionaries(st.sampled_from(langs), TEXT))
    return {"form_id": "f", "title": {langs[0]: draw(TEXT)}, "consent": consent,
            "default_language": langs[0], "languages": langs, "questions": questions,
            "notices": []}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_random_specs_round_trip(spec: Survey) -> None:
    assert_round_trip(spec)


def test_characters_an_xlsx_cannot_hold_are_left_out_of_the_export() -> None:
    spec = sample_spec()
    spec["title"] = {"en": "Resi\ufffelience\x01", "ar": "الصمود\uffff"}
    spec["questions"][1]["label"] = {"en": "I feel\x0b at home", "ar": "أشعر"}
    data = export_xlsform(spec)  # openpyxl refuses control characters: none reach it
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        convert(xlsform=io.BytesIO(data), file_type=".xlsx", validate=False, warnings=[])
    result = import_xlsform(data)
    assert result.errors == [] and result.spec is not None
    assert result.spec["title"] == {"en": "Resilience", "ar": "الصمود"}
    assert result.spec["questions"][1]["label"]["en"] == "I feel at home"


def test_spec_without_consent_or_demographics_round_trips_with_them_empty() -> None:
    spec = sample_spec()
    spec["consent"] = {}
    spec["questions"][3]["demographic"] = None
    assert_round_trip(spec)
    header = next(load_settings(export_xlsform(spec)))
    assert not any(str(cell).startswith("lpn_consent") for cell in header)


def load_settings(data: bytes) -> Any:
    """Yield the rows of an exported workbook's settings sheet."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    yield from book["settings"].iter_rows(values_only=True)


@pytest.mark.parametrize("value", ["ethnicity", "Gender", "yes"])
def test_unknown_demographic_key_is_an_error_naming_the_row(value: str) -> None:
    data = make_xlsx([["type", "name", "label", "lpn_demographic"],
                      ["text", "ok", "Fine", None],
                      ["select_one yn", "who", "Who", value]],
                     [["list_name", "name", "label"], ["yn", "y", "Y"], ["yn", "n", "N"]])
    result = import_xlsform(data)
    assert result.spec is None
    assert rows_by(result, codes.INVALID_PORTAL_COLUMN, "column") == {"lpn_demographic": [3]}


# --- pyxform's spellings, read as pyxform reads them ------------------------------------------

LEGACY = """survey,,,
,type,name,label:English
,select one from yn,q1,Are you well?
,select all that apply from yn,q2,Which apply?
,text,q3,Anything else?
choices,,,
,list name,name,label:English
,yn,y,Yes
,yn,n,No
"""


def test_legacy_spellings_are_read_as_pyxform_reads_them() -> None:
    result = import_xlsform(LEGACY.encode(), name="legacy.csv")
    assert result.errors == [] and result.spec is not None
    q1, q2, q3 = result.spec["questions"]
    assert (q1["type"], q2["type"], q3["type"]) == ("single", "multi", "text")
    assert q1["label"] == {"en": "Are you well?"}
    assert [c["label"] for c in q1["choices"]] == [{"en": "Yes"}, {"en": "No"}]


def test_bare_language_codes_and_unaccented_names_are_languages() -> None:
    form = ("survey,,,,\n,type,name,label::EN,label::Francais\n,text,a,Name,Nom\n"
            "settings,\n,default_language\n,EN\n")
    result = import_xlsform(form.encode(), name="codes.csv")
    assert result.spec is not None, result.errors
    assert result.spec["languages"] == ["en", "fr"]
    assert result.spec["questions"][0]["label"] == {"en": "Name", "fr": "Nom"}


@pytest.mark.parametrize(("settings", "code"), [
    ("", "en"), ("settings,\n,default_language\n,French (fr)\n", "fr")])
def test_plain_label_is_in_the_default_language_else_english(settings: str, code: str) -> None:
    form = "survey,,,\n,type,name,label\n,text,a,Texte\n" + settings
    result = import_xlsform(form.encode(), name="plain.csv")
    assert result.spec is not None, result.errors
    assert result.spec["default_language"] == code
    assert result.spec["questions"][0]["label"] == {code: "Texte"}


def test_allowed_choice_duplicates_are_kept_and_exported_with_the_setting() -> None:
    form = ("survey,,,\n,type,name,label\n,select_one l,a,Pick\nchoices,,,\n"
            ",list_name,name,label\n,l,x,One\n,l,x,Same name\n"
            "settings,\n,allow_choice_duplicates\n,yes\n")
    result = import_xlsform(form.encode(), name="dups.csv")
    assert result.spec is not None, result.errors
    assert [c["name"] for c in result.spec["questions"][0]["choices"]] == ["x", "x"]
    again = import_xlsform(export_xlsform(result.spec), name="again.xlsx")
    assert again.spec is not None, again.errors


def test_same_name_in_two_repeats_is_refused_for_the_repeats_only() -> None:
    survey = [HEADER, ["begin repeat", "r1", "R1"], ["text", "who", "Who"], ["end repeat"],
              ["begin repeat", "r2", "R2"], ["text", "who", "Who"], ["end repeat"]]
    result = import_xlsform(make_xlsx(survey))
    assert [(e["code"], e["row"]) for e in result.errors] == [
        (codes.REFUSED_REPEAT, 2), (codes.REFUSED_REPEAT, 5)]


def test_or_other_adds_the_other_choice_and_its_text_question() -> None:
    survey = [HEADER, ["select_one l or_other", "a", "Pick"]]
    result = import_xlsform(make_xlsx(survey, choices=[["list_name", "name", "label::English (en)"],
                                                       ["l", "x", "X"]]))
    assert result.spec is not None, result.errors
    pick, other = result.spec["questions"]
    assert [c["name"] for c in pick["choices"]] == ["x", "other"]
    assert (other["name"], other["relevant"]) == ("a_other", "selected(${a}, 'other')")


def test_field_list_and_nested_groups_become_contiguous_sections() -> None:
    survey = [HEADER, ["begin group", "outer", "Outer"], ["text", "a", "A"],
              ["begin group", "inner", "Inner"], ["text", "b", "B"], ["end group"],
              ["text", "c", "C"], ["end group"]]
    result = import_xlsform(make_xlsx(survey))
    assert result.spec is not None, result.errors
    assert [q["section"] for q in result.spec["questions"]] == ["outer", "inner", "outer_2"]
    export_xlsform(result.spec)  # each section is one run: the export can write it
