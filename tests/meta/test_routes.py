"""Architecture checks on the URL map: declared access rules and kebab-case URLs."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from accredit import create_app
from accredit.config import Settings
from accredit.web.access import PUBLIC, access_rule

SEGMENT = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*|<(?:[a-z]+:)?[a-z_]+>)$")


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    tmp = tmp_path_factory.mktemp("meta")
    return create_app(
        Settings(instance_path=tmp, database_url=f"sqlite:///{tmp / 'x.db'}", secret_key="meta")
    )


def _rules(app: Flask) -> list:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_every_route_declares_who_may_use_it(app: Flask) -> None:
    undeclared = [
        f"{rule.rule} ({rule.endpoint})"
        for rule in _rules(app)
        if access_rule(app.view_functions[rule.endpoint]) is None
    ]
    assert undeclared == [], f"routes without @public or @allow(...): {undeclared}"


def test_declared_rules_are_public_or_a_non_empty_role_set(app: Flask) -> None:
    for rule in _rules(app):
        declared = access_rule(app.view_functions[rule.endpoint])
        assert declared == PUBLIC or (isinstance(declared, frozenset) and declared), rule.rule


def test_every_url_is_kebab_case(app: Flask) -> None:
    bad = [
        rule.rule
        for rule in _rules(app)
        if not all(SEGMENT.match(part) for part in rule.rule.strip("/").split("/") if part)
    ]
    assert bad == []


def test_the_check_catches_an_undeclared_route(tmp_path) -> None:
    """The meta-test above must be able to fail: an undeclared view is refused at runtime too."""
    app = create_app(
        Settings(
            instance_path=tmp_path, database_url=f"sqlite:///{tmp_path / 'y.db'}", secret_key="m"
        )
    )

    @app.route("/Not_Kebab")
    def undeclared() -> str:
        return "should never be served"

    assert access_rule(undeclared) is None
    assert not SEGMENT.match("Not_Kebab")
    response = app.test_client().get("/Not_Kebab")
    assert response.status_code == 302  # anonymous: sent to sign in, never served
