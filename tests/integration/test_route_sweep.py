"""Visit every GET route as every role, anonymous, and a user of another organisation.

No route may fail with 500; organisation URLs give another organisation's user 404.
"""

from __future__ import annotations

import pytest
from flask import Flask

from accredit.domain.organisations import Role
from accredit.web.access import PUBLIC, access_rule

SKIP = {"static", "auth.accept_invitation", "auth.reset_password"}  # token routes: own tests


def _urls(app: Flask, organisation_id: int) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "GET" not in rule.methods:
            continue
        values = {arg: organisation_id for arg in rule.arguments if arg == "organisation_id"}
        assert set(values) == set(rule.arguments), f"teach the sweep about {rule.rule}"
        urls.append((rule.endpoint, rule.build(values)[1]))
    return urls


def test_anonymous_users_see_only_public_pages(app, client, org):
    for endpoint, url in _urls(app, org.id):
        response = client.get(url)
        if access_rule(app.view_functions[endpoint]) == PUBLIC:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_a_page_or_a_refusal_never_an_error(app, clients, org, role):
    allowed_codes = {200, 302, 403}
    for endpoint, url in _urls(app, org.id):
        response = clients[role].get(url)
        assert response.status_code in allowed_codes, (url, response.status_code)
        declared = access_rule(app.view_functions[endpoint])
        if declared != PUBLIC and role not in declared:
            assert response.status_code == 403, url


@pytest.mark.parametrize("role", [Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_other_organisations_urls_are_not_found(app, clients, other_org, role):
    for endpoint, url in _urls(app, other_org.id):
        if "<organisation_id>" not in str(app.url_map._rules_by_endpoint[endpoint][0]):
            continue
        response = clients[role].get(url)
        assert response.status_code in (403, 404), url
        declared = access_rule(app.view_functions[endpoint])
        if role in declared:
            assert response.status_code == 404, url
