"""Resolve the language columns of an XLSForm to portal language codes."""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.surveys.xlsform import codes
from portal.surveys.xlsform.languages import match_declaration
from portal.surveys.xlsform.spec import Issue, Translated, make_issue
from portal.surveys.xlsform.workbook import Row, Sheet, as_text

TRANSLATABLE = frozenset({"label", "hint", "constraint_message", "lpn_title", "lpn_consent"})


@dataclass
class Languages:
    """The form's languages: default, ordered codes, and the code of each column suffix."""

    default: str
    codes: list[str]
    by_suffix: dict[str, str] = field(default_factory=dict)  # "" = columns without a language

    def text(self, row: Row, column: str) -> Translated:
        """Return the non-empty translations of one column of a row, by language code."""
        found: Translated = {}
        for header, value in row.items():
            base, sep, suffix = header.partition("::")
            code = self.by_suffix.get(suffix if sep else "") if base == column else None
            text = as_text(value)
            if code and text and code not in found:
                found[code] = text
        return found


def _suffixes(sheets: list[Sheet]) -> list[tuple[str, str, str]]:
    """Return (sheet, header, suffix) for every translatable column carrying a language."""
    found = []
    for sheet in sheets:
        for header in sheet.headers:
            base, sep, suffix = header.partition("::")
            if sep and base in TRANSLATABLE:
                found.append((sheet.name, header, suffix))
    return found


def _has_plain(sheets: list[Sheet]) -> bool:
    """Return True when some label/hint column has no language suffix."""
    return any(h in ("label", "hint", "constraint_message") for s in sheets for h in s.headers)


def _default(setting: str, found: list[str], fallback: str,
             notices: list[Issue]) -> str:
    """Pick the default language from settings, else the first column language, else fallback."""
    if setting:
        code, _ = match_declaration(setting)
        if code is not None and (code in found or not found):
            return code
        chosen = found[0] if found else fallback
        notices.append(make_issue(codes.DEFAULT_LANGUAGE_UNMATCHED, None, "settings",
                                  value=setting, code=chosen))
        return chosen
    return found[0] if found else fallback


def resolve_languages(sheets: list[Sheet], setting: str, fallback: str,
                      errors: list[Issue], notices: list[Issue]) -> Languages:
    """Map each language suffix to a code, reporting unmatched and name-matched columns."""
    by_suffix: dict[str, str] = {}
    ordered: list[str] = []
    reported: set[str] = set()
    for sheet, header, suffix in _suffixes(sheets):
        code, by_name = match_declaration(suffix)
        if code is None:
            errors.append(make_issue(codes.LANGUAGE_UNMATCHED, 1, sheet,
                                     column=header, language=suffix))
            continue
        by_suffix[suffix] = code
        if code not in ordered:
            ordered.append(code)
        if by_name and suffix not in reported:
            reported.add(suffix)
            notices.append(make_issue(codes.LANGUAGE_MATCHED_BY_NAME, 1, sheet,
                                      language=suffix, code=code, column=header))
    default = _default(setting, ordered, fallback, notices)
    if _has_plain(sheets):
        by_suffix[""] = default
        if not ordered and not setting:
            notices.append(make_issue(codes.LANGUAGE_ASSUMED, None, None, code=default))
    if default not in ordered:
        ordered.insert(0, default)
    return Languages(default, ordered, by_suffix)
