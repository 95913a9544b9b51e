"""Our fast NHS.UK form components render the same markup as nhsuk-frontend-jinja's macros.

templates/components/nhsuk-fields.html writes the components out directly for speed; these
tests render each with the package's macro and ours and compare the element trees (tags,
attributes, classes as sets, text), so an upgrade of the design system that changes the markup
fails here instead of drifting on our pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader

ROOT = Path(__file__).resolve().parents[2]
ENV = Environment(
    loader=ChoiceLoader(
        [FileSystemLoader(str(ROOT / "templates")), PackageLoader("nhsuk_frontend_jinja")]
    ),
    undefined=ChainableUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def tree(html: str, ignore: frozenset[str] = frozenset()) -> list:
    soup = BeautifulSoup(html, "html.parser")
    return [_node(n, ignore) for n in soup.contents if _keep(n)]


def _keep(node: object) -> bool:
    return isinstance(node, Tag) or (isinstance(node, NavigableString) and node.strip() != "")


def _node(node: object, ignore: frozenset[str]) -> object:
    if isinstance(node, NavigableString):
        return " ".join(node.split())
    assert isinstance(node, Tag)
    attrs = {}
    for key, value in node.attrs.items():
        if key in ignore:
            continue
        attrs[key] = frozenset(value) if key == "class" else value
    return (node.name, attrs, [_node(c, ignore) for c in node.contents if _keep(c)])


def render(source: str) -> str:
    return ENV.from_string('{% import "components/nhsuk-fields.html" as nhs %}' + source).render()


def package(component: str, macro: str, params: str) -> str:
    return ENV.from_string(
        f'{{% from "nhsuk/components/{component}/macro.jinja" import {macro} %}}'
        f"{{{{ {macro}({params}) }}}}"
    ).render()


ITEMS = '[{"value": "yes", "text": "Yes", "checked": true}, {"value": "no", "text": "No"}]'


@pytest.mark.parametrize("kind", ["radios", "checkboxes"])
@pytest.mark.parametrize(("hint", "error"), [(None, None), ("A hint", None), ("A hint", "Pick")])
def test_choices_match_the_package(kind, hint, error):
    h = f'{{"text": "{hint}"}}' if hint else "none"
    e = f'{{"text": "{error}"}}' if error else "none"
    theirs = package(
        kind,
        kind,
        f'{{"idPrefix": "q1", "name": "q1", "fieldset": {{"legend": {{"text": "Do you?", '
        f'"size": "s"}}}}, "hint": {h}, "errorMessage": {e}, "items": {ITEMS}}}',
    )
    ours = render(
        f'{{{{ nhs.choices("{kind}", "q1", "q1", "Do you?", {ITEMS}, '
        f"hint={hint!r}, error={error!r}) }}}}".replace("None", "none")
    )
    assert tree(ours) == tree(theirs)


@pytest.mark.parametrize(("hint", "error"), [(None, None), ("H", "E")])
def test_input_matches_the_package(hint, error):
    h = f'{{"text": "{hint}"}}' if hint else "none"
    e = f'{{"text": "{error}"}}' if error else "none"
    theirs = package(
        "input",
        "input",
        f'{{"id": "q3", "name": "q3", "label": {{"text": "Title", "size": "s"}}, "hint": {h}, '
        f'"errorMessage": {e}, "value": "v", "inputmode": "decimal", "spellcheck": false, '
        f'"classes": "nhsuk-input--width-10"}}',
    )
    ours = render(
        f'{{{{ nhs.input("q3", "q3", "Title", value="v", hint={hint!r}, error={error!r}, '
        f'inputmode="decimal", spellcheck=false, classes="nhsuk-input--width-10") }}}}'.replace(
            "None", "none"
        )
    )
    assert tree(ours) == tree(theirs)


def test_select_matches_the_package():
    items = (
        '[{"value": "", "text": "All regions"}, {"value": "Y56", "text": "London", '
        '"selected": true}, {"value": "Y58", "text": "South West"}]'
    )
    theirs = package(
        "select",
        "select",
        f'{{"id": "region", "name": "region", "label": {{"text": "Region"}}, "items": {items}}}',
    )
    ours = render(f'{{{{ nhs.select("region", "region", "Region", {items}) }}}}')
    assert tree(ours) == tree(theirs)


def test_textarea_matches_the_package():
    theirs = package(
        "textarea",
        "textarea",
        '{"id": "q4", "name": "q4", "rows": 5, "label": {"text": "Tell", "size": "s"}, '
        '"hint": {"text": "H"}, "errorMessage": {"text": "E"}, "value": "x"}',
    )
    ours = render('{{ nhs.textarea("q4", "q4", "Tell", value="x", hint="H", error="E") }}')
    assert tree(ours) == tree(theirs)


def test_date_input_matches_the_package_apart_from_input_names():
    parts = ("day", 2), ("month", 2), ("year", 4)
    items = ", ".join(
        f'{{"name": "{n}", "label": "{n.capitalize()}", "value": "1", '
        f'"classes": "nhsuk-input--width-{w} nhsuk-input--error"}}'
        for n, w in parts
    )
    theirs = package(
        "date-input",
        "dateInput",
        f'{{"id": "q5", "namePrefix": "q5", "fieldset": {{"legend": {{"text": "When?", '
        f'"size": "s"}}}}, "hint": {{"text": "H"}}, "errorMessage": {{"text": "E"}}, '
        f'"items": [{items}]}}',
    )
    ours_parts = ", ".join(
        f'{{"name": "{n}", "label": "{n.capitalize()}", "value": "1", "width": {w}}}'
        for n, w in parts
    )
    ours = render(
        f'{{{{ nhs.date_input("q5", "q5", "When?", [{ours_parts}], hint="H", error="E") }}}}'
    )
    ignore = frozenset({"name"})
    assert tree(ours, ignore) == tree(theirs, ignore)
    assert 'name="q5-day"' in ours  # what accredit/forms/assessments/questions.py reads


def test_task_list_matches_the_package():
    theirs = package(
        "task-list",
        "taskList",
        '{"idPrefix": "s", "items": [{"title": {"text": "One"}, "href": "/a", "hint": "1 of 5", '
        '"status": {"tag": {"text": "In progress", "classes": "nhsuk-tag--blue"}}}, '
        '{"title": {"text": "Two"}, "href": "/b", "hint": "5 of 5", "status": {"text": "Done"}}]}',
    )
    ours = render(
        '{{ nhs.task_list("s", [{"title": "One", "href": "/a", "hint": "1 of 5", '
        '"status": "In progress", "tag_classes": "nhsuk-tag--blue"}, '
        '{"title": "Two", "href": "/b", "hint": "5 of 5", "status": "Done"}]) }}'
    )
    assert tree(ours) == tree(theirs)


def test_details_matches_the_package():
    theirs = package("details", "details", '{"summaryText": "Guidance", "html": "<p>x</p>"}')
    ours = render('{{ nhs.details("Guidance", "<p>x</p>" | safe) }}')
    assert tree(ours) == tree(theirs)


def test_the_comparison_notices_a_difference():
    assert tree('<div class="a b"><p>x</p></div>') == tree('<div class="b a">\n <p> x </p></div>')
    assert tree('<div class="a"><p>x</p></div>') != tree('<div class="a"><p>y</p></div>')
    assert tree('<input id="q1" checked>') != tree('<input id="q1">')
