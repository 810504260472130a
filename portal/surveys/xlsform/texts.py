"""Map the language keys of pyxform's tree ("English (en)", "EN", "العربية", "default") to codes.

A text without a language (a plain ``label`` column) is in the form's ``default_language``,
or in English when the form sets none: never silently in the city's language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from portal.surveys.xlsform import codes
from portal.surveys.xlsform.languages import match_declaration
from portal.surveys.xlsform.spec import Issue, Translated, make_issue

PYXFORM_DEFAULT = "default"  # pyxform's key for texts without a language
FALLBACK = "en"
TEXT_KEYS = ("label", "hint")
BIND_TEXT_KEYS = ("jr:constraintMsg", "jr:requiredMsg")
# A translated column written with one colon ("label:English (en)", an old spelling).
_ONE_COLON = re.compile(r"^\s*(label|hint|guidance_hint|constraint_message|required_message)"
                        r"\s*:(?!:)\s*\S", re.IGNORECASE)


def _language_keys(value: Any) -> Iterator[str]:
    """Yield the language keys of one text value (a dict of language -> text)."""
    if isinstance(value, dict):
        yield from (key for key, text in value.items() if isinstance(text, str))


def _walk_keys(element: dict[str, Any]) -> Iterator[str]:
    """Yield every language key used by an element, its bind, choices and children."""
    for key in TEXT_KEYS:
        yield from _language_keys(element.get(key))
    bind = element.get("bind") or {}
    for key in BIND_TEXT_KEYS:
        yield from _language_keys(bind.get(key))
    choices = element.get("choices") or []
    lists = choices.values() if isinstance(choices, dict) else [choices]
    for choice_list in lists:
        for choice in choice_list:
            if isinstance(choice, dict):
                yield from _language_keys(choice.get("label"))
    for child in element.get("children") or []:
        yield from _walk_keys(child)


@dataclass
class Languages:
    """The form's default language code and the code of every language key pyxform used."""

    default: str
    codes: list[str]
    by_key: dict[str, str] = field(default_factory=dict)

    def text(self, value: Any) -> Translated:
        """Return a pyxform text (plain or per language) as non-empty texts by code."""
        found: Translated = {}
        if isinstance(value, str):
            return {self.default: value.strip()} if value.strip() else {}
        if not isinstance(value, dict):
            return found
        for key, text in value.items():
            code = self.by_key.get(key)
            if code and isinstance(text, str) and text.strip() and code not in found:
                found[code] = text.strip()
        return found

    def column(self, row: dict[str, Any], base: str) -> Translated:
        """Return the texts of a raw ``base`` / ``base::Language`` column set of a row."""
        found: Translated = {}
        for header, value in row.items():
            column, sep, language = str(header).partition("::")
            if column.strip().lower() != base or not isinstance(value, str) or not value.strip():
                continue
            code = match_declaration(language)[0] if sep else self.default
            if code and code not in found:
                found[code] = value.strip()
        return found


def _portal_languages(settings_headers: list[str]) -> list[str]:
    """Return the languages of the portal's lpn_title::… columns (its exports list them all)."""
    found = []
    for header in settings_headers:
        column, sep, language = header.partition("::")
        if sep and column.strip().lower() == "lpn_title":
            code = match_declaration(language)[0]
            if code:
                found.append(code)
    return found


def resolve(tree: dict[str, Any], errors: list[Issue], notices: list[Issue],
            settings_headers: list[str] | None = None) -> Languages:
    """Resolve the form's languages: settings default (else English), then each key used."""
    setting = str(tree.get("default_language") or "")
    setting = "" if setting == PYXFORM_DEFAULT else setting
    default = FALLBACK
    if setting:
        code, _ = match_declaration(setting)
        if code is None:
            notices.append(make_issue(codes.DEFAULT_LANGUAGE_UNMATCHED, None, "settings",
                                      value=setting, code=FALLBACK))
        else:
            default = code
    by_key: dict[str, str] = {PYXFORM_DEFAULT: default}
    ordered: list[str] = []
    used = list(dict.fromkeys(_walk_keys(tree)))
    for key in used:
        if key == PYXFORM_DEFAULT:
            continue
        code, by_name = match_declaration(key)
        if code is None:
            errors.append(make_issue(codes.LANGUAGE_UNMATCHED, 1, "survey",
                                     column=f"label::{key}", language=key))
            continue
        by_key[key] = code
        if code not in ordered:
            ordered.append(code)
        if by_name:
            notices.append(make_issue(codes.LANGUAGE_MATCHED_BY_NAME, 1, "survey",
                                      language=key, code=code))
    found = [by_key[key] for key in used if key in by_key and key != PYXFORM_DEFAULT]
    if not setting and PYXFORM_DEFAULT not in used and found:
        # No plain texts and no setting: English was only a guess; the first language is it.
        default = found[0]
        by_key[PYXFORM_DEFAULT] = default
    portal = _portal_languages(settings_headers or [])
    if portal and set(ordered) <= set(portal):  # a portal export: its own order, all of them
        ordered = list(dict.fromkeys(portal))
    else:  # another tool's form: the default language first, then the columns' order
        ordered = [default] + [code for code in ordered if code != default]
    if default not in ordered:
        ordered.insert(0, default)
    return Languages(default, ordered, by_key)


def ignored_columns(sheet_headers: dict[str, list[str]]) -> list[Issue]:
    """Notices for one-colon language columns pyxform leaves out.

    pyxform reads "label:English" as a language column only while no header of the sheet uses
    "::"; beside "label::Français (fr)" it is no label column at all, and its texts are lost.
    """
    notices: list[Issue] = []
    for sheet, headers in sheet_headers.items():
        if not any("::" in h for h in headers):
            continue
        for header in headers:
            if "::" not in header and _ONE_COLON.match(header):
                column, _sep, language = header.partition(":")
                notices.append(make_issue(codes.COLUMN_IGNORED, 1, sheet, column=header.strip(),
                                          fixed=f"{column.strip()}::{language.strip()}"))
    return notices
