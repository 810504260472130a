"""Every real XLSForm of the fixtures: imported as pyxform reads it, or refused for true reasons.

Each form is either imported with every label (questions and choices) in every language equal
to what pyxform reads, and its export converts with pyxform and imports again with the same
labels; or refused, each error naming its row, only for what the portal does not support.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pytest
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert

from portal.surveys.xlsform import codes, export_xlsform, import_xlsform
from portal.surveys.xlsform.languages import match_declaration
from portal.surveys.xlsform.spec import Survey

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "xlsform"
FORMS = sorted(p for p in FIXTURES.iterdir()
               if p.suffix in (".xlsx", ".xls", ".csv") or p.name.endswith(".xlsform.md"))

IMPORTED = {
    "community_needs_survey_de.xlsx", "multilingual_en_sw_fr.xlsx",
    "subdistrict_profiling_ar_en.xlsx", "volunteer_application_de_en.xlsx",
    "onadata_text_and_integer.csv", "pyxform_specify_other.xlsform.md",
    "pyxform_yes_or_no_question.xlsform.md", "pyxform_text_and_integer.xlsform.md",
    "kobo_docs_translation_en_fr.xlsform.md", "kobo_docs_rtl_en_ar.xlsform.md",
    "kobo_docs_translation_en_ny.xlsform.md",
}
# What the portal really does not support (each error names its row).
TRUE_REASONS = {
    codes.REFUSED_REPEAT, codes.REFUSED_LOCATION, codes.REFUSED_MEDIA, codes.REFUSED_BARCODE,
    codes.UNSUPPORTED_TYPE, codes.FILE_NOT_ATTACHED, codes.INVALID_EXPRESSION,
    codes.UNSUPPORTED_FUNCTION,
    codes.PYXFORM_REJECTED,
}
REFUSED_ROWS = {  # a few rows per refused form, checked exactly
    "biomass_plot_sw_en.xlsx": {(codes.REFUSED_LOCATION, 22), (codes.REFUSED_MEDIA, 23),
                                (codes.REFUSED_REPEAT, 32), (codes.FILE_NOT_ATTACHED, 16)},
    "all_question_types.xlsx": {(codes.REFUSED_MEDIA, 30), (codes.REFUSED_BARCODE, 40)},
    "pyxform_gps.csv": {(codes.REFUSED_LOCATION, 2)},
    "pyxform_group.csv": {(codes.UNSUPPORTED_TYPE, 4)},
    "pyxform_case_insensitivity.csv": {(codes.UNSUPPORTED_TYPE, 4)},
    "pyxform_loop.csv": {(codes.PYXFORM_REJECTED, 3)},
    "pyxform_loop.xlsform.md": {(codes.UNSUPPORTED_TYPE, 3)},
    "pyxform_group.xlsform.md": {(codes.UNSUPPORTED_TYPE, 4)},
    "pyxform_case_insensitivity.xlsform.md": {(codes.UNSUPPORTED_TYPE, 4)},
    "pyxform_include.csv": {(codes.UNSUPPORTED_TYPE, 3)},
    "pyxform_include.xlsform.md": {(codes.UNSUPPORTED_TYPE, 3)},
    "pyxform_include_json.csv": {(codes.UNSUPPORTED_TYPE, 2)},
    "pyxform_include_json.xlsform.md": {(codes.UNSUPPORTED_TYPE, 2)},
}


def pyxform_tree(path: Path) -> dict[str, Any]:
    """Return pyxform's own reading of a form."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = get_xlsform(str(path))
        return workbook_to_json(workbook_dict=book, form_name=None,
                                fallback_form_name=path.stem, default_language=None,
                                warnings=[])


def elements(tree: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return pyxform's elements by name (the portal keeps one flat list of names)."""
    found: dict[str, dict[str, Any]] = {}
    for child in tree.get("children") or []:
        found.setdefault(str(child.get("name")), child)
        found.update({k: v for k, v in elements(child).items() if k not in found})
    return found


def expected(value: Any, default: str) -> dict[str, str]:
    """Return pyxform's text per language code (a plain text is in the default language)."""
    if isinstance(value, str):
        return {default: value.strip()} if value.strip() else {}
    texts: dict[str, str] = {}
    for key, text in (value or {}).items():
        code = default if key == "default" else match_declaration(key)[0]
        assert code is not None, key
        if isinstance(text, str) and text.strip():
            texts.setdefault(code, text.strip())
    return texts


def labels(spec: Survey) -> list[Any]:
    """Return every question and choice label of a spec."""
    return [(q["name"], q["label"], q["hint"], [(c["name"], c["label"]) for c in q["choices"]])
            for q in spec["questions"]]


def test_the_corpus_holds_real_forms_of_every_kind() -> None:
    assert len(FORMS) >= 25
    assert {p.suffix for p in FORMS} >= {".xlsx", ".csv", ".md"}
    languages = set()
    for path in FORMS:
        spec = import_xlsform(path).spec
        languages |= set(spec["languages"]) if spec else set()
    assert languages >= {"en", "fr", "ar", "de", "sw"}


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_form_is_imported_as_pyxform_reads_it_or_refused_for_true_reasons(path: Path) -> None:
    result = import_xlsform(path)
    if path.name not in IMPORTED:
        assert result.spec is None
        assert result.errors and all(e["code"] in TRUE_REASONS for e in result.errors), \
            result.errors
        assert all(e["row"] for e in result.errors if e["code"] != codes.PYXFORM_REJECTED)
        found = {(e["code"], e["row"]) for e in result.errors}
        assert REFUSED_ROWS.get(path.name, set()) <= found, found
        return
    assert result.errors == [] and result.spec is not None
    spec = result.spec
    tree = pyxform_tree(path)
    by_name = elements(tree)
    for question in spec["questions"]:
        element = by_name[question["name"]]
        assert question["label"] == expected(element.get("label"), spec["default_language"])
        assert question["hint"] == expected(element.get("hint"), spec["default_language"])
        message = (element.get("bind") or {}).get("jr:constraintMsg")
        assert question["constraint_message"] == expected(message, spec["default_language"])
        if "choices" in element:
            assert [c["label"] for c in question["choices"]] == [
                expected(c.get("label"), spec["default_language"]) for c in element["choices"]]


@pytest.mark.parametrize("path", [p for p in FORMS if p.name in IMPORTED], ids=lambda p: p.name)
def test_export_of_every_imported_form_converts_with_pyxform_labels_intact(path: Path) -> None:
    spec = import_xlsform(path).spec
    assert spec is not None
    data = export_xlsform(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        convert(xlsform=io.BytesIO(data), file_type=".xlsx", validate=False)
    again = import_xlsform(data, name="export.xlsx")
    assert again.spec is not None, again.errors
    assert labels(again.spec) == labels(spec)
    assert again.spec["languages"] == spec["languages"]
    assert again.spec["default_language"] == spec["default_language"]


def test_arabic_form_keeps_its_default_language_and_cascading_selects() -> None:
    spec = import_xlsform(FIXTURES / "subdistrict_profiling_ar_en.xlsx").spec
    assert spec is not None
    assert spec["default_language"] == "ar" and spec["languages"] == ["ar", "en"]
    district = next(q for q in spec["questions"] if q["name"] == "district")
    assert district["choice_filter"] == "governorate=${governorate}"
    assert district["choices"] and all("governorate" in c.get("filters", {})
                                       for c in district["choices"])


def test_kobo_rtl_example_keeps_its_reversed_reference_as_text_like_pyxform() -> None:
    spec = import_xlsform(FIXTURES / "kobo_docs_rtl_en_ar.xlsform.md").spec
    assert spec is not None
    assert spec["languages"] == ["en", "ar"] and spec["default_language"] == "en"
    age = next(q for q in spec["questions"] if q["name"] == "age")
    # KoboToolbox's documentation writes ${name} as {name}$ in Arabic; pyxform reads it as text.
    assert age["label"] == {"en": "How old is ${name}?", "ar": "؟{name}$ كم عمرك"}


def test_kobo_french_example_loses_the_single_colon_english_labels_as_pyxform_does() -> None:
    spec = import_xlsform(FIXTURES / "kobo_docs_translation_en_fr.xlsform.md").spec
    assert spec is not None and spec["languages"] == ["en", "fr"]
    questions = {q["name"]: q for q in spec["questions"]}
    # Once a header uses "::", pyxform splits headers on "::" only: "label:English (en)" (one
    # colon, a slip in KoboToolbox's own example) is then no label column, and French remains.
    assert questions["full_name"]["label"] == {"fr": "Quel est votre nom?"}
    assert [c["label"] for c in questions["children_yesno"]["choices"]] == [
        {"en": "Yes", "fr": "Oui"}, {"en": "No", "fr": "Non"}]
    assert questions["children_count"]["relevant"]
    # The portal says so, naming the header to write instead.
    assert [n["params"] for n in import_xlsform(
        FIXTURES / "kobo_docs_translation_en_fr.xlsform.md").notices
            if n["code"] == codes.COLUMN_IGNORED] == [
        {"column": "label:English (en)", "fixed": "label::English (en)"}]
    # Alone (no "::" anywhere), one colon is read, by pyxform and by the portal: no notice.
    assert not [n for n in import_xlsform(FIXTURES / "pyxform_text_and_integer.xlsform.md").notices
                if n["code"] == codes.COLUMN_IGNORED]
