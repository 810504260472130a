"""Server-side SVG: the map (same layout as the interactive one), small multiples, heatmap.

Built as strings for speed (a 2,000-actor map is thousands of elements); every piece of text
goes through markupsafe.escape. The root sets direction="ltr" so positions are explicit;
right-to-left pages get a mirrored heatmap, while the map keeps its layout (as on screen).
"""

from __future__ import annotations

from collections.abc import Collection
from math import sqrt
from typing import Any

from markupsafe import Markup, escape

from portal.networks.presenters import node_radius, sector_styles, top_betweenness

MARGIN = 24
LABEL_ALL_UP_TO = 80  # label every actor of a small map; above it, only the most central ones
LABELS_BIG = 25


def _shape(level: str | None, x: float, y: float, r: float, attrs: str) -> str:
    """Return one node: circle (local), square (national) or diamond (international)."""
    if level == "national":
        return (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" '
                f'width="{2 * r:.1f}" height="{2 * r:.1f}" {attrs}/>')
    if level == "international":
        d = r * 1.25
        return (f'<polygon points="{x:.1f},{y - d:.1f} {x + d:.1f},{y:.1f} {x:.1f},{y + d:.1f} '
                f'{x - d:.1f},{y:.1f}" {attrs}/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {attrs}/>'


def _frame(analysis: dict[str, Any], width: float) -> tuple[float, float, float]:
    """Return (inner width, height, scale) for the map's [0, 1] coordinates."""
    ys = [n["y"] for n in analysis["nodes"]] or [0.0]
    inner = width - 2 * MARGIN
    height = inner * max(max(ys), 0.15) + 2 * MARGIN + 14
    return inner, height, inner


def map_svg(analysis: dict[str, Any], *, title: str, small: bool = False,
            labels: bool = True, svg_id: str = "map-svg",
            fills: dict[int, str] | None = None,
            highlight: Collection[int] | None = None) -> Markup:
    """Return the map as an SVG document fragment; `fills` (id → colour) replaces the sector
    colours, e.g. by working group; `highlight` (ids, e.g. a plan's partners) draws those
    actors with a thick outer ring and the others faded, so they stand out in print too."""
    nodes = analysis["nodes"]
    n = len(nodes)
    width = 260.0 if small else max(720.0, 34 * sqrt(max(n, 1)))
    _inner, height, scale = _frame(analysis, width)
    pos = {v["id"]: (MARGIN + v["x"] * scale, MARGIN + v["y"] * scale) for v in nodes}
    styles = {s.key: s for s in sector_styles()}
    top = top_betweenness(analysis)
    shrink = 0.35 if small else 1.0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(svg_id)}" class="map-svg" '
           f'viewBox="0 0 {width:.0f} {height:.0f}" direction="ltr" role="img" '
           f'aria-labelledby="{escape(svg_id)}-title"><title id="{escape(svg_id)}-title">'
           f'{escape(title)}</title><rect width="100%" height="100%" fill="#ffffff"/>']
    out.append(_edges(analysis["edges"], pos, small))
    out.append('<g stroke-linejoin="round">')
    for v in nodes:
        x, y = pos[v["id"]]
        r = node_radius(v["metrics"]["betweenness"], top) * shrink
        style = styles.get(v["sector"] or "other", styles["other"])
        dash = (' stroke-dasharray="3 2" stroke-width="2"' if style.dashed and not fills
                else ' stroke-width="1"')
        fill = fills.get(v["id"], style.colour) if fills else style.colour
        node = _shape(v["level"], x, y, r, f'fill="{fill}" stroke="#222222"{dash}')
        ring = _ring(v["flags"], x, y, r, small)
        tip = "" if small else f"<title>{escape(v['name'])}</title>"
        out.append(f'<g class="node{_marked(v["id"], highlight)}" data-id="{v["id"]}"'
                   f'{_faded(v["id"], highlight)}>{tip}{node}{ring}'
                   f'{_halo(v["id"], highlight, x, y, r, small)}</g>')
    out.append("</g>")
    if labels and not small:
        out.append(_labels(nodes, pos, top, width))
    out.append("</svg>")
    return Markup("".join(out))


def _marked(sid: int, highlight: Collection[int] | None) -> str:
    return " highlighted" if highlight is not None and sid in highlight else ""


def _faded(sid: int, highlight: Collection[int] | None) -> str:
    return ' opacity="0.35"' if highlight is not None and sid not in highlight else ""


def _halo(sid: int, highlight: Collection[int] | None, x: float, y: float, r: float,
          small: bool) -> str:
    """Return the highlighted actor's outer ring (vermilion, outside the gap rings)."""
    if highlight is None or sid not in highlight:
        return ""
    gap = 4 if small else 8
    return (f'<circle class="halo" cx="{x:.1f}" cy="{y:.1f}" r="{r + gap:.1f}" fill="none" '
            f'stroke="#D55E00" stroke-width="{1.5 if small else 2.5}"/>')


def _edges(edges: list[dict[str, Any]], pos: dict[int, tuple[float, float]], small: bool) -> str:
    """Return the ties as three paths, thicker for more frequent ties."""
    buckets: dict[int, list[str]] = {0: [], 1: [], 2: []}
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        b = 0 if e["weight"] <= 2 else 1 if e["weight"] <= 4 else 2
        buckets[b].append(f"M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}")
    widths = (0.5, 1.0, 1.5) if small else (1.0, 2.0, 3.0)
    return "".join(
        f'<path d="{"".join(parts)}" fill="none" stroke="#6b6b6b" stroke-opacity="0.6" '
        f'stroke-width="{widths[b]}"/>' for b, parts in buckets.items() if parts)


def _ring(flags: dict[str, bool], x: float, y: float, r: float, small: bool) -> str:
    """Mark single points of failure (solid ring) and actors not yet connected (dotted ring)."""
    gap = 2 if small else 4
    if flags.get("single_point_of_failure"):
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + gap:.1f}" fill="none" '
                f'stroke="#000000" stroke-width="{1 if small else 2.5}"/>')
    if flags.get("not_connected"):
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r + gap:.1f}" fill="none" '
                f'stroke="#000000" stroke-width="1" stroke-dasharray="1.5 2"/>')
    return ""


def _labels(nodes: list[dict[str, Any]], pos: dict[int, tuple[float, float]],
            top: float, width: float = float("inf")) -> str:
    """Label the actors whose names fit, most central first: a label that would overlap one
    already placed, or another actor, tries above its node, else is left out (the tables
    list every actor).

    Small maps are labelled in full when nothing overlaps; above LABEL_ALL_UP_TO actors only
    the LABELS_BIG most central are candidates. This keeps dense maps legible in print.
    """
    chosen = sorted(nodes, key=lambda v: (-v["metrics"]["betweenness"], v["id"]))
    if len(nodes) > LABEL_ALL_UP_TO:
        chosen = chosen[:LABELS_BIG]
    parts = ['<g font-size="11" font-family="sans-serif" text-anchor="middle" fill="#111111" '
             'stroke="#ffffff" stroke-width="3" paint-order="stroke" aria-hidden="true">']
    placed: list[tuple[float, float, float, float]] = []
    discs = {}  # a label never covers another actor's symbol either
    for v in nodes:
        x, y = pos[v["id"]]
        r = node_radius(v["metrics"]["betweenness"], top)
        discs[v["id"]] = (x - r, y - r, x + r, y + r)
    for v in chosen:
        x, y = pos[v["id"]]
        r = node_radius(v["metrics"]["betweenness"], top)
        name = v["name"] if len(v["name"]) <= 30 else v["name"][:29] + "…"
        half = len(name) * CHAR_WIDTH / 2
        others = [d for k, d in discs.items() if k != v["id"]]
        # A label near the edge is moved inwards, never cut by it.
        x = min(max(x, half + 2), width - half - 2)
        for baseline in (y + r + 13, y - r - 5):
            box = (x - half, baseline - 10, x + half, baseline + 3)
            if not any(_overlap(box, other) for other in placed + others):
                placed.append(box)
                parts.append(f'<text x="{x:.1f}" y="{baseline:.1f}">{escape(name)}</text>')
                break
    parts.append("</g>")
    return "".join(parts)


CHAR_WIDTH = 6.2  # average advance of an 11 px sans-serif character, in map units


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _cell_fill(observed: int, expected: float) -> tuple[str, str]:
    """Return (fill, text colour): darker blue the more the pair meets compared to chance."""
    ratio = observed / expected if expected > 0 else (2.0 if observed else 0.0)
    shades = ("#f1f6fb", "#c6dbef", "#9ecae1", "#4292c6", "#08519c")
    i = min(int(ratio * 2), 4)
    return shades[i], "#ffffff" if i >= 3 else "#111111"


def heatmap_svg(view: dict[str, Any], *, title: str, rtl: bool, cell: int = 34) -> Markup:
    """Return the sector × sector matrix: observed ties (number), shade = observed/expected,
    empty pairs hatched. Columns run right to left on right-to-left pages."""
    labels, k = view["labels"], len(view["labels"])
    head, side, spill = 150, 190, 110  # spill: room for the slanted column labels
    width, height = side + k * cell + spill, head + k * cell + 10

    def col_x(j: int) -> float:
        return (spill + (k - 1 - j) * cell) if rtl else (side + j * cell)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap-svg" viewBox="0 0 {width} '
           f'{height}" direction="ltr" role="img" aria-labelledby="heatmap-title">'
           f'<title id="heatmap-title">{escape(title)}</title>'
           '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff4e0"/>'
           '<line x1="0" y1="0" x2="0" y2="6" stroke="#D55E00" stroke-width="2"/></pattern></defs>'
           '<g font-family="sans-serif" font-size="12" fill="#111111">']
    for j, name in enumerate(labels):
        x = col_x(j) + cell / 2
        anchor = "end" if rtl else "start"
        angle = 45 if rtl else -45
        out.append(f'<text x="{x:.0f}" y="{head - 6}" text-anchor="{anchor}" '
                   f'transform="rotate({angle} {x:.0f} {head - 6})">{escape(_short(name))}</text>')
    for i, row in enumerate(view["rows"]):
        y = head + i * cell
        lx, anchor = (width - side + 8, "start") if rtl else (side - 8, "end")
        out.append(f'<text x="{lx}" y="{y + cell / 2 + 4:.0f}" text-anchor="{anchor}">'
                   f'{escape(_short(row["label"]))}</text>')
        for j, c in enumerate(row["cells"]):
            out.append(_cell(c, row["label"], col_x(j), y, cell))
    out.append("</g></svg>")
    return Markup("".join(out))


def _cell(c: dict[str, Any], row_label: str, x: float, y: float, cell: int) -> str:
    """Return one matrix cell with its number and a tooltip."""
    if c["empty"]:
        fill, ink = "url(#hatch)", "#7a2e00"
    else:
        fill, ink = _cell_fill(c["observed"], c["expected"])
    tip = f"{row_label} × {c['col']}: {c['observed']} / {c['expected']:.1f}"
    return (f'<g><title>{escape(tip)}</title><rect x="{x:.0f}" y="{y}" width="{cell - 2}" '
            f'height="{cell - 2}" fill="{fill}" stroke="#8c8c8c" stroke-width="0.5"/>'
            f'<text x="{x + (cell - 2) / 2:.0f}" y="{y + cell / 2 + 3:.0f}" text-anchor="middle" '
            f'fill="{ink}" font-weight="{"bold" if c["empty"] else "normal"}">'
            f'{c["observed"]}</text></g>')


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def coattendance_layer(analysis: dict[str, Any], weights: dict[tuple[int, int], int]) -> str:
    """Return the co-attendance ties (met at events) as dashed paths for the full-size map,
    thicker for more shared events; pairs not on the map (filtered out) are left out."""
    width = max(720.0, 34 * sqrt(max(len(analysis["nodes"]), 1)))
    _inner, _height, scale = _frame(analysis, width)
    pos = {v["id"]: (MARGIN + v["x"] * scale, MARGIN + v["y"] * scale) for v in analysis["nodes"]}
    buckets: dict[int, list[str]] = {0: [], 1: [], 2: []}
    for (a, b), w in weights.items():
        if a in pos and b in pos:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            buckets[0 if w <= 1 else 1 if w <= 3 else 2].append(
                f"M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}")
    return '<g class="coattendance-layer">' + "".join(
        f'<path d="{"".join(parts)}" fill="none" stroke="#0072B2" stroke-opacity="0.7" '
        f'stroke-dasharray="6 4" stroke-width="{(1.0, 2.0, 3.5)[b]}"/>'
        for b, parts in buckets.items() if parts) + "</g>"
