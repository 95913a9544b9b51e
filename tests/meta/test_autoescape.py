"""Every template the app can load is autoescaped, whatever its file name, and nothing in our
templates or code marks text as safe markup except the layout's own package-rendered chrome.

Flask autoescapes only .html, .htm, .xml, .xhtml and .svg by default; the NHS.UK design-system
macros are .jinja files, so text given to them was written into pages raw (issue 18).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from accredit import ROOT, create_app
from accredit.config import Settings


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    tmp = tmp_path_factory.mktemp("escape")
    return create_app(
        Settings(instance_path=tmp, database_url=f"sqlite:///{tmp / 'x.db'}", secret_key="meta")
    )


def _escapes(app: Flask, name: str | None) -> bool:
    rule = app.jinja_env.autoescape
    return bool(rule(name) if callable(rule) else rule)


def test_every_loadable_template_is_autoescaped(app: Flask) -> None:
    names = app.jinja_env.list_templates()
    assert any(n.endswith(".jinja") for n in names), "the design-system macros are loadable"
    assert any(n.endswith(".html") for n in names)
    unescaped = [n for n in names if not _escapes(app, n)]
    assert unescaped == []
    assert _escapes(app, None), "templates made from strings escape too"


def test_a_design_system_macro_escapes_the_text_it_is_given(app: Flask) -> None:
    source = (
        '{% from "nhsuk/components/summary-list/macro.jinja" import summaryList %}'
        '{{ summaryList({"rows": [{"key": {"text": "k"}, "value": {"text": value}}]}) }}'
    )
    with app.test_request_context():
        html = app.jinja_env.from_string(source).render(value='<b id="x">Evil</b>')
    assert "&lt;b id=&#34;x&#34;&gt;Evil&lt;/b&gt;" in html and "<b id" not in html


SAFE_FILTER = re.compile(r"\|\s*safe\b")
#: Chart SVG drawn on the server (services/reports/charts/): every text it writes, the title and
#: description included, goes through ``charts/svg.py``, which escapes it.
SAFE_ALLOWED = re.compile(r"\{\{ chart\.svg \| safe \}\}")
MARKUP = re.compile(r"\bMarkup\(")
#: The one module allowed to build Markup: it wraps the package's own header and footer.
MARKUP_ALLOWED = {Path("accredit/web/layout.py")}


def test_nothing_is_marked_safe_in_our_templates_or_code() -> None:
    marked = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and SAFE_FILTER.search(SAFE_ALLOWED.sub("", path.read_text()))
    ]
    assert marked == [], "templates must not use |safe"
    built = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "accredit").rglob("*.py")
        if MARKUP.search(path.read_text()) and path.relative_to(ROOT) not in MARKUP_ALLOWED
    ]
    assert built == [], "only the layout may build Markup"
