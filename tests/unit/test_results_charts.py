"""SVG charts: no inline styles (CSP), escaped labels, mirrored and direction-marked in Arabic."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask_babel import Babel

from portal.results.charts import bar_chart, interval_chart

ROWS = [
    {"label": "أوافق بشدة", "count": {"value": 40, "suppressed": False}, "share": 0.4},
    {"label": "<b>x</b>", "count": {"value": None, "suppressed": True}, "share": None},
    {"label": "Neutral", "count": {"value": 60, "suppressed": False}, "share": 0.6},
]


@pytest.fixture(scope="module", autouse=True)
def ctx():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


@pytest.mark.parametrize("rtl", [False, True])
def test_bar_chart_uses_presentation_attributes_only(rtl):
    svg = str(bar_chart(ROWS, "Title", rtl=rtl))
    assert "style=" not in svg
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert svg.count("<rect") == 3
    direction = "rtl" if rtl else "ltr"
    assert all(d == direction for d in re.findall(r'direction="(\w+)"', svg))


def test_bar_chart_hides_the_number_of_a_suppressed_row():
    svg = str(bar_chart(ROWS, "Title"))
    assert "suppressed" in svg
    assert "40 (40%)" in svg and "60 (60%)" in svg


def test_rtl_bars_grow_leftwards_from_the_right_edge():
    ltr, rtl = str(bar_chart(ROWS, "T")), str(bar_chart(ROWS, "T", rtl=True))
    x_ltr = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', ltr)]
    x_rtl = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', rtl)]
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height', rtl)]
    assert all(x == x_ltr[0] for x in x_ltr)  # LTR: every bar starts at the left edge
    ends = {round(x + w, 1) for x, w in zip(x_rtl, widths, strict=True)}
    assert len(ends) == 1  # RTL: every bar starts at the right edge
    assert ends.pop() > 300


@pytest.mark.parametrize("rtl", [False, True])
def test_bar_chart_fits_a_phone_with_its_labels_above_the_bars(rtl):
    """Drawn 320 wide (the results page keeps it unscrolled at 360 px): every text and bar is
    inside the picture, each label on its own line above its bar."""
    svg = str(bar_chart(ROWS, "T", rtl=rtl))
    assert 'viewBox="0 0 320 ' in svg and "chart-narrow" in svg
    xs = [float(x) for x in re.findall(r'<text x="([\d.]+)"', svg)]
    assert all(0 <= x <= 320 for x in xs)
    for x, w in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg):
        assert float(x) >= 0 and float(x) + float(w) <= 320
    labels = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"[^>]*font-size="14"',
                                           svg)]
    bars = [float(y) for y in re.findall(r'<rect x="[\d.]+" y="([\d.]+)"', svg)]
    assert len(labels) == len(bars) == 3 and all(lab < bar for lab, bar in zip(labels, bars,
                                                                               strict=True))


def test_interval_chart_marks_suppressed_rows_and_clips_to_0_100():
    svg = str(interval_chart([("A", {"mean": 50, "ci_low": -3, "ci_high": 104}), ("B", None)],
                             "T"))
    assert "suppressed" in svg
    assert svg.count("<circle") == 1
