"""The map as a PNG drawn on the server (Pillow), for readers without JavaScript.

Same layout, colours, shapes, sizes and rings as the SVG, and the same dashed blue
co-attendance layer when asked (under the actors, thicker for more shared events); no names
(Pillow's built-in font has no Cyrillic or Arabic, and a picture with boxes for letters is
worse than none): the SVG download carries the names.
"""

from __future__ import annotations

import io
from math import hypot, sqrt
from typing import Any

from PIL import Image, ImageDraw

from portal.networks.presenters import node_radius, sector_styles, top_betweenness

MARGIN = 40
SCALE = 2  # pixels per SVG unit: sharp on high-density screens and in documents


CO_COLOUR = "#0072B2"  # the SVG layer's blue (Okabe-Ito), dashed 6 on, 4 off


def map_png(analysis: dict[str, Any], fills: dict[int, str] | None = None,
            met: list[tuple[int, int, int]] | None = None) -> bytes:
    """Return the map as PNG bytes; `fills` (id → colour) replaces the sector colours; `met`
    (source, target, shared events) draws the co-attendance layer."""
    nodes = analysis["nodes"]
    width = max(720.0, 34 * sqrt(max(len(nodes), 1))) * SCALE
    inner = width - 2 * MARGIN
    height = inner * max(max((n["y"] for n in nodes), default=0.0), 0.15) + 2 * MARGIN
    pos = {n["id"]: (MARGIN + n["x"] * inner, MARGIN + n["y"] * inner) for n in nodes}
    image = Image.new("RGB", (round(width), round(height)), "#ffffff")
    draw = ImageDraw.Draw(image)
    for e in analysis["edges"]:
        thickness = 1 if e["weight"] <= 2 else 2 if e["weight"] <= 4 else 3
        draw.line([pos[e["source"]], pos[e["target"]]], fill="#b5b5b5", width=thickness * SCALE)
    for a, b, events in met or ():
        if a in pos and b in pos:
            _dashed(draw, pos[a], pos[b], 1.0 if events <= 1 else 2.0 if events <= 3 else 3.5)
    styles = {s.key: s for s in sector_styles()}
    top = top_betweenness(analysis)
    for n in nodes:
        x, y = pos[n["id"]]
        r = node_radius(n["metrics"]["betweenness"], top) * SCALE
        style = styles.get(n["sector"] or "other", styles["other"])
        fill = fills.get(n["id"], style.colour) if fills else style.colour
        _shape(draw, n["level"], x, y, r, fill)
        _ring(draw, n["flags"], x, y, r)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _dashed(draw: ImageDraw.ImageDraw, start: tuple[float, float], end: tuple[float, float],
            width: float) -> None:
    """Draw a dashed line (Pillow has none): 6 units on, 4 off, like the SVG's dasharray."""
    (x1, y1), (x2, y2) = start, end
    length = hypot(x2 - x1, y2 - y1)
    on, period = 6 * SCALE, 10 * SCALE
    at = 0.0
    while at < length:
        stop = min(at + on, length)
        draw.line([(x1 + (x2 - x1) * at / length, y1 + (y2 - y1) * at / length),
                   (x1 + (x2 - x1) * stop / length, y1 + (y2 - y1) * stop / length)],
                  fill=CO_COLOUR, width=max(1, round(width * SCALE)))
        at += period


def _shape(draw: ImageDraw.ImageDraw, level: str | None, x: float, y: float, r: float,
           fill: str) -> None:
    """Draw a circle (local), square (national) or diamond (international)."""
    if level == "national":
        draw.rectangle([x - r, y - r, x + r, y + r], fill=fill, outline="#222222", width=SCALE)
    elif level == "international":
        d = r * 1.25
        draw.polygon([(x, y - d), (x + d, y), (x, y + d), (x - d, y)], fill=fill,
                     outline="#222222", width=SCALE)
    else:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=fill, outline="#222222", width=SCALE)


def _ring(draw: ImageDraw.ImageDraw, flags: dict[str, bool], x: float, y: float,
          r: float) -> None:
    """Mark a single point of failure (thick ring) or an actor not yet connected (thin ring)."""
    gap = 4 * SCALE
    if flags.get("single_point_of_failure"):
        draw.ellipse([x - r - gap, y - r - gap, x + r + gap, y + r + gap], outline="#000000",
                     width=3 * SCALE)
    elif flags.get("not_connected"):
        draw.ellipse([x - r - gap, y - r - gap, x + r + gap, y + r + gap], outline="#555555",
                     width=1 * SCALE)
