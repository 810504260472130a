"""Languages: the locale table, negotiation, catalogs and plural rules."""

from __future__ import annotations

import gettext
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import ngettext

from portal.i18n import LOCALES, register_fallback_locales
from portal.translate import ROOT, compile_all, extract, po_path

CODES = [info.code for info in LOCALES]


def test_locale_table_has_the_eight_ui_languages():
    assert CODES == ["en", "mk", "sq", "sr", "sr_Latn", "tr", "ar", "rom"]
    assert {info.code for info in LOCALES if info.direction == "rtl"} == {"ar"}


def test_every_catalog_compiles(tmp_path):
    register_fallback_locales()
    assert compile_all(tmp_path) == []
    for code in CODES:
        assert (tmp_path / code / "LC_MESSAGES" / "messages.mo").stat().st_size > 0


def test_message_template_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    extract(fresh)
    with fresh.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        have = {m.id for m in read_po(handle) if m.id}
    assert wanted == have, "run `flask --app portal translate update`"


@pytest.mark.parametrize("code", CODES)
def test_every_message_is_translated(code):
    with po_path(code).open("rb") as handle:
        catalog = read_po(handle, locale=code)
    missing = [m.id for m in catalog if m.id and not (
        all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []


def _plural(code: str, n: int) -> int:
    info = next(i for i in LOCALES if i.code == code)
    expression = info.plural_forms.split("plural=")[1].rstrip(";")
    return gettext.c2py(expression)(n)


@pytest.mark.parametrize(("n", "form"), [(1, 0), (21, 0), (31, 0), (101, 0),
                                         (11, 1), (2, 1), (5, 1), (111, 1)])
def test_macedonian_plural_follows_cldr(n, form):
    assert _plural("mk", n) == form


def test_catalog_headers_carry_the_table_plural_rules():
    for info in LOCALES:
        text = po_path(info.code).read_text(encoding="utf-8")
        assert f"Plural-Forms: {info.plural_forms}" in text, info.code


def test_romani_formats_with_its_fallback_locale(app):
    from flask_babel import format_decimal

    with app.test_request_context("/?lang=rom"):
        assert format_decimal(1234.5) == "1.234,5"


def test_macedonian_ngettext_uses_singular_for_21(app):
    with app.test_request_context("/?lang=mk"):
        one = ngettext("%(num)d region", "%(num)d regions", 1)
        twenty_one = ngettext("%(num)d region", "%(num)d regions", 21)
        eleven = ngettext("%(num)d region", "%(num)d regions", 11)
    assert one.replace("1", "") == twenty_one.replace("21", "")
    assert eleven.replace("11", "") != one.replace("1", "")


@pytest.mark.parametrize(
    ("query", "headers", "expected"),
    [
        ("?lang=ar", {}, "ar"),
        ("?lang=sr-Latn", {}, "sr_Latn"),
        ("?lang=xx", {"Accept-Language": "tr-TR,tr;q=0.9"}, "tr"),
        ("", {"Accept-Language": "sq,en;q=0.5"}, "sq"),
        ("", {"Accept-Language": "de-DE"}, "en"),
        ("", {}, "en"),
    ],
)
def test_locale_negotiation(app, query, headers, expected):
    from flask_babel import get_locale

    with app.test_request_context("/" + query, headers=headers):
        assert str(get_locale()) == expected


def test_user_preference_beats_session_and_header(client, make_user, login):
    user = make_user("admin", preferred_locale="mk")
    login(user)
    page = client.get("/cities", headers={"Accept-Language": "tr"}).get_data(as_text=True)
    assert 'lang="mk"' in page


def test_explicit_choice_becomes_the_users_preference(client, make_user, login):
    user = make_user("admin")
    login(user)
    client.get("/cities?lang=sq")
    assert 'lang="sq"' in client.get("/cities").get_data(as_text=True)
    from portal.extensions import db

    db.session.refresh(user)
    assert user.preferred_locale == "sq"


def test_session_choice_persists_for_anonymous_visitors(client):
    client.get("/?lang=tr")
    assert 'lang="tr"' in client.get("/login").get_data(as_text=True)


def test_city_default_applies_when_nothing_else_says(client, make_city, make_user, login):
    city = make_city(slug="arcity", default_locale="ar")
    user = make_user("member", city=city)
    login(user)
    assert 'lang="ar" dir="rtl"' in client.get("/c/arcity/").get_data(as_text=True)


def test_arabic_page_is_right_to_left_with_arabic_text(client):
    page = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert any("\u0600" <= char <= "\u06ff" for char in page.split("<main")[1])


def test_language_switcher_shows_native_names(client):
    page = client.get("/").get_data(as_text=True)
    for info in LOCALES:
        assert info.native_name in page


def test_translate_cli_compiles(runner):
    result = runner.invoke(args=["translate", "compile"])
    assert result.exit_code == 0, result.output


def test_no_fstring_inside_translation_calls():
    offenders = subprocess.run(
        [sys.executable, "-c", "import re,pathlib;"
         "print([str(p) for p in pathlib.Path('portal').rglob('*.py') "
         "if re.search(r'\\b_l?\\(f[\\x22\\x27]', p.read_text())])"],
        capture_output=True, text=True, cwd=Path(ROOT), check=True,
    ).stdout.strip()
    assert offenders == "[]"
