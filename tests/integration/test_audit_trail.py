"""The audit trail: each kind of change is recorded with actor, time, before and after, and HEE
admins (only) read, filter and export it. Through the Flask client, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from accredit.data.models import AuditEvent, Cohort, EvidenceItem, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.operations.mail import read_outbox
from tests.integration import evidence_helpers as evidence
from tests.integration.assess_helpers import post_page
from tests.integration.review_helpers import judge, judge_all, met_mandatory_bronze, start_review
from tests.support import files
from tests.support.forms import submit
from tests.support.html import page

GOOD_PASSWORD = "lantern-orchard-mosaic-93"


def _events(action: str, target: str | None = None) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == action)
    if target is not None:
        query = query.where(AuditEvent.target == target)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def _last(action: str, target: str | None = None) -> AuditEvent:
    found = _events(action, target)
    assert found, f"no {action} event"
    return found[-1]


def _recent(event: AuditEvent) -> bool:
    return datetime.now(UTC) - event.created_at < timedelta(minutes=5)


# --- Each kind of change produces an event -----------------------------------------------


def test_saving_answers_records_each_value_before_and_after(make_assessment, org, people, clients):
    lead = people[Role.ORG_LEAD]
    assessment = make_assessment(org, lead)
    url = f"/assessments/{assessment.id}/criteria/1.1"
    client = clients[Role.ORG_LEAD]
    assert post_page(client, url, {"q1": "yes", "q2": "Head of education"}).status_code == 302
    first = _last("answers-saved", f"assessment:{assessment.id}")
    assert first.actor_id == lead.id and _recent(first)
    assert first.before == {"1.1/1": None, "1.1/2": None}
    assert first.after == {"1.1/1": "yes", "1.1/2": "Head of education"}
    assert first.detail == "criterion 1.1"

    assert post_page(client, url, {"q1": "yes", "q2": "Director of training"}).status_code == 302
    second = _last("answers-saved", f"assessment:{assessment.id}")
    assert second.id != first.id
    assert (second.before, second.after) == (
        {"1.1/2": "Head of education"},
        {"1.1/2": "Director of training"},
    )


def test_evidence_upload_new_version_and_removal_are_recorded(org, people, clients):
    lead = people[Role.ORG_LEAD]
    client = clients[Role.ORG_LEAD]
    item = evidence.added_item(evidence.add(client, org, filename="Board policy.pdf"))
    added = _last("evidence-added", f"evidence:{item.id}")
    assert added.actor_id == lead.id and _recent(added) and added.before is None
    assert added.after["kind"] == "file" and added.after["filename"] == "Board policy.pdf"
    assert added.after["version"] == 1

    response = evidence.upload_new_version(client, item, files.pdf("v2"), "Board policy v2.pdf")
    assert response.status_code == 302
    version = _last("evidence-version-added", f"evidence:{item.id}")
    assert version.actor_id == lead.id
    assert version.before["version"] == 1 and version.after["version"] == 2
    assert version.after["filename"] == "Board policy v2.pdf"

    url = f"{evidence.base(org)}/{item.id}/remove"
    assert submit(client, url, {}).status_code == 302
    removed = _last("evidence-removed", f"evidence:{item.id}")
    assert removed.actor_id == lead.id
    assert removed.before == {"kind": "file", "title": "Work experience policy"}
    assert db.session.get(EvidenceItem, item.id).removed_at is not None


def test_status_changes_are_recorded_with_before_and_after(enrol, org, people, clients, settings):
    lead, reviewer = people[Role.ORG_LEAD], people[Role.HEE_REVIEWER]
    assessment = seed_stage(enrol(org), lead, Stage.SUBMITTED)
    aid = assessment.id
    started = _last("assessment-started", f"assessment:{aid}")
    assert started.actor_id == lead.id and started.after["standard"]
    submitted = _last("assessment-submitted", f"assessment:{aid}")
    assert (submitted.before, submitted.after["status"]) == ({"status": "draft"}, "submitted")

    client = clients[Role.HEE_REVIEWER]
    assert start_review(client, aid).status_code == 302
    review = _last("review-started", f"assessment:{aid}")
    assert review.actor_id == reviewer.id
    assert (review.before, review.after["status"]) == ({"status": "submitted"}, "in_review")

    target = met_mandatory_bronze(aid)
    assert judge(client, aid, target, "disagree", "Attach the current policy.").status_code == 302
    judged = _last("review-judged", f"assessment:{aid}/{target}")
    assert judged.after["agreement"] == "disagree"
    note = "One policy to update."
    response = submit(client, f"/assessments/{aid}/review/return", {"note": note})
    assert response.status_code == 302
    returned = _last("review-returned", f"assessment:{aid}")
    assert returned.before == {"status": "in_review"}
    assert returned.after["status"] == "returned" and returned.after["note"] == note

    lead_client = clients[Role.ORG_LEAD]
    # Resubmitted as it was: the lead confirms the returned criterion goes back unchanged.
    response = submit(
        lead_client, f"/assessments/{aid}/submit", {"declaration": "yes", "unchanged": "yes"}
    )
    assert response.status_code == 302
    assert _last("assessment-submitted", f"assessment:{aid}").before == {"status": "returned"}

    assert start_review(client, aid).status_code == 302
    judge_all(client, aid)
    response = submit(client, f"/assessments/{aid}/review/accept", {"level": "bronze"})
    assert response.status_code == 302
    accepted = _last("review-accepted", f"assessment:{aid}")
    assert accepted.before == {"status": "in_review"}
    assert accepted.after["status"] == AssessmentStatus.ACCEPTED.value
    assert accepted.after["level"] == "bronze"
    # The outcome: the award granted with it.
    award = _last("award.granted")
    assert award.actor_id == reviewer.id and award.after["level"] == "bronze"
    assert award.after["assessment_id"] == aid and _recent(award)


def test_invitations_new_users_and_password_resets_are_recorded(app, settings, clients, org):
    admin = clients[Role.HEE_ADMIN]
    email = "audit.lead@example.nhs.uk"
    url = f"/organisations/{org.id}/invite"
    response = submit(admin, url, {"name": "Audit Lead", "email": email, "role": "org_lead"})
    assert response.status_code == 302
    invited = _last("invitation-sent", email)
    assert invited.after == {"role": "org_lead", "organisation_id": org.id}
    assert invited.actor_id is not None

    link = re.search(
        r"http://localhost(/invitations/[\w-]+)", read_outbox(settings)[-1].get_content()
    )
    assert link
    fresh = app.test_client()
    response = submit(fresh, link.group(1), {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert response.status_code == 302
    created = _last("user-created", email)
    user = db.session.scalar(select(User).where(User.email == email))
    assert created.after == {"role": "org_lead", "name": "Audit Lead"}
    assert _last("invitation-accepted", email).actor_id == user.id

    assert submit(fresh, "/forgot-password", {"email": email}).status_code == 200
    reset = re.search(
        r"http://localhost(/reset-password/\S+)", read_outbox(settings)[-1].get_content()
    )
    assert reset
    new_password = "saffron-kettle-glacier-28"
    response = submit(fresh, reset.group(1), {"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    changed = _last("password-reset", email)
    assert changed.actor_id == user.id
    assert changed.before == {"session_version": 1}
    assert changed.after == {"session_version": 2, "password": "changed"}
    assert "hash" not in str(changed.after) and new_password not in str(changed.after)


def test_cohort_changes_and_reviewers_are_recorded(clients, people, standards_loaded):
    admin = clients[Role.HEE_ADMIN]
    fields = {
        "name": "North West cohort",
        "year": "2027",
        "region": "",
        "standard": "employability@2026.2",
        "deadline-day": "31",
        "deadline-month": "3",
        "deadline-year": "2028",
    }
    assert submit(admin, "/cohorts/new", fields).status_code == 302
    cohort = db.session.scalars(select(Cohort)).one()
    created = _last("cohort.created", f"cohort:{cohort.id}")
    assert created.before is None and created.after["name"] == "North West cohort"
    assert created.actor_id == people[Role.HEE_ADMIN].id

    url = f"/cohorts/{cohort.id}/edit"
    assert submit(admin, url, {**fields, "name": "North West 2027"}).status_code == 302
    updated = _last("cohort.updated", f"cohort:{cohort.id}")
    assert updated.before["name"] == "North West cohort"
    assert updated.after["name"] == "North West 2027"

    reviewer = people[Role.HEE_REVIEWER]
    url = f"/cohorts/{cohort.id}/reviewers"
    assert submit(admin, url, {"reviewer": str(reviewer.id)}).status_code == 302
    added = _last("cohort.reviewer-added", f"cohort:{cohort.id}")
    assert added.after["user_id"] == reviewer.id


# --- The viewer ----------------------------------------------------------------------------


@pytest.fixture
def trail(people) -> dict[str, AuditEvent]:
    """A few events by different people, one with a formula-looking target."""
    from accredit.services.operations import audit

    admin, lead = people[Role.HEE_ADMIN], people[Role.ORG_LEAD]
    with unit_of_work():
        old = audit.record("cohort.created", "cohort:7", actor=admin, after={"name": "Old cohort"})
        old.created_at = datetime(2025, 1, 15, 12, tzinfo=UTC)
        answers = audit.record(
            "answers-saved",
            "assessment:42",
            actor=lead,
            before={"1.1/2": None},
            after={"1.1/2": "Head of education"},
        )
        formula = audit.record(
            "evidence-added",
            '=HYPERLINK("http://evil.example","click")',
            actor=lead,
            after={"title": "+SUM(A1:A9)"},
            detail="@cmd",
        )
    return {"old": old, "answers": answers, "formula": formula}


def _table_rows(client, query: str = "") -> list[list[str]]:
    response = client.get("/audit-trail" + query)
    assert response.status_code == 200
    soup = page(response)
    table = soup.select_one("table.app-audit-table")
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in table.select("tbody tr")
    ]


def test_only_hee_admins_reach_the_audit_trail(clients, trail, client):
    event_id = trail["answers"].id
    for role in Role:
        for url in ("/audit-trail", f"/audit-trail/events/{event_id}", "/audit-trail/export.csv"):
            response = clients[role].get(url)
            response.close()  # the export streams: end it as a browser would
            expected = 200 if role is Role.HEE_ADMIN else 403
            assert response.status_code == expected, (role, url)
    anonymous = client.get("/audit-trail")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.headers["Location"]


def test_the_trail_is_newest_first_with_before_and_after(clients, people, trail):
    admin = clients[Role.HEE_ADMIN]
    home = page(admin.get("/home"))
    assert home.find("a", href="/audit-trail"), "the admin's home links to the trail"
    assert not page(clients[Role.HEE_REVIEWER].get("/home")).find("a", href="/audit-trail")
    rows = _table_rows(admin)
    targets = [row[3] for row in rows]
    assert targets.index(trail["formula"].target) < targets.index("assessment:42")
    assert targets.index("assessment:42") < targets.index("cohort:7")
    answers = rows[targets.index("assessment:42")]
    assert answers[1] == people[Role.ORG_LEAD].email and answers[2] == "answers-saved"
    assert answers[4] == "1.1/2: Head of education"

    detail = page(admin.get(f"/audit-trail/events/{trail['answers'].id}"))
    text = detail.get_text(" ", strip=True)
    assert people[Role.ORG_LEAD].email in text and "Head of education" in text
    assert admin.get("/audit-trail/events/999999").status_code == 404


def test_filters_by_actor_action_target_and_dates_all_in_the_url(clients, people, trail):
    admin = clients[Role.HEE_ADMIN]
    lead_email = people[Role.ORG_LEAD].email
    by_actor = _table_rows(admin, f"?actor={lead_email[:8].upper()}")
    assert by_actor and {row[1] for row in by_actor} == {lead_email}
    by_action = _table_rows(admin, "?action=cohort.created")
    assert [row[3] for row in by_action] == ["cohort:7"]
    by_kind = _table_rows(admin, "?target=assessment")
    assert [row[3] for row in by_kind] == ["assessment:42"]
    assert _table_rows(admin, "?target=assessment:4") == []
    dated = _table_rows(admin, "?date_from=2025-01-01&date_to=2025-01-31")
    assert [row[3] for row in dated] == ["cohort:7"]
    assert "cohort:7" not in [row[3] for row in _table_rows(admin, "?date_from=2025-01-16")]
    # A wildcard typed in a filter is matched literally.
    assert _table_rows(admin, "?actor=%25") == []
    # The form shows the filter it applied, and paging and export links keep it.
    soup = page(admin.get("/audit-trail?action=cohort.created&target=cohort"))
    assert soup.find("option", selected=True)["value"] == "cohort.created"
    export = soup.find("a", string=re.compile("Download these events"))["href"]
    assert "action=cohort.created" in export and "target=cohort" in export


def test_bad_filters_are_explained_and_the_rest_still_applies(clients, trail):
    admin = clients[Role.HEE_ADMIN]
    response = admin.get("/audit-trail?date_from=31/02/2025&action=cohort.created")
    assert response.status_code == 200
    soup = page(response)
    summary = soup.select_one(".nhsuk-error-summary").get_text(" ", strip=True)
    assert "The from date must be a real date" in summary
    assert [r.find_all("td")[3].get_text(strip=True) for r in soup.select("tbody tr")] == [
        "cohort:7"
    ]
    backwards = page(admin.get("/audit-trail?date_from=2025-02-01&date_to=2025-01-01"))
    assert "must be the same as or after" in backwards.get_text()
    assert admin.get("/audit-trail?page=banana").status_code == 200
    assert admin.get("/audit-trail?actor=" + "x" * 300).status_code == 200


def test_paging_newest_first(clients, people, trail):
    from accredit.services.operations import audit
    from accredit.services.operations.audit_trail import PAGE_SIZE

    with unit_of_work():
        for n in range(PAGE_SIZE + 5):
            audit.record("paging-test", f"cohort:{1000 + n}", actor=people[Role.HEE_ADMIN])
    admin = clients[Role.HEE_ADMIN]
    first = _table_rows(admin, "?action=paging-test")
    second = _table_rows(admin, "?action=paging-test&page=2")
    assert len(first) == PAGE_SIZE and len(second) == 5
    assert first[0][3] == f"cohort:{1000 + PAGE_SIZE + 4}" and second[-1][3] == "cohort:1000"
    soup = page(admin.get("/audit-trail?action=paging-test"))
    assert "page=2" in soup.find("a", rel="next")["href"]


def test_export_is_the_filtered_trail_with_formulas_neutralised(clients, people, trail):
    admin = clients[Role.HEE_ADMIN]
    response = admin.get("/audit-trail/export.csv?actor=" + people[Role.ORG_LEAD].email)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[:6] == ["Event", "Time (UTC)", "Actor email", "Actor name", "Action", "Target"]
    assert {row[2] for row in body} == {people[Role.ORG_LEAD].email}
    formula = next(row for row in body if row[4] == "evidence-added")
    assert formula[5] == "'" + trail["formula"].target
    assert formula[7].startswith("{") and "+SUM(A1:A9)" in formula[7]
    assert formula[8] == "'@cmd"
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    # Exporting is itself in the trail, with the filter used.
    exported = _last("audit-trail.exported")
    assert exported.actor_id == people[Role.HEE_ADMIN].id
    assert exported.after == {"filter": {"actor": people[Role.ORG_LEAD].email}}
