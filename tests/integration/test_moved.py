"""Every old address a person may have bookmarked answers a permanent redirect to the page's
new address: 301 for a GET, 308 (post the same body again) for anything else, with the query
string kept. The redirect is public and reveals nothing: the new address checks access."""

from __future__ import annotations

import pytest
from flask import Flask, url_for

from accredit.domain.accounts.organisations import Role
from accredit.web.access import PUBLIC, access_rule
from accredit.web.moved import MOVES, old_endpoint
from tests.integration.test_route_sweep import _values
from tests.integration.test_route_sweep import worlds as worlds  # a fixture

#: The role that follows each redirect: the most powerful one the new address allows.
ROLE_ORDER = (Role.HEE_ADMIN, Role.ORG_LEAD, Role.HEE_REVIEWER, Role.ORG_CONTRIBUTOR)


def _moves(app: Flask, world: dict) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(old URL, new URL, new endpoint, methods) for each move, built from the world."""
    found = []
    with app.test_request_context():
        for _, new, methods in MOVES:
            (rule,) = app.url_map.iter_rules(old_endpoint(new))
            values = _values(rule, world)
            found.append((rule.build(values)[1], url_for(new, **values), new, methods))
    return found


def _allowed(app: Flask, endpoint: str) -> Role:
    declared = access_rule(app.view_functions[endpoint])
    return next(role for role in ROLE_ORDER if declared == PUBLIC or role in declared)


def test_every_move_is_listed_once_and_lands_on_a_route(app):
    olds = [old for old, _, _ in MOVES]
    assert len(olds) == len(set(olds)) == len(MOVES)
    for _, new, _ in MOVES:
        assert new in app.view_functions, new


def test_each_old_address_redirects_to_its_new_one(app, clients, org, worlds):
    moves = _moves(app, worlds[org.id])
    assert len(moves) == len(MOVES)
    for old, new, endpoint, methods in moves:
        assert old != new
        client = clients[_allowed(app, endpoint)]
        for method in methods:
            response = client.open(old, method=method)
            assert response.status_code == (301 if method == "GET" else 308), (method, old)
            assert response.headers["Location"] == new, (method, old)
        if "GET" in methods:
            landed = client.get(old, follow_redirects=True)
            assert landed.status_code == 200, (old, landed.status_code)
            assert landed.request.path != "/sign-in", old


def test_the_query_string_goes_along(clients):
    response = clients[Role.HEE_ADMIN].get("/audit?action=sign-in&page=2")
    assert response.status_code == 301
    assert response.headers["Location"] == "/audit-trail?action=sign-in&page=2"


@pytest.mark.parametrize("role", [None, Role.ORG_CONTRIBUTOR])
def test_a_redirect_reveals_nothing_the_new_address_refuses(client, clients, role):
    """Anyone is redirected; the audit trail then refuses them as it always did."""
    visitor = client if role is None else clients[role]
    response = visitor.get("/audit/export.csv")
    assert response.status_code == 301
    assert response.headers["Location"] == "/audit-trail/export.csv"
    refused = visitor.get("/audit-trail/export.csv")
    assert refused.status_code == (302 if role is None else 403)
