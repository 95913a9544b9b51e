"""HEE admins delete an organisation: its data, its people and its evidence files go, except
files another organisation's evidence also uses; a failed deletion loses nothing."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from accredit.data.base import utcnow
from accredit.data.models import (
    Assessment,
    AuditEvent,
    Cohort,
    CohortMembership,
    EvidenceItem,
    Invitation,
    Job,
    Organisation,
    Pack,
    User,
)
from accredit.data.queries.scope import scope_for
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.extensions import db
from accredit.services.accounts import organisation_removal
from accredit.services.cohorts.exports import KIND_TABLE, export_storage_for, subject_prefix
from accredit.services.storage.storage import sha256_of
from accredit.services.storage.stores import pack_storage_for, storage_for
from tests.integration.evidence_helpers import stored_file
from tests.support.forms import csrf_token, submit
from tests.support.html import error_summary, page

OWN = b"Home Trust's own work experience policy.\n"
SHARED = b"The regional template everyone uploads.\n"
PACK = b"%PDF-1.7 Home Trust's evidence pack"


def _upload(settings, actor, organisation, data, title="A policy"):
    return stored_file(actor, organisation, data, storage_for(settings), title)


@pytest.fixture
def doomed(settings, make_assessment, make_user, org, other_org):
    """Home Trust with a lead, an assessment, two files (one also uploaded by Other Trust),
    an invitation, and a site that is part of it."""
    # Loading the standards may have closed the session the organisations came from.
    org, other_org = (
        db.session.get(Organisation, org.id),
        db.session.get(Organisation, other_org.id),
    )
    site = Organisation(
        name="Home Trust Riverside site",
        ods_code="RX901",
        org_type=OrgType.OTHER,
        region_id=org.region_id,
        parent_id=org.id,
    )
    with unit_of_work():
        db.session.add(site)
    lead = make_user(Role.ORG_LEAD, org, email="lead@home.example.nhs.uk")
    assessment = make_assessment(org, lead)
    pack_file = pack_storage_for(settings).put(PACK)
    with unit_of_work():
        db.session.add(
            Pack(
                assessment_id=assessment.id,
                fingerprint="0" * 64,
                scope="all",
                file_sha256=pack_file,
                size=len(PACK),
                pages=1,
            )
        )
    _upload(settings, lead, org, OWN)
    _upload(settings, lead, org, SHARED, title="Template")
    other_lead = make_user(Role.ORG_LEAD, other_org)
    _upload(settings, other_lead, other_org, SHARED, title="Template")
    with unit_of_work():
        db.session.add(
            Invitation(
                email="new.starter@home.example.nhs.uk",
                name="New Starter",
                role=Role.ORG_CONTRIBUTOR,
                organisation_id=org.id,
                invited_by_id=lead.id,
                token_hash="f" * 64,
                expires_at=utcnow() + timedelta(days=7),
            )
        )
    return {"org": org.id, "ods": org.ods_code, "lead": lead.id, "site": site.id}


def _count(model, *where):
    return db.session.scalar(select(func.count(model.id)).where(*where))


def test_the_confirm_page_says_what_goes(clients, doomed):
    response = clients[Role.HEE_ADMIN].get(f"/organisations/{doomed['org']}/delete")
    assert response.status_code == 200
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "Are you sure you want to delete Home Trust?"
    assert "This cannot be undone" in soup.get_text()
    rows = {
        tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
        for tr in soup.select("tbody tr")
    }
    # ``clients`` adds a lead and a contributor of Home Trust to the fixture's lead.
    assert rows["People"] == "3"
    assert rows["Assessments"] == "1"
    assert rows["Evidence items"] == "2"
    assert rows["Invitations"] == "1"
    assert rows["Organisations that are part of it (kept, no longer part of anything)"] == "1"
    assert rows["Stored evidence files deleted"] == "1"
    assert rows["Stored evidence files kept because another organisation uses the same file"] == "1"
    assert _count(Organisation, Organisation.id == doomed["org"]) == 1


def test_the_organisation_page_links_to_it_for_admins_only(clients, doomed):
    url = f"/organisations/{doomed['org']}"
    link = f"/organisations/{doomed['org']}/delete"
    assert link in clients[Role.HEE_ADMIN].get(url).get_data(as_text=True)
    assert link not in clients[Role.ORG_LEAD].get(url).get_data(as_text=True)


def test_deleting_removes_its_data_people_and_unshared_files(settings, clients, doomed):
    storage = storage_for(settings)
    assert storage.exists(sha256_of(OWN)) and storage.exists(sha256_of(SHARED))
    response = submit(
        clients[Role.HEE_ADMIN],
        f"/organisations/{doomed['org']}/delete",
        {"confirm": doomed["ods"].lower()},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/organisations"
    listing = clients[Role.HEE_ADMIN].get("/organisations").get_data(as_text=True)
    assert "Home Trust has been deleted." in listing

    assert _count(Organisation, Organisation.id == doomed["org"]) == 0
    assert _count(User, User.id == doomed["lead"]) == 0
    assert _count(User, User.organisation_id == doomed["org"]) == 0
    assert _count(Assessment, Assessment.organisation_id == doomed["org"]) == 0
    assert _count(EvidenceItem, EvidenceItem.organisation_id == doomed["org"]) == 0
    assert _count(Invitation) == 0
    assert db.session.get(Organisation, doomed["site"]).parent_id is None
    # Its own file is gone; the one Other Trust also uploaded stays, and still opens.
    assert not storage.exists(sha256_of(OWN))
    assert storage.read(sha256_of(SHARED)) == SHARED
    assert _count(EvidenceItem) == 1
    # Its evidence packs hold copies of its evidence, so they go too.
    assert not pack_storage_for(settings).exists(sha256_of(PACK))

    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "organisation-deleted")
    ).one()
    assert event.target == f"organisation:{doomed['org']}"
    assert event.actor_id is not None
    assert event.before == {"name": "Home Trust", "ods_code": doomed["ods"]}
    assert event.after["assessments"] == 1 and event.after["files deleted"] == 1
    # What its people did stays in the audit trail, no longer tied to their deleted accounts.
    uploads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("evidence%"))
    ).all()
    assert uploads and doomed["lead"] not in {e.actor_id for e in uploads}


def test_the_audit_trail_still_says_who_in_general_terms(clients, people, doomed, other_org):
    """Its people's accounts go, and their names and emails with them; what they did stays in
    the trail under their role and the organisation's ODS code. Nobody else's events change."""
    admin = clients[Role.HEE_ADMIN]
    other_lead = next(
        u for u in db.session.scalars(select(User)) if u.organisation_id == other_org.id
    )
    lead_email = "lead@home.example.nhs.uk"
    with unit_of_work():
        db.session.add_all(
            [
                AuditEvent(
                    action="user-created",
                    target=lead_email,
                    after={"role": "org_lead", "name": "Lee Lead"},
                ),
                AuditEvent(action="sign-in", target=lead_email, actor_id=doomed["lead"]),
                AuditEvent(action="sign-in-failed", target="ip:192.0.2.7", detail=lead_email),
                AuditEvent(
                    action="invitation-sent",
                    target="new.starter@home.example.nhs.uk",
                    actor_id=doomed["lead"],
                    after={"role": "org_contributor", "organisation_id": doomed["org"]},
                ),
                AuditEvent(
                    action="user-created",
                    target=other_lead.email,
                    after={"role": "org_lead", "name": other_lead.name},
                ),
                # Other Trust's lead was once invited to Home Trust and never accepted; the
                # invitation row has since been purged. The invitation goes unnamed, and
                # nothing else of theirs changes.
                AuditEvent(
                    action="invitation-sent",
                    target=other_lead.email,
                    actor_id=doomed["lead"],
                    after={"role": "org_contributor", "organisation_id": doomed["org"]},
                ),
                AuditEvent(action="sign-in", target=other_lead.email, actor_id=other_lead.id),
                AuditEvent(
                    action="invitation-sent",
                    target="elsewhere@other.example.nhs.uk",
                    actor_id=other_lead.id,
                    after={"role": "org_contributor", "organisation_id": other_org.id},
                ),
            ]
        )
    response = submit(admin, f"/organisations/{doomed['org']}/delete", {"confirm": doomed["ods"]})
    assert response.status_code == 302

    former = f"Former organisation lead of {doomed['ods']}"
    # Events about its people and invitees no longer carry their emails or names.
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    gone = (lead_email, "new.starter@home.example.nhs.uk")
    assert not [e.id for e in events if e.target in gone or e.detail in gone]
    about = {(e.action, e.target): e for e in events}
    assert about[("user-created", former)].after == {"role": "org_lead"}
    assert about[("sign-in", former)].actor_label == former
    assert about[("sign-in-failed", "ip:192.0.2.7")].detail == former
    invited = [e for e in events if e.target == f"Someone invited to {doomed['ods']}"]
    assert len(invited) == 2 and {e.action for e in invited} == {"invitation-sent"}
    assert all(e.after["organisation_id"] == doomed["org"] for e in invited)
    assert about[("user-created", other_lead.email)].after["name"] == other_lead.name
    assert about[("sign-in", other_lead.email)].actor_id == other_lead.id
    assert about[("invitation-sent", "elsewhere@other.example.nhs.uk")].actor_label is None
    uploads = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("evidence%"))
    ).all()
    theirs = [e for e in uploads if e.actor_id is None]
    assert theirs and {e.actor_label for e in theirs} == {former}
    assert {e.actor_label for e in uploads if e.actor_id == other_lead.id} == {None}
    deleted = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "organisation-deleted")
    ).one()
    assert deleted.actor_id == people[Role.HEE_ADMIN].id and deleted.actor_label is None

    listing = page(admin.get("/audit-trail?action=evidence-added"))
    assert former in listing.get_text()
    whole = admin.get("/audit-trail").text
    assert lead_email not in whole and "Lee Lead" not in whole and "new.starter" not in whole
    detail = page(admin.get(f"/audit-trail/events/{theirs[0].id}")).get_text(" ", strip=True)
    assert f"{former} (the account was deleted with the organisation)" in detail
    rows = list(csv.reader(io.StringIO(admin.get("/audit-trail/export.csv").text.lstrip("\ufeff"))))
    assert rows[0][-1] == "Former actor (account deleted)"
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[str(theirs[0].id)][2] == "" and by_id[str(theirs[0].id)][-1] == former
    assert by_id[str(deleted.id)][-1] == ""


def _export(cohort_id: int, by: int, data: bytes, settings) -> Job:
    """A finished cohort export whose file is stored."""
    sha256 = export_storage_for(settings).put(data)
    job = Job(
        kind=KIND_TABLE,
        subject=f"{subject_prefix(cohort_id)}organisations:{by}",
        params={"cohort_id": cohort_id, "requested_by_id": by, "table": "organisations"},
        organisation_id=None,
        requested_by_id=by,
        status="done",
        result={"sha256": sha256, "size": len(data), "filename": "export.xlsx"},
    )
    with unit_of_work():
        db.session.add(job)
    return job


def test_deleting_removes_the_exports_of_its_cohorts_made_so_far(settings, clients, people, doomed):
    """A cohort export made before the deletion holds the organisation's data: it goes too,
    and its page offers to make it again. Another cohort's export stays."""
    cohort_id = db.session.scalar(
        select(CohortMembership.cohort_id).where(CohortMembership.organisation_id == doomed["org"])
    )
    elsewhere = Cohort(name="Elsewhere", year=2026, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(elsewhere)
    admin = people[Role.HEE_ADMIN].id
    held = _export(cohort_id, admin, b"PK an export listing Home Trust", settings)
    kept = _export(elsewhere.id, admin, b"PK an export of another cohort", settings)
    client = clients[Role.HEE_ADMIN]
    url = f"/organisations/{doomed['org']}/delete"
    rows = {
        tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
        for tr in page(client.get(url)).select("tbody tr")
    }
    assert rows["Stored exports of its cohorts deleted"] == "1"

    assert submit(client, url, {"confirm": doomed["ods"]}).status_code == 302
    store = export_storage_for(settings)
    assert not store.exists(held.result["sha256"])
    assert store.exists(kept.result["sha256"])
    download = client.get(f"/cohorts/{cohort_id}/exports/{held.id}/download")
    assert download.status_code == 302
    assert "That export is no longer stored" in client.get(download.headers["Location"]).get_data(
        as_text=True
    )


def test_a_wrong_confirmation_deletes_nothing(settings, clients, doomed):
    response = submit(
        clients[Role.HEE_ADMIN], f"/organisations/{doomed['org']}/delete", {"confirm": "Home"}
    )
    assert response.status_code == 200
    assert error_summary(page(response)) == [
        f"Type {doomed['ods']} exactly to delete this organisation"
    ]
    empty = submit(
        clients[Role.HEE_ADMIN], f"/organisations/{doomed['org']}/delete", {"confirm": ""}
    )
    assert error_summary(page(empty)) == ["Type the organisation's ODS code to confirm"]
    assert _count(Organisation, Organisation.id == doomed["org"]) == 1
    assert storage_for(settings).exists(sha256_of(OWN))


@pytest.mark.parametrize("role", [Role.HEE_REVIEWER, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_only_hee_admins_may_delete(settings, clients, doomed, role):
    url = f"/organisations/{doomed['org']}/delete"
    assert clients[role].get(url).status_code == 403
    token = csrf_token(clients[role], "/home")
    response = clients[role].post(url, data={"confirm": doomed["ods"], "csrf_token": token})
    assert response.status_code == 403
    assert _count(Organisation, Organisation.id == doomed["org"]) == 1
    assert storage_for(settings).exists(sha256_of(OWN))


def test_the_service_refuses_anyone_but_an_hee_admin(settings, people, doomed):
    from accredit.data.queries.scope import scope_for

    reviewer = people[Role.HEE_REVIEWER]
    scope = scope_for(reviewer.id, reviewer.role, None)
    organisation = db.session.get(Organisation, doomed["org"])
    with pytest.raises(organisation_removal.RemovalRefused, match="Only HEE admins"):
        organisation_removal.delete_organisation(
            reviewer, scope, organisation, storage_for(settings)
        )
    assert _count(Organisation, Organisation.id == doomed["org"]) == 1


def _hold_deletes(engine) -> None:
    """A trigger that makes the database refuse the deletion, as a constraint would."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(
                text(
                    "CREATE FUNCTION hold_organisation() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'held' USING ERRCODE = 'foreign_key_violation'; "
                    "END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER hold_organisation BEFORE DELETE ON organisations "
                    "FOR EACH ROW EXECUTE FUNCTION hold_organisation()"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE TRIGGER hold_organisation BEFORE DELETE ON organisations "
                    "BEGIN SELECT RAISE(ABORT, 'held'); END"
                )
            )


def _release(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text("DROP TRIGGER IF EXISTS hold_organisation ON organisations")
            if engine.dialect.name == "postgresql"
            else text("DROP TRIGGER IF EXISTS hold_organisation")
        )
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP FUNCTION IF EXISTS hold_organisation()"))


def test_a_deletion_the_database_refuses_loses_no_files_and_no_rows(settings, clients, doomed):
    db.session.rollback()
    db.remove()
    _hold_deletes(db.engine)
    try:
        response = submit(
            clients[Role.HEE_ADMIN],
            f"/organisations/{doomed['org']}/delete",
            {"confirm": doomed["ods"]},
        )
    finally:
        db.session.rollback()
        db.remove()
        _release(db.engine)
    assert response.status_code == 200
    assert error_summary(page(response)) == [
        "Home Trust could not be deleted because other records still refer to it. "
        "Nothing has been deleted."
    ]
    assert _count(Organisation, Organisation.id == doomed["org"]) == 1
    assert _count(User, User.id == doomed["lead"]) == 1
    assert _count(Invitation) == 1
    assert _count(AuditEvent, AuditEvent.action == "organisation-deleted") == 0
    assert storage_for(settings).exists(sha256_of(OWN))


def test_an_export_being_made_while_an_organisation_went_is_not_kept(
    settings, people, doomed, tmp_path
):
    """Deleting takes the exports made so far; one still being made must not escape with the
    deleted organisation's data: it is thrown away when it finishes, and its job fails."""
    from accredit.services.cohorts import exports
    from accredit.services.jobs import handlers as job_handlers

    cohort_id = db.session.scalar(
        select(CohortMembership.cohort_id).where(CohortMembership.organisation_id == doomed["org"])
    )
    members = exports.queries.cohort_members(cohort_id)
    assert doomed["org"] in members  # the export began with Home Trust in the cohort
    finished = tmp_path / "export.xlsx"
    finished.write_bytes(b"PK an export made while Home Trust was being deleted")
    store = export_storage_for(settings)
    # Nothing has gone yet: the export is kept.
    sha256, _ = exports.keep_unless_members_went(store, finished, cohort_id, members)
    assert store.exists(sha256)
    store.delete(sha256)

    scope = scope_for(people[Role.HEE_ADMIN].id, Role.HEE_ADMIN, None)
    organisation = db.session.get(Organisation, doomed["org"])
    organisation_removal.delete_organisation(
        people[Role.HEE_ADMIN], scope, organisation, storage_for(settings)
    )
    with pytest.raises(job_handlers.JobError, match="was deleted while this export was being made"):
        exports.keep_unless_members_went(store, finished, cohort_id, members)
    assert not store.exists(sha256)
