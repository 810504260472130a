"""Counted messages: every count a user sees takes the plural form its language asks for."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import force_locale, ngettext

from portal.i18n import LOCALES
from portal.networks import sentences
from portal.translate import TEMPLATE, po_path

CODES = [info.code for info in LOCALES]
COUNTS = (1, 2, 5, 21)
PLACEHOLDER = re.compile(r"%\((\w+)\)([sd])")

# Messages without ngettext that still show a number: a label ("Records updated: 3"), an
# ordinal or a code ("Section 2 of 5", "Error 404"), or a number with no noun after it.
NOT_COUNTED = {
    "Error %(code)d",
    "Section %(n)d of %(total)d",
    "Page %(page)d of %(pages)d",
    "Row %(row)d: another row has the name %(name)s with a different id, so this one is "
    "imported as %(new)s.",
    "%(done)d of %(total)d",
    "Sheet %(sheet)s, row %(row)d: %(problem)s",
    "fewer than %(k)d",
    "Import applied. Stakeholders created: %(people)d. Ties created: %(ties)d. "
    "Records updated: %(changed)d.",
    "Stakeholders created: %(people)d. Ties created: %(ties)d. Records updated: %(changed)d.",
    "Introduce %(a)s to %(b)s: %(sa)s and %(sb)s would meet for the first time (sector pairs "
    "that never meet: %(before)d → %(after)d).",
}


def _catalog(path: Any, code: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=code)


def _plural_ids() -> list[tuple[str, str]]:
    return [m.id for m in _catalog(TEMPLATE) if isinstance(m.id, tuple)]


def _values(msgid: str) -> dict[str, Any]:
    return {name: (7 if kind == "d" else "X") for name, kind in PLACEHOLDER.findall(msgid)
            if name != "num"}


@pytest.fixture(scope="module")
def request_ctx(shared_app: Flask) -> Iterator[Flask]:
    with shared_app.test_request_context("/"):
        yield shared_app


def test_no_plain_message_puts_a_count_before_a_noun():
    """A count goes through ngettext; `_()` may hold a number only as a label or an ordinal."""
    plain = [m.id for m in _catalog(TEMPLATE) if m.id and isinstance(m.id, str)
             and re.search(r"%\(\w+\)d", m.id) and m.id not in NOT_COUNTED]
    assert plain == []


def test_counts_that_came_as_strings_are_not_followed_by_a_plural_noun():
    ids = [m.id for m in _catalog(TEMPLATE) if m.id and isinstance(m.id, str)]
    assert not [i for i in ids if re.search(r"%\(\w+\)s (actors|ties|steps|records)\b", i)]


@pytest.mark.parametrize("code", CODES)
def test_every_plural_form_is_filled_for_every_counted_message(code):
    catalog = _catalog(po_path(code), code)
    wanted = catalog.num_plurals
    for message in catalog:
        if isinstance(message.id, tuple):
            forms = message.string
            assert len(forms) == wanted and all(forms), (code, message.id[0])
            for form in forms:  # every form keeps the named placeholders of the message
                assert set(PLACEHOLDER.findall(form)) <= set(PLACEHOLDER.findall(message.id[1]))


@pytest.mark.parametrize("code", CODES)
def test_each_counted_message_renders_with_1_2_5_and_21(request_ctx, code):
    with force_locale(code):
        for singular, plural in _plural_ids():
            for n in COUNTS:
                text = ngettext(singular, plural, n, **_values(plural))
                assert "%(" not in text and text.strip(), (code, singular, n)
                if "%(num)d" in plural and code != "ar":
                    assert str(n) in text, (code, singular, n)


@pytest.mark.parametrize("code", ["en", "mk"])
def test_one_never_takes_the_plural_form_in_english_and_macedonian(request_ctx, code):
    catalog = _catalog(po_path(code), code)
    with force_locale(code):
        for message in catalog:
            if not isinstance(message.id, tuple) or message.string[0] == message.string[1]:
                continue
            values = _values(message.id[1])
            one = ngettext(message.id[0], message.id[1], 1, **values)
            assert one == message.string[0] % {**values, "num": 1}
            assert one != message.string[1] % {**values, "num": 1}
            if code == "mk":  # CLDR: 21 is "one" in Macedonian, 11 is not
                assert ngettext(message.id[0], message.id[1], 21, **values) == \
                    message.string[0] % {**values, "num": 21}


def test_the_sentences_once_plural_blind_now_agree_with_one(request_ctx):
    effect = {"national_path_length_before": 3, "national_path_length_after": 1,
              "cut_off_before": 1, "single_point_of_failure": 9,
              "single_points_of_failure_before": 2, "single_points_of_failure_after": 1}
    names = {1: "A", 2: "B", 9: "Hub"}
    with force_locale("en"):
        texts = [sentences.suggestion({"source": 1, "target": 2, "effect": effect,
                                       "reason": reason}, names)
                 for reason in ("shortens_national_path", "removes_single_point_of_failure")]
        texts.append(sentences.sector_pair("education", "police", 1.0))
    assert "to 1 step." in texts[0] and "for 1 actor " in texts[1]
    assert not any(re.search(r"\b1 (ties|actors|steps)\b", t) for t in texts)
    with force_locale("mk"):
        text = sentences.suggestion({"source": 1, "target": 2, "effect": effect,
                                     "reason": "removes_single_point_of_failure"}, names)
    assert "1 актер " in text and "1 актери" not in text


def test_arabic_map_title_uses_the_dual_and_the_plural_of_few(request_ctx):
    with force_locale("ar"):
        two = ngettext("%(num)d tie", "%(num)d ties", 2)
        three = ngettext("%(num)d actor", "%(num)d actors", 3)
        eleven = ngettext("%(num)d actor", "%(num)d actors", 11)
    assert "رابطتان" in two and three == "3 جهات" and eleven == "11 جهةً"
