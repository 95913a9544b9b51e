"""The NHS.UK table macro (templates/components/table.html): the markup every table uses.

Rendered with the app's own Jinja settings (autoescaping on for every template), so text a
user stored comes out as text, while cells built from escaped parts keep their links.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from jinja2 import ChainableUndefined, Environment, FileSystemLoader

ROOT = Path(__file__).resolve().parents[2]
ENV = Environment(
    loader=FileSystemLoader(str(ROOT / "templates")),
    autoescape=True,
    undefined=ChainableUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
IMPORT = '{% from "components/table.html" import table %}'


def render(source: str, **context: object) -> BeautifulSoup:
    return BeautifulSoup(ENV.from_string(IMPORT + source).render(**context), "html.parser")


def test_stored_markup_in_a_cell_comes_out_as_text():
    soup = render(
        '{{ table("People", ["Name"], rows=[[name], [{"text": name, "header": true}]]) }}',
        name="<b>Bold</b> & co",
    )
    cells = soup.select("tbody td, tbody th")
    assert [c.get_text() for c in cells] == ["<b>Bold</b> & co", "<b>Bold</b> & co"]
    assert soup.find("b") is None


def test_stored_markup_inside_a_built_cell_is_escaped_but_the_link_is_kept():
    soup = render(
        """{% call(row) table("People", ["Name"]) %}
             {% set link %}<a href="/people/1">{{ name }}</a>{% endset %}
             {{ row([link]) }}
           {% endcall %}""",
        name="<b>Bold</b>",
    )
    link = soup.select_one("tbody td a")
    assert link["href"] == "/people/1" and link.get_text() == "<b>Bold</b>"
    assert soup.find("b") is None


def test_stored_markup_in_the_caption_and_head_comes_out_as_text():
    soup = render("{{ table(title, [title], rows=[]) }}", title="<b>x</b>")
    assert soup.caption.get_text() == "<b>x</b>"
    assert soup.select_one("thead th").get_text() == "<b>x</b>"
    assert soup.find("b") is None


def test_nhsuk_markup_caption_head_and_row_headers():
    soup = render(
        """{{ table("Levels",
          ["Level", {"text": "Score", "numeric": true}, {"text": "Change", "hidden": true}],
                    rows=[[{"text": "Gold", "header": true}, {"text": 80, "numeric": true}, ""]],
                    caption_size="m", caption_hidden=true, classes="app-x", id="levels") }}"""
    )
    table = soup.table
    assert table["class"] == ["nhsuk-table", "app-x"] and table["id"] == "levels"
    assert soup.caption["class"] == [
        "nhsuk-table__caption",
        "nhsuk-table__caption--m",
        "nhsuk-u-visually-hidden",
    ]
    heads = soup.select("thead th")
    assert all(th["scope"] == "col" for th in heads)
    assert "nhsuk-table__header--numeric" in heads[1]["class"]
    assert heads[2].select_one(".nhsuk-u-visually-hidden").get_text() == "Change"
    row_header, score, _ = soup.select("tbody tr > *")
    assert row_header.name == "th" and row_header["scope"] == "row"
    assert score.name == "td" and "nhsuk-table__cell--numeric" in score["class"]
    assert score.get_text() == "80"


def test_responsive_cells_carry_their_column_heading():
    soup = render(
        """{{ table("Orgs", ["Name", {"text": "Sorted", "heading": "Score"}],
                    rows=[["A", {"text": 1, "colspan": 2}]], responsive=true) }}"""
    )
    assert soup.table["class"] == ["nhsuk-table-responsive"]
    labels = [s.get_text() for s in soup.select("tbody .nhsuk-table-responsive__heading")]
    assert labels == ["Name ", "Score "]
    assert soup.select("tbody td")[1]["colspan"] == "2"


def test_the_call_block_gives_the_body_and_row_ids():
    soup = render(
        """{% call(row) table("Lines", ["Line"]) %}
             {% for n in [1, 2] %}{{ row([n], id="line-" ~ n) }}{% endfor %}
           {% endcall %}"""
    )
    assert [tr["id"] for tr in soup.select("tbody tr")] == ["line-1", "line-2"]


def test_a_sorted_column_says_how():
    soup = render(
        """{{ table("Orgs",
          [{"text": "Name", "aria_sort": "descending"}, {"text": "Type", "aria_sort": none}],
                    rows=[]) }}"""
    )
    name, kind = soup.select("thead th")
    assert name["aria-sort"] == "descending" and not kind.has_attr("aria-sort")
