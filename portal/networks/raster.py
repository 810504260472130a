"""The map as a PNG drawn on the server (Pillow), for readers without JavaScript.

Same layout, colours, shapes, sizes and rings as the SVG; no names (Pillow's built-in font
has no Cyrillic or Arabic, and a picture with boxes for letters is worse than none): the SVG
download carries the names.
"""

from __future__ import annotations

import io
from math import sqrt
from typing import Any

from PIL import Image, ImageDraw

from portal.networks.presenters import node_radius, sector_styles, top_betweenness

MARGIN = 40
SCALE = 2  # pixels per SVG unit: sharp on high-density screens and in documents


def map_png(analysis: dict[str, Any], fills: dict[int, str] | None = None) -> bytes:
    """Return the map as PNG bytes; `fills` (id → colour) replaces the sector colours."""
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
