"""Charts: SVG that is accessible and safe to inline, with the same figures in a table. No
Flask, no database."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from accredit.services.reports.charts import Marker, bar_chart

SVG = "{http://www.w3.org/2000/svg}"
BARS = (("Commitment", 62.4), ("Safeguarding", 96.0), ("Only where clinical", None))


def _chart():
    return bar_chart(
        "scores",
        "Score by section",
        "Bar chart of three sections.",
        BARS,
        headers=("Section", "Score"),
        markers=(Marker("Bronze", 80), Marker("Silver", 80), Marker("Gold", 90)),
    )


def test_the_svg_is_named_by_its_title_and_description():
    root = ET.fromstring(_chart().svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "scores-title scores-desc"
    assert root.find(f"{SVG}title").text == "Score by section"
    assert root.find(f"{SVG}desc").text == "Bar chart of three sections."
    assert root.get("viewBox") and root.get("width") is None  # scales to its container


def test_the_table_has_the_same_figures_as_the_bars():
    chart = _chart()
    assert chart.headers == ("Section", "Score")
    assert chart.rows == (
        ("Commitment", "62%"),
        ("Safeguarding", "96%"),
        ("Only where clinical", "Not applicable"),
    )
    texts = [t.text for t in ET.fromstring(chart.svg).iter(f"{SVG}text")]
    assert {"62%", "96%", "n/a", "Commitment", "Safeguarding"} <= set(texts)


def test_markers_at_one_value_share_a_label():
    texts = [t.text for t in ET.fromstring(_chart().svg).iter(f"{SVG}text")]
    assert "Bronze, Silver" in texts and "Gold" in texts


def test_no_inline_styles_or_scripts_and_ids_are_prefixed():
    svg = _chart().svg
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    ids = re.findall(r'\bid="([^"]+)"', svg)
    assert ids and all(i == "scores" or i.startswith("scores-") for i in ids)
    assert all(ref.startswith("#scores-") for ref in re.findall(r"url\((#[^)]+)\)", svg))


def test_the_same_figures_draw_the_same_picture():
    assert _chart().svg == _chart().svg
    other = bar_chart("scores", "Score by section", "Bar chart.", (("Commitment", 10.0),))
    assert other.svg != _chart().svg


def test_hostile_labels_are_escaped():
    chart = bar_chart("x", "<b>T</b>", "D & <i>", (("<script>alert(1)</script>", 5.0),))
    assert "<script>" not in chart.svg and "<b>" not in chart.svg
    ET.fromstring(chart.svg)  # still well-formed


def test_dollar_signs_in_labels_are_text_not_maths():
    chart = bar_chart(
        "m",
        "T",
        "D",
        (("Pay $x^{$ for travel", 50.0), ("Costs $5 and $10", 20.0)),
        markers=(Marker("$Gold", 80),),
    )
    texts = [t.text for t in ET.fromstring(chart.svg).iter(f"{SVG}text")]
    assert {"Pay $x^{$ for travel", "Costs $5 and $10", "$Gold"} <= set(texts)
