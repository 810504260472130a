"""A goal's activities on a simple timeline: a server-drawn SVG, no JavaScript, mirrored in RTL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

WIDTH, LABEL, ROW, AXIS = 760, 230, 26, 24
FILLS = {"planned": "#c9d8ea", "under_way": "#2f6fb0", "done": "#2e7d4f", "dropped": "#d0d0d0"}
OVERDUE = "#b3261e"


@dataclass(frozen=True)
class Bar:
    """One activity row: its label, dates, status, and the text of its tooltip."""

    label: str
    starts_on: date | None
    ends_on: date | None
    status: str
    overdue: bool
    tooltip: str


def _span(bars: list[Bar], today: date) -> tuple[date, date] | None:
    days = [d for b in bars for d in (b.starts_on, b.ends_on) if d is not None]
    if not days:
        return None
    first, last = min(days), max(days)
    first = first.replace(day=1)
    last = (last.replace(day=1) + timedelta(days=32)).replace(day=1)
    return first, last


def _months(first: date, last: date) -> list[date]:
    out, d = [], first
    while d < last:
        out.append(d)
        d = (d + timedelta(days=32)).replace(day=1)
    return out


def timeline_svg(bars: list[Bar], today: date, *, title: str, rtl: bool,
                 month_label: Callable[[date], str], today_label: str) -> Markup | None:
    """Return the SVG of the bars, or None when no activity has a date."""
    span = _span(bars, today)
    if span is None:
        return None
    first, last = span
    total = (last - first).days or 1
    plot = WIDTH - LABEL - 10

    def x(d: date) -> float:
        pos = LABEL + plot * (d - first).days / total
        return WIDTH - pos if rtl else pos

    height = AXIS + ROW * len(bars) + 6
    anchor = 'direction="rtl" text-anchor="start"' if rtl else 'text-anchor="start"'
    label_x = WIDTH - 4 if rtl else 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="plan-timeline" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    months = _months(first, last)
    step = 1 if len(months) <= 12 else 3
    for i, m in enumerate(months):
        mx = x(m)
        parts.append(f'<line x1="{mx:.1f}" y1="{AXIS - 6}" x2="{mx:.1f}" y2="{height}" '
                     f'stroke="#e3e3e3"/>')
        if i % step == 0:
            parts.append(f'<text x="{mx + (-3 if rtl else 3):.1f}" y="{AXIS - 10}" '
                         f'font-size="11" fill="#555" {anchor}>{escape(month_label(m))}</text>')
    for row, bar in enumerate(bars):
        y = AXIS + row * ROW
        parts.append(f'<text x="{label_x}" y="{y + 16}" font-size="12" fill="#222" {anchor}>'
                     f"{escape(_short(bar.label))}</text>")
        start = bar.starts_on or bar.ends_on
        end = bar.ends_on or bar.starts_on
        if start is None or end is None:
            continue
        x1, x2 = sorted((x(start), x(end + timedelta(days=1))))
        stroke = f'stroke="{OVERDUE}" stroke-width="2.5"' if bar.overdue else 'stroke="#555"'
        dash = ' stroke-dasharray="4 3"' if bar.status == "dropped" else ""
        parts.append(f'<rect class="bar status-{bar.status}{" overdue" if bar.overdue else ""}" '
                     f'x="{x1:.1f}" y="{y + 5}" width="{max(x2 - x1, 3):.1f}" height="{ROW - 10}" '
                     f'rx="3" fill="{FILLS[bar.status]}" {stroke}{dash}>'
                     f"<title>{escape(bar.tooltip)}</title></rect>")
    if first <= today < last:
        tx = x(today)
        parts.append(f'<line class="today" x1="{tx:.1f}" y1="{AXIS - 4}" x2="{tx:.1f}" '
                     f'y2="{height}" stroke="{OVERDUE}" stroke-dasharray="3 2"/>'
                     f'<text x="{tx + (-3 if rtl else 3):.1f}" y="{height - 2}" font-size="10" '
                     f'fill="{OVERDUE}" {anchor}>{escape(today_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
