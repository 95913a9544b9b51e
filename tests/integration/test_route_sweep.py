"""Visit every GET route as every role, anonymous, and a user of another organisation.

No route may fail with 500; organisation URLs give another organisation's user 404.
"""

from __future__ import annotations

import pytest
from flask import Flask

from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.web.access import PUBLIC, access_rule
from accredit.web.moved import MOVES, old_endpoint
from tests.integration.review_helpers import draw_for_audit
from tests.support.forms import csrf_token

#: Old addresses: each only redirects to its new one (tests/integration/test_moved.py).
MOVED = frozenset(old_endpoint(new) for _, new, _ in MOVES)
SKIP = {"static", "auth.accept_invitation", "auth.reset_password"}  # token routes: own tests
SKIP |= MOVED
#: Public, but a page only for someone half-way through signing in (the two-factor code page):
#: anyone else is sent to sign in. tests/integration/test_two_factor.py covers the page itself.
PUBLIC_REDIRECTS = {"auth.two_factor_code"}


#: URL arguments that name something belonging to one organisation.
SCOPED_ARGS = {"organisation_id", "assessment_id", "item_id", "award_id"}


@pytest.fixture
def worlds(make_assessment, make_user, org, other_org, settings, people):
    """URL values for pages about each organisation: its assessment and an evidence file."""
    from accredit.data.models import Action, Job, Organisation, Pack
    from accredit.extensions import db
    from accredit.services.evidence import evidence
    from accredit.services.evidence.scanning import NO_SCANNER
    from accredit.services.storage.stores import storage_for

    values = {}
    previews = {}
    for organisation in (org, other_org):
        assessment = make_assessment(organisation)
        here = db.session.get(Organisation, organisation.id)  # pages may have closed the session
        item = evidence.add_file(
            actor=make_user(Role.ORG_LEAD, here),
            organisation=here,
            title="A policy",
            description="",
            effective_date=None,
            filename="policy.txt",
            data=b"Our work experience policy.\n",
            storage=storage_for(settings),
            scanner=NO_SCANNER,
            max_bytes=1024 * 1024,
        )
        action = Action(
            assessment_id=assessment.id,
            criterion_id="1.1",
            description="Ask the board to approve the policy",
            status="not_started",
        )
        job = Job(
            kind="pack",
            subject=f"pack:{assessment.id}:all:sweep",
            params={"assessment_id": assessment.id, "scope": "all"},
            organisation_id=organisation.id,
            status="failed",
            error="Something went wrong making this. Try again.",
        )
        pack = Pack(
            assessment_id=assessment.id,
            fingerprint="0" * 64,
            scope="all",
            file_sha256="1" * 64,  # not in storage: downloads say it is gone
            size=1,
            pages=1,
        )
        # A cohort export asked for by the reviewer (HEE admins see it too).
        export_job = Job(
            kind="cohort_export",
            subject=f"cohort-export:{assessment.cohort_id}:organisations:sweep-{organisation.id}",
            params={"cohort_id": assessment.cohort_id, "table": "organisations"},
            organisation_id=None,
            requested_by_id=people[Role.HEE_REVIEWER].id,
            status="failed",
            error="Something went wrong making this. Try again.",
        )
        award, draw = _award_and_draw(assessment)
        with unit_of_work():
            db.session.add_all([action, job, pack, export_job])
        if assessment.cohort_id not in previews:
            previews[assessment.cohort_id] = _cohort_import(assessment.cohort_id)
        values[organisation.id] = {
            "import_id": previews[assessment.cohort_id],
            "user_id": item.uploaded_by_id,
            "organisation_id": organisation.id,
            # The register's page of the organisation, which holds the award made below.
            "ods_code": organisation.ods_code,
            "assessment_id": assessment.id,
            "item_id": item.id,
            "criterion_id": "1.1",
            "section_id": "commitment",
            "version": 1,
            "action_id": action.id,
            "job_id": job.id,
            "pack_id": pack.id,
            "cohort_id": assessment.cohort_id,
            "table": "organisations",
            "export_job_id": export_job.id,
            "award_id": award,
            "draw_id": draw,
            "year": 2026,
            "event_id": _latest_audit_event(),
        }
    return values


def _latest_audit_event() -> int:
    """An audit trail event for the trail's detail page (adding evidence records one)."""
    from sqlalchemy import func, select

    from accredit.data.models import AuditEvent
    from accredit.extensions import db

    latest = db.session.scalar(select(func.max(AuditEvent.id)))
    assert latest is not None
    return latest


def _award_and_draw(assessment) -> tuple[int, int]:
    """A current Bronze award for the assessment's organisation, drawn for audit."""
    from datetime import date

    from accredit.data.models import Award
    from accredit.domain.review.awards import AwardStatus
    from accredit.extensions import db

    award = Award(
        organisation_id=assessment.organisation_id,
        assessment_id=assessment.id,
        cohort_id=assessment.cohort_id,
        level="bronze",
        level_name="Bronze",
        awarded_on=date(2026, 6, 1),
        expires_on=date(2028, 6, 1),
        standard_id="weqs",
        standard_version="2026.1",
        standard_title="Work Experience Quality Standard",
        fingerprint="2" * 64,
        status=AwardStatus.CURRENT,
    )
    with unit_of_work():
        db.session.add(award)
        db.session.flush()
        draw = draw_for_audit(award)
    return award.id, draw


def _cohort_import(cohort_id: int) -> int:
    """A CSV import waiting for confirmation: one good row and one that refuses it."""
    from accredit.data.models import CohortImport, Job
    from accredit.extensions import db

    good = {
        "ods_code": "RX1",
        "name": "Sweep Trust",
        "type": "acute_trust",
        "region": "london",
        "lead_name": "Sweep Lead",
        "lead_email": "sweep.lead@example.nhs.uk",
    }
    rows = [
        {"line": 2, "values": good, "errors": [], "notes": [], "existing": False, "invite": True},
        {
            "line": 3,
            "values": {**good, "region": "Mars"},
            "errors": ["Line 3: ODS code RX1 is also on line 2"],
            "notes": [],
            "existing": False,
            "invite": True,
        },
    ]
    preview = CohortImport(cohort_id=cohort_id, filename="sweep.csv", rows=rows)
    with unit_of_work():
        db.session.add(preview)
        db.session.flush()
        # The job that emailed its invitations, for the invitations page: it found none to send.
        db.session.add(
            Job(
                kind="import_invitations",
                subject=f"cohort-import:{preview.id}",
                params={"import_id": preview.id, "cohort_id": cohort_id, "invitation_ids": []},
                organisation_id=None,
                requested_by_id=None,
                status="done",
                result={"sent": 0, "unsent": 0, "total": 0},
            )
        )
    return preview.id


def _values(rule, world: dict) -> dict:
    values = {arg: world[arg] for arg in rule.arguments if arg in world}
    assert set(values) == set(rule.arguments), f"teach the sweep about {rule.rule}"
    return values


def _urls(app: Flask, world: dict) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "GET" not in rule.methods:
            continue
        urls.append((rule.endpoint, rule.build(_values(rule, world))[1]))
    return urls


def test_anonymous_users_see_only_public_pages(app, client, org, worlds):
    for endpoint, url in _urls(app, worlds[org.id]):
        response = client.get(url)
        if access_rule(app.view_functions[endpoint]) == PUBLIC and endpoint not in PUBLIC_REDIRECTS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url


@pytest.mark.parametrize("role", list(Role))
def test_every_role_gets_a_page_or_a_refusal_never_an_error(app, clients, org, worlds, role):
    allowed_codes = {200, 302, 403}
    for endpoint, url in _urls(app, worlds[org.id]):
        response = clients[role].get(url)
        assert response.status_code in allowed_codes, (url, response.status_code)
        declared = access_rule(app.view_functions[endpoint])
        if declared != PUBLIC and role not in declared:
            assert response.status_code == 403, url


@pytest.mark.parametrize("role", [Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_other_organisations_urls_are_not_found(app, clients, other_org, worlds, role):
    checked: list[str] = []
    for endpoint, url in _urls(app, worlds[other_org.id]):
        if not _org_scoped(app, endpoint):
            continue
        checked.append(url)
        response = clients[role].get(url)
        assert response.status_code in (403, 404), url
        declared = access_rule(app.view_functions[endpoint])
        if role in declared:
            assert response.status_code == 404, url
    assert checked, "the sweep must reach organisation-scoped pages"


def _org_scoped(app: Flask, endpoint: str) -> bool:
    return any(SCOPED_ARGS & set(rule.arguments) for rule in app.url_map.iter_rules(endpoint))


def _post_urls(app: Flask, world: dict) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP or "POST" not in rule.methods:
            continue
        urls.append((rule.endpoint, rule.build(_values(rule, world))[1]))
    return urls


@pytest.mark.parametrize("role", list(Role))
def test_posts_with_a_valid_token_respect_roles_and_scope(
    app, clients, people, other_org, worlds, role
):
    """A forged but well-formed POST is refused like a GET: 403 for the role, 404 for scope."""
    client = clients[role]
    token = csrf_token(client, "/home")
    checked: list[str] = []
    for endpoint, url in _post_urls(app, worlds[other_org.id]):
        if endpoint == "auth.sign_out":
            continue  # allowed for everyone; covered in test_auth
        response = client.post(
            url,
            data={
                "csrf_token": token,
                "name": "X",
                "email": "forged@example.nhs.uk",
                "role": "org_lead",
            },
        )
        declared = access_rule(app.view_functions[endpoint])
        if declared == PUBLIC:
            assert response.status_code in (200, 302, 400, 401, 410), url
        elif role not in declared:
            assert response.status_code == 403, (url, role)
        elif _org_scoped(app, endpoint):
            checked.append(url)
            if role.is_hee:
                # Allowed in: done, or the form's own refusal of what was sent (400).
                assert response.status_code in (200, 302, 400), (url, role)
            else:
                assert response.status_code == 404, (url, role)
    if role in (Role.ORG_LEAD, Role.HEE_ADMIN):
        assert checked, "the sweep must reach an organisation-scoped form"
    from accredit.data.models import Invitation
    from accredit.extensions import db

    forged = db.session.query(Invitation).filter_by(email="forged@example.nhs.uk").count()
    assert forged == (1 if role is Role.HEE_ADMIN else 0)


#: URL arguments that name something inside a cohort (an organisation in it, or the cohort).
COHORT_ARGS = SCOPED_ARGS | {"cohort_id"}


def test_a_reviewer_of_another_cohort_reaches_nothing_in_this_one(
    app, make_user, sign_in_as, org, worlds
):
    """Reviewers see only the cohorts they are assigned: every page about this world's cohort,
    its organisations, their assessments, evidence, reports and exports is not found."""
    from accredit.data.models import Cohort, CohortReviewer
    from accredit.extensions import db

    reviewer = make_user(Role.HEE_REVIEWER)
    elsewhere = Cohort(name="Elsewhere", year=2026, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(elsewhere)
        db.session.flush()
        db.session.add(CohortReviewer(cohort_id=elsewhere.id, user_id=reviewer.id))
    client = sign_in_as(reviewer)
    checked = []
    for endpoint, url in _urls(app, worlds[org.id]):
        rules = list(app.url_map.iter_rules(endpoint))
        if not any(COHORT_ARGS & set(rule.arguments) for rule in rules):
            continue
        response = client.get(url)
        declared = access_rule(app.view_functions[endpoint])
        expected = 404 if Role.HEE_REVIEWER in declared else 403
        assert response.status_code == expected, (url, response.status_code)
        checked.append(url)
    assert len(checked) > 20, checked
    assert client.get(f"/cohorts/{elsewhere.id}").status_code == 200
