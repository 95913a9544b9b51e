"""Cohort exports for HEE staff: a row per organisation, or a row per organisation and
question, as CSV streamed while the request lasts or as XLSX made by a background job; and a
ZIP of every organisation's evidence pack, also a job (see ``exports_packs``).

A job belongs to no organisation: HEE admins and the person who asked see it. It runs with
the scope of whoever asked, worked out again when it runs, so an export never holds more than
they may see at that moment. Finished files are kept by SHA-256 under ``<instance>/exports``
(or the bucket's ``exports/`` prefix: ``stores.backend``).
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Cohort, Job, User
from accredit.data.queries.cohorts import exports as queries
from accredit.data.queries.scope import Scope, scope_for
from accredit.data.transactions import commit_now, discard, unit_of_work
from accredit.domain.operations.retention import EXPORT_JOB_KINDS
from accredit.extensions import db
from accredit.services.cohorts.exports_activity import activity_table
from accredit.services.cohorts.exports_answers import answer_table
from accredit.services.cohorts.exports_csv import csv_chunks
from accredit.services.cohorts.exports_moderation import moderation_table
from accredit.services.cohorts.exports_rows import ProgressFn, Table, organisation_table
from accredit.services.cohorts.exports_xlsx import XLSX_MEDIA_TYPE, write_xlsx
from accredit.services.jobs import handlers as job_handlers
from accredit.services.jobs import jobs
from accredit.services.operations import audit
from accredit.services.storage.storage import Pruning, Storage
from accredit.services.storage.stores import backend

TABLES = ("organisations", "answers", "activity", "moderation")
KINDS = EXPORT_JOB_KINDS  # named once, where retention reads them too
KIND_TABLE, KIND_PACKS = KINDS
ZIP_MEDIA_TYPE = "application/zip"


def export_storage_for(settings: Settings) -> Storage:
    """Where finished exports are kept: a cache, as any export can be made again."""
    return backend(settings, "exports")


def slug(text: str, limit: int = 60) -> str:
    """Lower-case letters and digits joined by hyphens, for file names."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "export"


def file_name(cohort: Cohort, what: str, extension: str) -> str:
    return f"{slug(cohort.name)}-{what}-{utcnow():%Y-%m-%d}.{extension}"


def table_for(scope: Scope, cohort: Cohort, name: str, progress: ProgressFn | None = None) -> Table:
    if name == "organisations":
        return organisation_table(scope, cohort)
    if name == "answers":
        return answer_table(scope, cohort, progress)
    if name == "activity":
        return activity_table(scope, cohort)
    if name == "moderation":
        return moderation_table(scope, cohort)
    raise ValueError(f"No export table {name!r}")


def csv_download(
    scope: Scope, cohort: Cohort, name: str, actor: User
) -> tuple[str, Iterator[bytes]]:
    """The file name and the CSV's chunks (read from the database as they are sent)."""
    with unit_of_work():
        audit.record("cohort.exported", f"cohort:{cohort.id}", actor=actor, detail=f"{name}.csv")
    return file_name(cohort, name, "csv"), csv_chunks(table_for(scope, cohort, name))


# --- Background jobs -------------------------------------------------------------------


def subject(cohort_id: int, what: str, user_id: int) -> str:
    """One job at a time per cohort, export and person (each sees only their own)."""
    return f"{subject_prefix(cohort_id)}{what}:{user_id}"


def subject_prefix(cohort_id: int) -> str:
    return f"cohort-export:{cohort_id}:"


def request_xlsx(cohort: Cohort, name: str, actor: User) -> Job:
    if name not in TABLES:
        raise ValueError(f"No export table {name!r}")
    return _submit(KIND_TABLE, cohort, name, actor, {"table": name}, f"{name}.xlsx")


def request_packs(cohort: Cohort, actor: User) -> Job:
    return _submit(KIND_PACKS, cohort, "packs", actor, {}, "packs.zip")


def _submit(
    kind: str, cohort: Cohort, what: str, actor: User, extra: dict[str, Any], detail: str
) -> Job:
    # Committed first: ``jobs.submit`` may fail an overdue job in a session of its own, which
    # on SQLite would wait for a write lock this request still held.
    with commit_now():
        audit.record("cohort.export-requested", f"cohort:{cohort.id}", actor=actor, detail=detail)
    return jobs.submit(
        kind,
        {"cohort_id": cohort.id, "requested_by_id": actor.id, **extra},
        subject=subject(cohort.id, what, actor.id),
        organisation_id=None,
        requested_by_id=actor.id,
    )


def recent_jobs(cohort_id: int, user_id: int) -> list[Job]:
    return queries.export_jobs(user_id, KINDS, subject_prefix(cohort_id))


def job_of_cohort(job: Job | None, cohort_id: int) -> bool:
    return job is not None and job.kind in KINDS and job.params.get("cohort_id") == cohort_id


def label(job: Job) -> str:
    """What the job makes, as its pages say it."""
    if job.kind == KIND_PACKS:
        return "Every evidence pack (ZIP)"
    table = job.params.get("table")
    if table == "activity":
        return "Activity returns (Excel)"
    if table == "moderation":
        return "Moderation (Excel)"
    return "All answers (Excel)" if table == "answers" else "Organisations (Excel)"


def job_context(params: dict[str, Any]) -> tuple[Cohort, Scope, User]:
    """The cohort and the scope of the person who asked, as they are now."""
    cohort = db.session.get(Cohort, int(params["cohort_id"]))
    if cohort is None:
        raise job_handlers.JobError("This cohort no longer exists.")
    user = db.session.get(User, int(params["requested_by_id"]))
    if user is None or not user.active or not user.role.is_hee:
        raise job_handlers.JobError("Only HEE staff can export a cohort.")
    scope = scope_for(user.id, user.role, user.organisation_id)
    if not scope.allows_cohort(cohort.id):
        raise job_handlers.JobError("You are no longer assigned to this cohort.")
    return cohort, scope, user


@contextmanager
def scratch_file(storage: Storage, suffix: str) -> Iterator[Path]:
    """A temporary file the export is written to before it is kept; always removed. It is in
    the system's temporary folder, not the store, which may be an object store."""
    fd, name = tempfile.mkstemp(prefix=".export-", suffix=suffix)
    os.close(fd)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def keep(storage: Storage, path: Path) -> tuple[str, int]:
    """Copy a finished file into the store under its SHA-256 (read in blocks: an export may be
    bigger than memory should hold); its digest and size."""
    return storage.put_file(path), path.stat().st_size


def keep_unless_members_went(
    storage: Storage, path: Path, cohort_id: int, members: frozenset[int]
) -> tuple[str, int]:
    """``keep`` the finished export, unless an organisation that was in the cohort when it
    began has gone meanwhile. Deleting an organisation deletes its cohorts' exports made so
    far; one still being made would escape that with the deleted organisation's data in it,
    so it is thrown away here and the job fails, saying to make it again."""
    sha256, size = keep(storage, path)
    discard()  # a fresh look: see the deletion if it has committed
    if members <= queries.cohort_members(cohort_id):
        return sha256, size
    if isinstance(storage, Pruning):
        storage.delete(sha256)
    raise job_handlers.JobError(
        "An organisation in this cohort was deleted while this export was being made, so it "
        "was not kept. Make it again."
    )


def _run_table(params: dict[str, Any], run: job_handlers.JobRun) -> dict[str, Any]:
    progress = run.progress
    cohort, scope, _ = job_context(params)
    members = queries.cohort_members(cohort.id)
    name = str(params.get("table"))
    if name not in TABLES:
        raise job_handlers.JobError("This export is not one the service makes.")
    progress(2, "Reading the cohort")

    def told(done: int, total: int) -> None:
        progress(5 + 85 * done // max(total, 1), f"Written {done:,} of {total:,} organisations")

    storage = export_storage_for(run.settings)
    with scratch_file(storage, ".xlsx") as path:
        rows = write_xlsx(table_for(scope, cohort, name, told), path)
        progress(95, "Saving the file")
        sha256, size = keep_unless_members_went(storage, path, cohort.id, members)
    return {
        "sha256": sha256,
        "size": size,
        "rows": rows,
        "filename": file_name(cohort, name, "xlsx"),
        "media_type": XLSX_MEDIA_TYPE,
    }


job_handlers.register(KIND_TABLE, _run_table)
