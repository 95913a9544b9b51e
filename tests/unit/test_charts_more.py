"""Line charts and heat maps: accessible SVG with the same figures in a table, missing values
shown as missing, and the same figures always drawn alike. No Flask, no database."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from accredit.services.reports.charts import heat_map, line_chart

SVG = "{http://www.w3.org/2000/svg}"
WEEKS = ("5 Jan 2026", "12 Jan 2026", "19 Jan 2026")
SERIES = (
    ("Bronze", (1.0, 2.0, 4.0)),
    ("Silver", (0.0, None, 1.0)),
    ("Submitted", (0.0, 1.0, 3.0)),
)
REGIONS = ("London", "Midlands")
SECTIONS = ("Commitment", "Safeguarding", "Evaluation")
CELLS = ((12.4, 96.0, None), (0.0, 55.5, 100.0))


def _line():
    return line_chart(
        "trend",
        "Organisations at each level",
        "Line chart of three weeks.",
        WEEKS,
        SERIES,
        axis_label="Organisations",
        unit="",
    )


def _heat():
    return heat_map(
        "heat", "Average score by region", "Heat map of two regions.", REGIONS, SECTIONS, CELLS
    )


def _texts(svg: str) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("make", [_line, _heat], ids=["line", "heat"])
def test_the_svg_is_an_image_named_by_its_title_and_description(make):
    chart = make()
    root = ET.fromstring(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{chart.id}-title {chart.id}-desc"
    assert root.find(f"{SVG}title").text == chart.title
    assert root.find(f"{SVG}desc").text == chart.description
    assert root.get("width") is None and root.get("viewBox")


@pytest.mark.parametrize("make", [_line, _heat], ids=["line", "heat"])
def test_no_inline_styles_and_every_id_is_prefixed(make):
    chart = make()
    assert "style=" not in chart.svg and "<style" not in chart.svg
    ids = re.findall(r'\bid="([^"]+)"', chart.svg)
    assert ids and all(i == chart.id or i.startswith(f"{chart.id}-") for i in ids)


def test_the_line_table_has_a_row_per_week_and_a_column_per_series():
    chart = _line()
    assert chart.headers == ("Week", "Bronze", "Silver", "Submitted")
    assert chart.rows == (
        ("5 Jan 2026", "1", "0", "0"),
        ("12 Jan 2026", "2", "No data", "1"),
        ("19 Jan 2026", "4", "1", "3"),
    )


def test_the_line_legend_names_every_series_and_lines_differ_beyond_colour():
    svg = _line().svg
    assert {"Bronze", "Silver", "Submitted"} <= set(_texts(svg))
    # Each line has its own dash pattern (solid, dashed, dash-dot): not colour alone.
    dashes = set(re.findall(r'stroke-dasharray="([^"]+)"', svg))
    assert len(dashes) >= 2
    # And its own marker shape: each series' markers are one shape, no two series alike.
    shapes = [
        {path.get("d") for path in series.iter(f"{SVG}path")}
        for series in ET.fromstring(svg).iter(f"{SVG}g")
        if series.get("class") == "app-chart__series"
    ]
    assert len(shapes) == 3 and all(len(shape) == 1 for shape in shapes)
    assert len(set.union(*shapes)) == 3


def test_percentages_are_written_as_percentages():
    chart = line_chart(
        "own", "Score", "D", ("5 Jan 2026",), (("Overall score", (62.4,)),), y_max=100
    )
    assert chart.rows == (("5 Jan 2026", "62%"),)


def test_series_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError, match="Silver"):
        line_chart("x", "T", "D", WEEKS, (("Silver", (1.0,)),))


def test_a_single_week_and_a_gap_still_draw():
    chart = line_chart("one", "T", "D", ("5 Jan 2026",), (("A", (None,)), ("B", (3.0,))), unit="")
    assert chart.rows == (("5 Jan 2026", "No data", "3"),)
    ET.fromstring(chart.svg)


def test_the_heat_map_table_has_a_row_per_region_and_no_data_cells_say_so():
    chart = _heat()
    assert chart.headers == ("Region", "Commitment", "Safeguarding", "Evaluation")
    assert chart.rows == (
        ("London", "12%", "96%", "No data"),
        ("Midlands", "0%", "56%", "100%"),
    )


def test_every_heat_map_cell_is_written_in_with_a_contrasting_colour():
    root = ET.fromstring(_heat().svg)
    # Cell figures are the texts with a colour of their own (axis labels inherit black).
    cells = {t.text: t.get("fill") for t in root.iter(f"{SVG}text") if t.get("fill")}
    assert set(cells) == {"12", "96", "0", "56", "100", "\N{EN DASH}"}
    # Dark text on the pale end of the scale, white on the NHS blue end.
    assert cells["0"] == cells["12"] == "#212b32"
    assert cells["96"] == cells["100"] == "#ffffff"


def test_the_heat_map_needs_a_value_for_every_cell():
    with pytest.raises(ValueError):
        heat_map("x", "T", "D", REGIONS, SECTIONS, ((1.0, 2.0),))


def test_the_same_figures_draw_the_same_picture_and_others_another():
    assert _line().svg == _line().svg
    assert _heat().svg == _heat().svg
    changed = line_chart(
        "trend",
        "Organisations at each level",
        "Line chart of three weeks.",
        WEEKS,
        (("Bronze", (1.0, 2.0, 5.0)),),
        axis_label="Organisations",
        unit="",
    )
    assert changed.svg != _line().svg
    other = heat_map("heat", "T", "D", REGIONS, SECTIONS, ((1.0, 2.0, 3.0), (4.0, 5.0, 6.0)))
    assert other.svg != _heat().svg


def test_hostile_and_dollar_labels_are_text():
    chart = heat_map(
        "bad",
        "<b>T</b>",
        "D",
        ("<script>x</script>",),
        ("Costs $5 and $10",),
        ((5.0,),),
    )
    assert "<script>" not in chart.svg and "<b>" not in chart.svg
    assert "Costs $5 and $10" in _texts(chart.svg)
    line = line_chart("dl", "T", "D", ("$a$",), (("Pay $x^{$", (1.0,)),))
    assert {"$a$", "Pay $x^{$"} <= set(_texts(line.svg))
