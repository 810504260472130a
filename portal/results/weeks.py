"""ISO weeks as people read them: "45. седмица од 2026", "الأسبوع 45 من سنة 2026".

CLDR's "yw" pattern of the page's locale gives the words and their order; the numbers are
the ISO week and its year (Babel's own ``w``/``Y`` follow each locale's week rules, which
are not ISO's in every locale). A language without CLDR data of its own (Romani, formatted
as Serbian) says it with its catalog's words instead of another language's.
"""

from __future__ import annotations

from datetime import date

from babel.dates import tokenize_pattern
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from portal.i18n import current_info


def week_label(day: date) -> str:
    """Return the ISO week of a day in the page's language."""
    year, week, _weekday = day.isocalendar()
    info, locale = current_info(), get_locale()
    pattern = locale.datetime_skeletons.get("yw") if locale is not None else None
    if pattern is None or info.formatting != info.code:
        return _("week %(week)s of %(year)s", week=format_decimal(week),
                 year=format_decimal(year, format="0"))
    parts = []
    for kind, value in tokenize_pattern(pattern.pattern):
        if kind == "chars":
            parts.append(str(value))
        elif value[0] == "w":  # ("w", width): "ww" pads the week to two digits
            parts.append(format_decimal(week, format="0" * max(1, int(value[1]))))
        elif value[0] in "Yy":
            parts.append(format_decimal(year, format="0"))
    return "".join(parts)
