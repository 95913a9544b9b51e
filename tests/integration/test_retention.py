"""Retention: `accredit purge` shows what has outlived its period, and deletes it with --yes.

Each kind gets an old row (past its period) and a young one; the preview must count the old
ones and delete nothing, the purge must delete exactly them, once.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accredit.data.base import utcnow
from accredit.data.models import AuditEvent, Cohort, CohortImport, FormStash, Invitation, Job
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.operations.retention import Kind
from accredit.extensions import db
from accredit.services.cohorts.exports import (
    KIND_PACKS,
    KIND_TABLE,
    export_storage_for,
    subject_prefix,
)
from accredit.services.operations import retention
from accredit.services.storage.storage import LocalStorage, sha256_of
from accredit.services.storage.stores import storage_for
from tests.integration.evidence_helpers import stored_file


def _ago(days: float):
    return utcnow() - timedelta(days=days)


@pytest.fixture
def aged(app, make_user, org):
    """Rows of every kind: one old and one young each (defaults: 90/30/30/90/30/30/2555 days)."""
    admin = make_user(Role.HEE_ADMIN)
    cohort = Cohort(name="2026 cohort", year=2026, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(cohort)

    def uploaded(days, confirmed=None):
        rows = [{"line": 2, "values": {"lead_email": "lead@example.nhs.uk"}, "errors": []}]
        return CohortImport(
            cohort_id=cohort.id,
            created_by_id=admin.id,
            filename="cohort.csv",
            rows=rows,
            created_at=_ago(days),
            confirmed_at=confirmed,
        )

    lead = make_user(Role.ORG_LEAD, org)

    def invitation(email, expires, used=None):
        return Invitation(
            email=email,
            name="Invited",
            role=Role.ORG_CONTRIBUTOR,
            organisation_id=org.id,
            invited_by_id=lead.id,
            token_hash=email.ljust(64, "0")[:64],
            expires_at=expires,
            used_at=used,
            created_at=expires - timedelta(days=7),
        )

    def event(action, days, target="someone@example.nhs.uk"):
        return AuditEvent(action=action, target=target, created_at=_ago(days))

    rows = [
        invitation("lapsed@example.nhs.uk", expires=_ago(100)),
        invitation("used-long-ago@example.nhs.uk", expires=_ago(95), used=_ago(99)),
        invitation("used-lately@example.nhs.uk", expires=_ago(5), used=_ago(10)),
        invitation("lapsed-lately@example.nhs.uk", expires=_ago(3)),
        invitation("pending@example.nhs.uk", expires=utcnow() + timedelta(days=6)),
        event("password-reset-requested", 31),
        event("password-reset-requested", 29),
        event("sign-in-failed", 91),
        event("sign-in-throttled", 200),
        event("sign-in-failed", 1),
        event("user-created", 2556),
        event("sign-in", 2600),
        event("user-created", 2554),
        FormStash(user_id=lead.id, path="/old", data={"a": ["1"]}, created_at=_ago(31)),
        FormStash(user_id=lead.id, path="/new", data={"a": ["2"]}, created_at=_ago(29)),
        _export_job(admin.id, "failed", finished=_ago(31)),
        _export_job(admin.id, "failed", finished=_ago(29)),
        uploaded(31, confirmed=_ago(31)),
        uploaded(29),
    ]
    with unit_of_work():
        db.session.add_all(rows)
    return admin


def _export_job(
    by: int, status: str, finished=None, sha256: str | None = None, kind=KIND_TABLE, cohort_id=1
):
    """A cohort export, finished (or not) at ``finished``, its file ``sha256`` when done."""
    result = {"sha256": sha256, "size": 1, "filename": "export.xlsx"} if sha256 else None
    return Job(
        kind=kind,
        subject=f"{subject_prefix(cohort_id)}organisations:{by}",
        params={"cohort_id": cohort_id, "requested_by_id": by, "table": "organisations"},
        requested_by_id=by,
        status=status,
        result=result,
        started_at=finished and finished - timedelta(minutes=1),
        finished_at=finished,
    )


EXPECTED = {
    Kind.INVITATIONS: 2,
    Kind.RESET_REQUESTS: 1,
    Kind.FORM_STASHES: 1,
    Kind.SIGN_IN_ATTEMPTS: 2,
    Kind.COHORT_IMPORTS: 1,
    Kind.COHORT_EXPORTS: 1,
    Kind.AUDIT_EVENTS: 2,
}


def _counts():
    return {
        "invitations": db.session.scalar(select(func.count(Invitation.id))),
        "stashes": db.session.scalar(select(func.count(FormStash.id))),
        "jobs": db.session.scalar(select(func.count(Job.id))),
        "imports": db.session.scalar(select(func.count(CohortImport.id))),
        "events": db.session.scalar(select(func.count(AuditEvent.id))),
    }


def test_the_preview_counts_what_is_past_its_period_and_deletes_nothing(settings, aged):
    before = _counts()
    plan = retention.plan(settings, storage_for(settings))
    assert {item.kind: item.count for item in plan.kinds} == EXPECTED
    cutoff = {item.kind: item.cutoff for item in plan.kinds}
    assert cutoff[Kind.FORM_STASHES] == plan.now - timedelta(days=30)
    assert _counts() == before


def test_the_purge_deletes_the_old_rows_of_each_kind_and_keeps_the_young(settings, aged):
    purged = retention.apply(settings, storage_for(settings))
    assert purged.counts == EXPECTED
    db.session.expire_all()
    emails = set(db.session.scalars(select(Invitation.email)))
    assert emails == {
        "used-lately@example.nhs.uk",
        "lapsed-lately@example.nhs.uk",
        "pending@example.nhs.uk",
    }
    assert set(db.session.scalars(select(FormStash.path))) == {"/new"}
    left = sorted(
        (e.action, round((utcnow() - e.created_at).days))
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action != "retention-purge")
        )
    )
    assert left == [("password-reset-requested", 29), ("sign-in-failed", 1), ("user-created", 2554)]
    [upload] = db.session.scalars(select(CohortImport)).all()
    assert upload.confirmed_at is None and (utcnow() - upload.created_at).days == 29
    [export] = db.session.scalars(select(Job)).all()
    assert export.finished_at is not None and (utcnow() - export.finished_at).days == 29


def test_the_purge_is_audited_with_counts_only(settings, aged):
    retention.apply(settings, storage_for(settings))
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "retention-purge")
    ).one()
    assert event.after == {
        "invitations": 2,
        "reset_requests": 1,
        "form_stashes": 1,
        "sign_in_attempts": 2,
        "cohort_imports": 1,
        "cohort_exports": 1,
        "audit_events": 2,
        "files": 0,
        "export_files": 0,
    }
    assert event.target == "retention" and event.actor_id is None and event.ip_address is None


def test_purging_twice_deletes_nothing_the_second_time(settings, aged):
    retention.apply(settings, storage_for(settings))
    before = _counts()
    again = retention.apply(settings, storage_for(settings))
    assert set(again.counts.values()) == {0} and again.files_deleted == 0
    assert _counts() == before  # not even another audit event
    assert retention.plan(settings, storage_for(settings)).empty


def test_shorter_settings_purge_more(settings, aged):
    shorter = settings.model_copy(update={"retain_invitations_days": 4, "retain_sessions_days": 1})
    counts = {item.kind: item.count for item in retention.plan(shorter, storage_for(shorter)).kinds}
    assert counts[Kind.INVITATIONS] == 3  # the invitation that lapsed five days ago too
    assert counts[Kind.FORM_STASHES] == 2


def test_a_period_under_a_day_is_refused_and_nothing_is_deleted(settings, aged):
    bad = settings.model_copy(update={"retain_audit_days": 0})
    before = _counts()
    with pytest.raises(retention.RetentionSettingsError, match="ACCREDIT_RETAIN_AUDIT_DAYS"):
        retention.apply(bad, storage_for(bad))
    assert _counts() == before


def test_stored_files_no_evidence_refers_to_are_listed_then_deleted(settings, make_user, org):
    storage = storage_for(settings)
    assert isinstance(storage, LocalStorage)
    lead = make_user(Role.ORG_LEAD, org)
    stored_file(lead, org, b"Our policy.\n", storage, title="Policy")
    cited = sha256_of(b"Our policy.\n")
    orphan = storage.put(b"left behind by an upload whose transaction failed")

    # Within a day of being stored, a file may be an upload on its way to the database.
    assert retention.plan(settings, storage).orphans == ()
    assert retention.apply(settings, storage).files_deleted == 0

    later = utcnow() + timedelta(days=1, minutes=1)
    plan = retention.plan(settings, storage, now=later)
    assert plan.orphans == (orphan,)
    assert storage.exists(orphan)  # the preview deleted nothing

    purged = retention.apply(settings, storage, now=later)
    assert purged.files_deleted == 1
    assert not storage.exists(orphan)
    assert storage.read(cited) == b"Our policy.\n"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention-purge"))
    assert event.one().after["files"] == 1


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["purge", *args])


def test_the_command_shows_a_table_and_deletes_only_when_told(app, aged):
    before = _counts()
    shown = _cli(app)
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0].split() == [
        "What",
        "Kept",
        "for",
        "Deleting",
        "what",
        "is",
        "older",
        "than",
        "Records",
    ]
    row = next(line for line in lines if line.startswith("Invitations used or expired"))
    assert "90 days" in row and row.endswith(" 2")
    assert (utcnow() - timedelta(days=90)).strftime("%Y-%m-%d") in row
    assert "Other audit events" in shown.output and "2,555 days" in shown.output
    exports_row = next(line for line in lines if line.startswith("Cohort exports made"))
    assert "30 days" in exports_row and exports_row.endswith(" 1")
    assert "Stored cohort export files (of exports deleted, or of none): 0" in shown.output
    assert "Nothing has been deleted" in shown.output
    assert _counts() == before

    done = _cli(app, "--yes")
    assert done.exit_code == 0, done.output
    assert "Deleted 10 records (" in done.output
    assert "invitations used or expired 2" in done.output
    assert "cohort exports made 1" in done.output
    assert "organisation lists uploaded to cohorts 1" in done.output
    assert ", 0 stored evidence files and 0 stored export files." in done.output
    assert db.session.scalar(select(func.count(Invitation.id))) == 3

    again = _cli(app, "--apply")
    assert again.exit_code == 0 and "Deleted 0 records" in again.output


def test_the_command_refuses_a_bad_setting_with_a_clear_message(app, settings, aged):
    settings.retain_sessions_days = 0  # the app holds this very Settings object
    before = _counts()
    result = _cli(app, "--yes")
    assert result.exit_code != 0
    assert (
        "ACCREDIT_RETAIN_SESSIONS_DAYS must be a whole number of days, 1 or more" in result.output
    )
    assert _counts() == before


def test_exports_past_their_period_go_with_their_files_and_files_no_export_records(
    settings, make_user
):
    """An export is a cache of the cohort's answers and packs: kept ACCREDIT_RETAIN_EXPORTS_DAYS
    (30) after it finished, then its row and its file go. A file another kept export shares, and
    one an export still being made may be about to record, stay."""
    admin = make_user(Role.HEE_ADMIN)
    store = export_storage_for(settings)
    old_file = store.put(b"PK an export made five weeks ago")
    shared = store.put(b"PK the same bytes, exported twice")
    young_file = store.put(b"PK an export made last week")
    unrecorded = store.put(b"PK kept by a job that crashed before recording it")
    with unit_of_work():
        db.session.add_all(
            [
                _export_job(admin.id, "done", _ago(35), old_file),
                _export_job(admin.id, "done", _ago(40), shared, kind=KIND_PACKS),
                _export_job(admin.id, "done", _ago(6), shared),
                _export_job(admin.id, "done", _ago(7), young_file),
                _export_job(admin.id, "running"),  # started, not finished: never touched
            ]
        )

    # Within a day of being stored, a file no export names may belong to one being made.
    plan = retention.plan(settings, storage_for(settings))
    assert {i.kind: i.count for i in plan.kinds}[Kind.COHORT_EXPORTS] == 2
    assert plan.export_files == (old_file,)

    later = utcnow() + timedelta(days=1, minutes=1)
    plan = retention.plan(settings, storage_for(settings), now=later)
    assert set(plan.export_files or ()) == {old_file, unrecorded}
    assert store.exists(old_file) and store.exists(unrecorded)  # the preview deleted nothing

    purged = retention.apply(settings, storage_for(settings), now=later)
    assert purged.counts[Kind.COHORT_EXPORTS] == 2 and purged.export_files_deleted == 2
    assert not store.exists(old_file) and not store.exists(unrecorded)
    assert store.exists(shared) and store.exists(young_file)
    left = sorted(
        (j.status, j.result and j.result["sha256"]) for j in db.session.scalars(select(Job))
    )
    assert left == sorted([("done", shared), ("done", young_file), ("running", None)])
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "retention-purge"))
    assert event.one().after["export_files"] == 2

    again = retention.apply(settings, storage_for(settings), now=later)
    assert again.counts[Kind.COHORT_EXPORTS] == 0 and again.export_files_deleted == 0


def test_a_purged_export_is_no_longer_offered(settings, make_user, sign_in_as, standards_loaded):
    admin = make_user(Role.HEE_ADMIN)
    cohort = Cohort(name="2026 cohort", year=2026, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(cohort)
    sha256 = export_storage_for(settings).put(b"PK old")
    job = _export_job(admin.id, "done", _ago(31), sha256, cohort_id=cohort.id)
    with unit_of_work():
        db.session.add(job)
    client = sign_in_as(admin)
    download = f"/cohorts/{cohort.id}/exports/{job.id}/download"
    assert client.get(download).data == b"PK old"
    listing = client.get(f"/cohorts/{cohort.id}/exports").text
    assert "Organisations (Excel)" in listing
    assert "each is kept for 30 days after it is made and then deleted" in listing

    retention.apply(settings, storage_for(settings))
    assert client.get(download).status_code == 404
    assert "Organisations (Excel)" not in client.get(f"/cohorts/{cohort.id}/exports").text
