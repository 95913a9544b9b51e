"""Every form the app accepts, posted hostile values: never a 500, a clear refusal that saves
nothing, or a success.

The POST routes come from the app's URL map, their URL values from the route sweep's world,
and each form's field names from the page that shows it, so a new form is fuzzed without
anyone remembering to add it (and a POST route whose form cannot be found fails the test).
Hypothesis is derandomised: CI sees the same examples every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, example, given, settings
from werkzeug.test import TestResponse

from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.jobs import backends as job_backends
from accredit.web.access import PUBLIC, access_rule
from tests.integration.test_route_sweep import SKIP, _values
from tests.integration.test_route_sweep import worlds as worlds  # a fixture
from tests.support.forms import _TOKEN as TOKEN
from tests.support.hostile import fingerprint, form_fields, overflows, posts, urlencoded

EXAMPLES = 15

#: POST-only routes and the page that shows their form (others: the GET page at the same URL).
FORM_PAGES = {
    "action_plan.create_action": "reports.report",
    "action_plan.remove_action": "action_plan.edit_action",
    "assess.comment": "assess.question",
    "reports.make_pack": "reports.pack",
    "reports.retry_pack_job": "reports.pack_job",
    "review.start": "review.overview",
    "cohorts.export_xlsx": "cohorts.exports",
    "cohorts.export_packs": "cohorts.exports",
    "cohorts.retry_import_invitations": "cohorts.import_invitations",
    "cohorts.remove_reviewer": "cohorts.reviewers",
    "activity.save": "activity.year",
    "auth.continue_session": "session.timed_out",
    "auth.sign_out": "pages.home",
    "assess.begin": "assess.start",
    "session.keep_alive": "pages.home",
}
#: Forms the sweep's world does not show (the page offers them in another state); they are
#: posted a CSRF token and stray fields only.
NOT_SHOWN_HERE = {
    "assess.begin": "started in the world: test_hostile_forms_in_state fuzzes it unstarted",
    "cohorts.remove_reviewer": "a button with only the CSRF token: stray fields are all there is",
    "reports.retry_pack_job": "a button with only the CSRF token: stray fields are all there is",
    "auth.continue_session": "shown once a session has ended: test_hostile_forms_in_state",
    "review.accept": "offered once every criterion is judged: test_hostile_forms_in_state",
    "assess.submit": "offered once every question is answered: test_hostile_forms_in_state",
    "cohorts.import_preview": "the world's import has errors: test_hostile_forms_in_state",
    "cohorts.retry_import_invitations": "offered once some invitations went unsent: a button",
    "account.new_recovery_codes": "shown only with two-factor on: test_two_factor fuzzes it",
    "account.turn_off_two_factor": "shown only with two-factor on: test_two_factor fuzzes it",
    "auth.two_factor_code": "shown half-way through signing in: test_two_factor fuzzes it",
    "session.keep_alive": "posted by the timeout warning's script, not by a form",
}
#: Tables a refused post may still write: the audit trail records refusals, sign-in counts
#: failed attempts, and a timed-out session keeps what was typed.
ALLOWED_WRITES = frozenset({"audit_events", "form_stashes"})
AUTH_WRITES = ALLOWED_WRITES | {"users"}
#: The role that posts each form: the most powerful one the route allows.
ROLE_ORDER = (Role.HEE_ADMIN, Role.ORG_LEAD, Role.HEE_REVIEWER, Role.ORG_CONTRIBUTOR)


@dataclass
class Target:
    endpoint: str
    url: str
    page: str
    role: Role | None
    problems: list[str] = field(default_factory=list)


def _targets(app: Flask, world: dict) -> list[Target]:
    by_rule = {
        rule.rule: rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods
    }
    targets = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "POST" not in rule.methods:
            continue
        url = rule.build(_values(rule, world))[1]
        page_endpoint = FORM_PAGES.get(rule.endpoint) or by_rule.get(rule.rule)
        assert page_endpoint, f"teach FORM_PAGES which page shows the form of {rule.endpoint}"
        page_rule = next(app.url_map.iter_rules(page_endpoint))
        page = page_rule.build(_values(page_rule, world))[1]
        declared = access_rule(app.view_functions[rule.endpoint])
        role = None if declared == PUBLIC else next(r for r in ROLE_ORDER if r in declared)
        targets.append(Target(rule.endpoint, url, page, role))
    return targets


def _client(app: Flask, target: Target, people, sign_in_as) -> FlaskClient:
    return app.test_client() if target.role is None else sign_in_as(people[target.role])


def _check(target: Target, response: TestResponse, before: dict, after: dict) -> str | None:
    """What is wrong with the answer to a hostile post, or None."""
    status = response.status_code
    if status >= 500:
        return f"status {status}"
    if 300 <= status < 400:
        return None  # accepted: the values were good enough to save
    html = response.get_data(as_text=True)
    if status >= 400:
        if "<h1" not in html:
            return f"status {status} with no page saying why"
    elif response.mimetype == "text/html" and "nhsuk-error-summary" not in html:
        return "200 with neither an error summary nor a redirect"
    if status >= 400 or "nhsuk-error-summary" in html:
        changed = sorted(name for name in before if before[name] != after[name])
        if changed:
            return f"refused (status {status}) but wrote {changed}"
    return None


def _fuzz(client: FlaskClient, target: Target, token: str, fields) -> None:
    skip = AUTH_WRITES if target.endpoint.startswith("auth.") else ALLOWED_WRITES
    assert db.engine is not None
    engine = db.engine

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(posts(fields))
    def post(pairs: list[tuple[str, str]]) -> None:
        assert job_backends.drain(60)  # background jobs of earlier posts write when they finish
        before = fingerprint(engine, skip)
        response = client.post(
            target.url,
            data=urlencoded([("csrf_token", token), *pairs]),
            content_type="application/x-www-form-urlencoded",
        )
        assert job_backends.drain(60)
        db.session.rollback()  # a fresh look at the database, not what the session cached
        problem = _check(target, response, before, fingerprint(engine, skip))
        if problem:
            shown = [(k, v if len(v) < 60 else f"{v[:20]!r}... ({len(v)} chars)") for k, v in pairs]
            target.problems.append(f"{target.endpoint} {target.url}: {problem} for {shown}")

    for pairs in overflows(fields):
        post = example(pairs)(post)
    post()


def _fuzz_shown(app, targets, people, sign_in_as, *, last_try: bool) -> list[Target]:
    """Fuzz each target whose form its page shows; return those whose form it does not."""
    not_shown = []
    for target in targets:
        client = _client(app, target, people, sign_in_as)
        html = client.get(target.page, follow_redirects=True).get_data(as_text=True)
        fields = form_fields(html, target.page, target.url)
        if fields is None and not (last_try and target.endpoint in NOT_SHOWN_HERE):
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
            target.problems.append(
                f"{target.endpoint}: no form on {target.page}, which says "
                f"{heading.group(1).strip() if heading else html[:200]!r}"
            )
            not_shown.append(target)
            continue
        token = TOKEN.search(html)
        assert token, f"no CSRF token on {target.page}"
        _fuzz(client, target, token.group(1), fields or [])
    return not_shown


def test_every_form_refuses_hostile_values_clearly_and_saves_nothing(
    app, people, make_user, sign_in_as, org, worlds
):
    from accredit.data.models import Assessment
    from accredit.domain.assessments.lifecycle import AssessmentStatus

    make_user(Role.HEE_REVIEWER)  # not yet a reviewer of the cohort: the reviewers form shows
    world = worlds[org.id]
    targets = _targets(app, world)
    # Signing out ends every session of that person: the sign-in forms go last.
    last = [t for t in targets if t.endpoint.startswith("auth.")]
    first = [t for t in targets if t not in last]
    later = _fuzz_shown(app, first, people, sign_in_as, last_try=False)
    for target in later:
        target.problems.clear()
    # The review forms show once the assessment is submitted (and the review started).
    with unit_of_work():
        db.session.get(Assessment, world["assessment_id"]).status = AssessmentStatus.SUBMITTED
    later.sort(key=lambda t: t.endpoint != "review.start")
    missing = _fuzz_shown(app, later + last, people, sign_in_as, last_try=True)
    problems = [p for t in targets for p in t.problems]
    report = [f"{t.endpoint}: no form posting to it on {t.page}" for t in missing] + problems
    assert not report, "\n".join(report[:40])
    assert len(targets) > 40, "the fuzz must reach every form"


def test_every_post_route_is_fuzzed(app, org, worlds):
    """Meta check: a new POST route fails here until the fuzz can find its form."""
    for target in _targets(app, worlds[org.id]):
        assert target.page, target.endpoint
    stale = (set(FORM_PAGES) | set(NOT_SHOWN_HERE)) - set(app.view_functions)
    assert not stale, f"remove routes that no longer exist: {stale}"
