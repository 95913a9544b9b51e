"""Nothing typed into a form is lost when time runs out, on every form that keeps it.

For each view declared with ``keeps_typed``, the page that shows its form is read, every
field a person types into is filled with a marker, and the form is posted twice: once with an
expired token while signed in, once after the session has ended. Both times nothing is saved,
and the page then comes back holding every marker. A meta check makes each new POST route
either keep what was typed or say why not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from accredit.data.models import FormStash
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.web.access import access_rule
from accredit.web.keep_typed import page_of
from tests.integration.conftest import PASSWORD
from tests.integration.test_route_sweep import MOVED, _values
from tests.integration.test_route_sweep import worlds as worlds  # a fixture
from tests.support.hostile import Field, fingerprint, form_fields
from tests.support.html import page

#: POST routes that do not keep what was posted, and why nothing is lost by that.
NOT_KEPT = {
    "account.new_recovery_codes": "a button: nothing typed",
    "account.set_up_two_factor": "a one-time code, which has expired with the form anyway",
    "account.turn_off_two_factor": "a one-time code, which has expired with the form anyway",
    "action_plan.create_action": "a button beside a blocker: nothing typed",
    "action_plan.remove_action": "a button: nothing typed",
    "assess.assign_criterion": "a choice from a list, made again in a moment",
    "assess.assign_section": "a choice from a list, made again in a moment",
    "reports.make_pack": "a choice of sections, made again in a moment",
    "reports.retry_pack_job": "a button: nothing typed",
    "cohorts.retry_import_invitations": "a button: nothing typed",
    "review.accept": "a choice of level, made again in a moment",
    "review.start": "a button: nothing typed",
    "assess.submit": "a confirmation, given again in a moment",
    "cohorts.export_xlsx": "a download button: nothing typed",
    "cohorts.export_packs": "a download button: nothing typed",
    "cohorts.new_import": "a file, which a form cannot carry through sign-in",
    "cohorts.import_preview": "a confirmation, given again in a moment",
    "cohorts.reviewers": "a choice from a list, made again in a moment",
    "cohorts.remove_reviewer": "a button: nothing typed",
    "auth.forgot_password": "signed out already: no session to run out",
    "auth.accept_invitation": "signed out already: no session to run out",
    "auth.reset_password": "signed out already: no session to run out",
    "auth.sign_in": "signed out already: no session to run out",
    "auth.continue_session": "carries what was typed itself",
    "auth.two_factor_code": "a one-time code, half-way through signing in",
    "auth.sign_out": "a button: nothing typed",
    "assess.begin": "a button: nothing typed",
    "organisations.delete": "a confirmation typed on purpose, never carried over",
    "evidence.remove": "a confirmation, given again in a moment",
    "people.person": "two choices from short lists, made again in a moment",
    "verify.index": "public: no session to run out",
    "session.keep_alive": "posted by the timeout warning's script, not by a person",
}
#: The role that posts each form: the most powerful one the route allows.
ROLE_ORDER = (Role.HEE_ADMIN, Role.ORG_LEAD, Role.HEE_REVIEWER, Role.ORG_CONTRIBUTOR)
#: Forms shown once the assessment is in review.
IN_REVIEW = {"review.judge", "review.return_assessment"}
#: Tables a refused post may write: the stash of what was typed (and the audit trail).
KEEPING_WRITES = frozenset({"form_stashes", "audit_events"})
#: Date parts get a date (a marker is no date).
DATE_PART = re.compile(r"(day|month|year)$")
DATE_VALUES = {"day": "7", "month": "3", "year": "2025"}


@dataclass
class Kept:
    endpoint: str
    url: str
    page: str
    role: Role


def _kept_forms(app: Flask, world: dict) -> list[Kept]:
    found = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        page_endpoint = page_of(view)
        if page_endpoint is None or "POST" not in rule.methods:
            continue
        page_rule = next(app.url_map.iter_rules(page_endpoint))
        role = next(r for r in ROLE_ORDER if r in access_rule(view))
        found.append(
            Kept(
                rule.endpoint,
                rule.build(_values(rule, world))[1],
                page_rule.build(_values(page_rule, world))[1],
                role,
            )
        )
    return found


def _typed(fields: list[Field]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The post: a marker in each field a person types into and, in each radio group or list,
    another choice than the page's. Also what the page must show again, by field."""
    pairs, expected = [], {}
    for n, field in enumerate(fields):
        value = field.default
        date_part = DATE_PART.search(field.name)
        if field.typed and date_part:
            value = DATE_VALUES[date_part.group(1)]
        elif field.typed:
            value = f"kept{n}@example.nhs.uk" if "email" in field.name else f"Kept {n} typed"
        elif len(field.options) > 1:
            value = next(o for o in reversed(field.options) if o and o != field.default)
        else:
            pairs.append((field.name, value))
            continue
        pairs.append((field.name, value))
        expected[field.name] = value
    return pairs, expected


def _lost(html: str, kept: Kept, expected: dict[str, str]) -> list[str]:
    """What the page, opened again, does not show of what was posted."""
    shown = {f.name: f.default for f in form_fields(html, kept.page, kept.url) or []}
    return [
        f"lost {name}={value!r} (shows {shown.get(name)!r})"
        for name, value in expected.items()
        if shown.get(name) != value
    ]


def _form_on_page(client: FlaskClient, kept: Kept) -> list[Field]:
    html = client.get(kept.page).get_data(as_text=True)
    fields = form_fields(html, kept.page, kept.url)
    assert fields is not None, f"{kept.endpoint}: no form posting to {kept.url} on {kept.page}"
    return fields


def _expired_while_signed_in(client: FlaskClient, kept: Kept) -> list[str]:
    pairs, expected = _typed(_form_on_page(client, kept))
    assert expected, f"{kept.endpoint}: nothing to type or choose on {kept.page}"
    before = fingerprint(db.engine, KEEPING_WRITES)
    response = client.post(kept.url, data=MultiDict([("csrf_token", "expired"), *pairs]))
    db.session.rollback()
    problems = []
    if fingerprint(db.engine, KEEPING_WRITES) != before:
        problems.append("saved something although the form had expired")
    location = response.headers.get("Location", "")
    if response.status_code != 302 or not location.startswith(f"{kept.page}?restore="):
        return [*problems, f"answered {response.status_code} {location!r}, not the page again"]
    html = client.get(location).get_data(as_text=True)
    problems += _lost(html, kept, expected)
    if "we did not save what you typed" not in html:
        problems.append("no message saying nothing was saved")
    if not _lost(client.get(location).get_data(as_text=True), kept, expected):
        problems.append("what was kept shows a second time")
    return problems


def _after_the_session_ended(app: Flask, client: FlaskClient, kept: Kept, person) -> list[str]:
    pairs, expected = _typed(_form_on_page(client, kept))
    browser = app.test_client()  # the same person, whose session has gone
    ended = browser.post(kept.url, data=MultiDict(pairs))
    if ended.status_code != 401:
        return [f"signed out, answered {ended.status_code}, not the sign-in page that keeps it"]
    soup = page(ended)
    carried = {i["name"]: i.get("value", "") for i in soup.select("form input[type=hidden]")}
    again = browser.post(
        "/sign-in/continue", data={**carried, "email": person.email, "password": PASSWORD}
    )
    location = again.headers.get("Location", "")
    if not location.startswith(f"{kept.page}?restore="):
        return [f"signing in again went to {location!r}"]
    html = browser.get(location).get_data(as_text=True)
    problems = [f"{p} through sign-in" for p in _lost(html, kept, expected)]
    if "before you were signed out" not in html:
        problems.append("no message saying what was kept")
    return problems


def _check_all(app, forms: list[Kept], people, sign_in_as) -> list[str]:
    problems = []
    for kept in forms:
        client = sign_in_as(people[kept.role])
        problems += [f"{kept.endpoint}: {p}" for p in _expired_while_signed_in(client, kept)]
        ended = _after_the_session_ended(app, client, kept, people[kept.role])
        problems += [f"{kept.endpoint} (signed out): {p}" for p in ended]
    return problems


def test_every_kept_form_comes_back_after_its_form_or_session_expired(
    app, people, sign_in_as, org, worlds
):
    from accredit.data.models import Assessment
    from accredit.domain.assessments.lifecycle import AssessmentStatus
    from tests.support.forms import csrf_token

    world = worlds[org.id]
    forms = _kept_forms(app, world)
    assert {f.endpoint for f in forms} >= {"assess.save", "activity.save", "review.judge"}
    problems = _check_all(
        app, [f for f in forms if f.endpoint not in IN_REVIEW], people, sign_in_as
    )
    # The review forms show once the assessment is submitted and its review started.
    with unit_of_work():
        db.session.get(Assessment, world["assessment_id"]).status = AssessmentStatus.SUBMITTED
    admin = sign_in_as(people[Role.HEE_ADMIN])
    overview = f"/assessments/{world['assessment_id']}/review"
    started = admin.post(f"{overview}/start", data={"csrf_token": csrf_token(admin, overview)})
    assert started.status_code == 302
    problems += _check_all(app, [f for f in forms if f.endpoint in IN_REVIEW], people, sign_in_as)
    assert not problems, "\n".join(problems)
    assert db.session.query(FormStash).count() == 0  # every stash used once, then gone


def test_every_post_route_keeps_what_was_typed_or_says_why_not(app):
    """Meta check: a new POST route fails here until it keeps what was typed or says why not."""
    rules = app.url_map.iter_rules()
    posts = {r.endpoint for r in rules if "POST" in r.methods and r.endpoint not in MOVED}
    keeping = {e for e in posts if page_of(app.view_functions[e]) is not None}
    undecided = posts - keeping - set(NOT_KEPT)
    assert not undecided, f"use keeps_typed, or say in NOT_KEPT why not: {sorted(undecided)}"
    assert not keeping & set(NOT_KEPT), "a route cannot both keep what was typed and not"
    assert not set(NOT_KEPT) - posts, f"remove routes that no longer exist: {set(NOT_KEPT) - posts}"


@pytest.mark.parametrize("header", ["Origin", "Referer"])
def test_a_post_from_another_site_is_not_kept(app, make_assessment, org, people, clients, header):
    """A forged post's text is not the person's: it is neither kept nor shown back to them."""
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    url = f"/assessments/{assessment.id}/criteria/1.1"
    other_site = {header: "https://evil.example/page"}
    forged = {"csrf_token": "none", "base": "x", "q2": "Planted text"}
    signed_in = clients[Role.ORG_LEAD].post(url, data=forged, headers=other_site)
    assert signed_in.status_code == 400
    assert "Planted text" not in signed_in.get_data(as_text=True)
    signed_out = app.test_client().post(url, data=forged, headers=other_site)
    assert signed_out.status_code == 400  # the expired-form page, carrying nothing
    assert "Planted text" not in signed_out.get_data(as_text=True)
    assert db.session.query(FormStash).count() == 0
    own_site = {header: "http://localhost/assessments"}
    kept = clients[Role.ORG_LEAD].post(url, data=forged, headers=own_site)
    assert kept.status_code == 302 and "?restore=" in kept.headers["Location"]


def test_the_warning_says_what_was_typed_is_kept_only_where_it_is(
    app, make_assessment, org, people, clients
):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_LEAD]
    keeps = client.get(f"/assessments/{assessment.id}/criteria/1.1").get_data(as_text=True)
    assert "We have not lost what you typed" in keeps
    home = client.get(f"/organisations/{org.id}/evidence").get_data(as_text=True)
    assert "Copy anything you want to keep" in home


def test_an_address_too_long_for_any_page_is_not_kept(clients, make_assessment, org, people):
    """No page has so long an address; keeping it would not fit the stash (a 500 on
    PostgreSQL), so the usual expired-form page answers and nothing is written."""
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    url = f"/assessments/{assessment.id}/criteria/{'x' * 600}"
    response = clients[Role.ORG_LEAD].post(url, data={"csrf_token": "expired", "q2": "Typed"})
    assert response.status_code == 400
    assert db.session.query(FormStash).count() == 0


def test_only_the_latest_expired_post_of_a_page_is_kept(clients, make_assessment, org, people):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    url = f"/assessments/{assessment.id}/criteria/1.1"
    client = clients[Role.ORG_LEAD]
    for n in range(5):
        client.post(url, data={"csrf_token": "expired", "base": "x", "q2": f"Try {n}"})
    (kept,) = db.session.query(FormStash).all()
    assert kept.data["q2"] == ["Try 4"]
