"""Architecture checks on the URL map: declared access rules and kebab-case URLs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from accredit import create_app
from accredit.config import Settings
from accredit.web.access import PUBLIC, access_rule

# A segment is kebab-case words or a converter; a download may end in a file extension
# ("/exports/answers.csv", "/exports/<any(organisations, answers):table>.csv").
SEGMENT = re.compile(
    r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*|<(?:[a-z]+(?:\([a-z, -]+\))?:)?[a-z_]+>)(?:\.[a-z]+)?$"
)


def _app(tmp: Path) -> Flask:
    return create_app(
        Settings(instance_path=tmp, database_url=f"sqlite:///{tmp / 'x.db'}", secret_key="meta")
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return _app(tmp_path_factory.mktemp("meta"))


def _rules(app: Flask) -> list:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def undeclared_routes(app: Flask) -> list[str]:
    """Routes whose view says neither @public nor @allow(...)."""
    return [
        rule.rule for rule in _rules(app) if access_rule(app.view_functions[rule.endpoint]) is None
    ]


def badly_declared_routes(app: Flask) -> list[str]:
    bad = []
    for rule in _rules(app):
        declared = access_rule(app.view_functions[rule.endpoint])
        if declared is not None and not (
            declared == PUBLIC or (isinstance(declared, frozenset) and declared)
        ):
            bad.append(rule.rule)
    return bad


def non_kebab_routes(app: Flask) -> list[str]:
    return [
        rule.rule
        for rule in _rules(app)
        if not all(SEGMENT.match(part) for part in rule.rule.strip("/").split("/") if part)
    ]


def test_every_route_declares_who_may_use_it(app: Flask) -> None:
    assert undeclared_routes(app) == []
    assert badly_declared_routes(app) == []


def test_every_url_is_kebab_case(app: Flask) -> None:
    assert non_kebab_routes(app) == []


def test_the_checks_catch_offending_routes(tmp_path: Path) -> None:
    """Each check above can fail; and an undeclared view is refused at run time too."""
    app = _app(tmp_path)

    @app.route("/Not_Kebab")
    def undeclared() -> str:
        return "should never be served"

    @app.route("/nobody-allowed")
    def empty_rule() -> str:
        return "nor this"

    empty_rule.access_rule = frozenset()  # type: ignore[attr-defined]

    assert undeclared_routes(app) == ["/Not_Kebab"]
    assert badly_declared_routes(app) == ["/nobody-allowed"]
    assert non_kebab_routes(app) == ["/Not_Kebab"]
    response = app.test_client().get("/Not_Kebab")
    assert response.status_code == 302  # anonymous: sent to sign in, never served
