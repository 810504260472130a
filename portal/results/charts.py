"""Server-rendered SVG charts: presentation attributes only (CSP), mirrored for right-to-left.

In right-to-left pages the label column sits on the right and bars grow leftwards; every
text carries direction="rtl" so that Arabic is shaped and anchored from its own start.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup, escape

WIDTH = 640
NARROW_W = 320  # the bar and interval charts' own width: a phone's, so they never need to scroll
PAD = 16
STACK_H = 50  # an interval chart's row: its label, then its interval beneath, across the width
BAR_STACK_H = 48  # a bar chart's row: its label, then its bar beneath
BAR_VALUE_W = 92  # room after the longest bar for its value, "1,234 (100%)"
BAR_H = 18
FONT = "system-ui, 'Noto Sans', 'Noto Sans Arabic', Tahoma, sans-serif"


def _id(prefix: str) -> str:
    """Return an id unique within a page (several charts share one page)."""
    return f"{prefix}-{secrets.token_hex(4)}"


def _text(x: float, y: float, body: str, anchor: str, rtl: bool, cls: str = "",
          limit: int = 34, size: int = 13) -> str:
    """One SVG text, anchored in the writing direction of the page."""
    direction = "rtl" if rtl else "ltr"
    klass = f' class="{cls}"' if cls else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" direction="{direction}" '
            f'dominant-baseline="middle" font-size="{size}" fill="#1d2430"{klass}>'
            f"{escape(_short(body, limit))}</text>")


def _short(label: str, limit: int = 34) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _frame(title: str, height: int, body: list[str], rtl: bool, width: int = WIDTH,
           extra_class: str = "") -> Markup:
    ident = _id("chart")
    direction = "rtl" if rtl else "ltr"
    klass = f"chart {extra_class}".strip()
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{klass}" role="img" '
        f'aria-labelledby="{ident}" viewBox="0 0 {width} {height}" direction="{direction}" '
        f'font-family="{FONT}"><title id="{ident}">{escape(title)}</title>'
        + "".join(body) + "</svg>")


def _bar(start: float, length: float, y: float, rtl: bool, fill: str, dashed: bool = False) -> str:
    x = start - length if rtl else start
    extra = ' stroke="#5a6472" stroke-dasharray="4 3" fill-opacity="0.15"' if dashed else ""
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(length, 0):.1f}" height="{BAR_H}" '
            f'fill="{fill}"{extra}/>')


def bar_chart(rows: Sequence[dict[str, Any]], title: str, rtl: bool = False) -> Markup:
    """Horizontal bars of a distribution; a suppressed row shows a dashed box and a word.

    As in the interval charts, each label sits above its bar, so the bars span the whole width
    and the chart fits a 360 px phone unscrolled at a readable size; in right-to-left pages the
    labels and bars start at the right and grow leftwards.
    """
    area = NARROW_W - 2 * PAD - BAR_VALUE_W
    known = [r["count"]["value"] for r in rows if r["count"]["value"] is not None]
    top = max(known, default=0) or 1
    origin = NARROW_W - PAD if rtl else PAD
    body = []
    for i, row in enumerate(rows):
        y = 8 + i * BAR_STACK_H + 18
        mid = y + BAR_H / 2
        body.append(_text(origin, y - 9, str(row["label"]), "start", rtl, limit=40, size=14))
        value = row["count"]["value"]
        if value is None:
            body.append(_bar(origin, area * 0.25, y, rtl, "#d6dbe3", dashed=True))
            tip = origin - area * 0.25 - 6 if rtl else origin + area * 0.25 + 6
            body.append(_text(tip, mid, _("suppressed"), "start", rtl, "suppressed"))
            continue
        length = area * value / top
        body.append(_bar(origin, length, y, rtl, "#0b5cad"))
        shown = format_decimal(value)
        if row.get("share") is not None:
            shown = f"{shown} ({format_percent(row['share'], '#,##0%')})"
        tip = origin - length - 6 if rtl else origin + length + 6
        body.append(_text(tip, mid, shown, "start", rtl))
    return _frame(title, 12 + len(rows) * BAR_STACK_H, body, rtl, width=NARROW_W,
                  extra_class="chart-narrow")


def interval_chart(rows: Sequence[tuple[str, dict[str, Any] | None]], title: str,
                   rtl: bool = False) -> Markup:
    """Index means (0–100) with their 95% intervals, one row each; suppressed rows say so.

    Each label sits above its interval rather than beside it, so the scale spans the whole
    width and the chart fits a 360 px phone at a readable size; in right-to-left pages the
    scale runs from the right, and every point stays inside the picture.
    """
    area = NARROW_W - 2 * PAD

    def at(value: float) -> float:
        return NARROW_W - PAD - area * value / 100 if rtl else PAD + area * value / 100

    bottom = 8 + len(rows) * STACK_H
    body = []
    for tick in (0, 25, 50, 75, 100):  # grid lines only beside the intervals, not the labels
        body += [f'<line x1="{at(tick):.1f}" y1="{8 + i * STACK_H + 21}" x2="{at(tick):.1f}" '
                 f'y2="{8 + i * STACK_H + 43}" stroke="#d6dbe3"/>' for i in range(len(rows))]
        body.append(_text(at(tick), bottom + 8, format_decimal(tick), "middle", rtl, size=12))
    for i, (label, index) in enumerate(rows):
        top = 8 + i * STACK_H
        mid = top + 32
        body.append(_text(at(0), top + 9, label, "start", rtl, limit=40, size=14))
        if not index or index.get("mean") is None:
            body.append(_text(at(0), mid, _("suppressed"), "start", rtl, "suppressed"))
            continue
        low, high = max(0.0, index["ci_low"]), min(100.0, index["ci_high"])
        body.append(f'<line x1="{at(low):.1f}" y1="{mid:.1f}" x2="{at(high):.1f}" '
                    f'y2="{mid:.1f}" stroke="#1d2430" stroke-width="2"/>')
        mean = min(100.0, max(0.0, index["mean"]))
        body.append(f'<circle cx="{at(mean):.1f}" cy="{mid:.1f}" r="5" fill="#0b5cad"/>')
    return _frame(title, bottom + 18, body, rtl, width=NARROW_W, extra_class="chart-narrow")


def index_chart(subscales: Sequence[dict[str, Any]], rtl: bool = False) -> Markup | None:
    """The survey's subscale indices with intervals."""
    if not subscales:
        return None
    rows = [(s["label"], s["overall"]["index"]) for s in subscales]
    return interval_chart(
        rows, _("Subscale indices (0–100) with %(level)s intervals", level="95%"), rtl)


def region_chart(data: dict[str, Any], rtl: bool = False) -> list[tuple[str, Markup]]:
    """One interval chart per subscale, the cities in name order."""
    out = []
    for sub in data["subscales"]:
        rows = []
        for row in data["cities"]:
            summary = row["subscales"].get(sub["name"])
            rows.append((row["city"]["name"], summary["index"] if summary else None))
        out.append((sub["label"], interval_chart(rows, sub["label"], rtl)))
    return out
