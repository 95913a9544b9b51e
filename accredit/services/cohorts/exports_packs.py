"""A ZIP of every evidence pack in a cohort, made as a background job in steps.

One PDF (the whole-assessment pack) per organisation with an assessment in the cohort, named
``<ODS>-<organisation-slug>.pdf``. Packs are made or reused through ``services.packs``, so an
unchanged assessment costs a file copy. An organisation whose pack cannot be made is listed in
the ZIP's README.txt and the rest are still delivered.

A cohort of a thousand assessments needs an hour or more of packs, far past the job time bound
(``ACCREDIT_JOB_TIMEOUT_SECONDS``, 300 s), so the job works in steps (``handlers.Continue``):
each makes packs for at most a third of the bound, then hands on which packs it made (by
assessment, the stored file's SHA-256) and which failed, and the next step goes on from there.
When every pack is made, a last step writes the ZIP from the stored packs, a file copy each.
"""

from __future__ import annotations

import logging
import shutil
import time
import zipfile
from collections.abc import Callable
from typing import Any

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Assessment, Cohort
from accredit.data.queries.cohorts import exports as queries
from accredit.data.queries.cohorts.exports import AssessedRow
from accredit.data.transactions import discard
from accredit.extensions import db
from accredit.services.cohorts.exports import (
    KIND_PACKS,
    ZIP_MEDIA_TYPE,
    export_storage_for,
    file_name,
    job_context,
    keep_unless_members_went,
    scratch_file,
    slug,
)
from accredit.services.jobs import handlers as job_handlers
from accredit.services.reports import packs
from accredit.services.reports.packs import PackScope
from accredit.services.reports.printing import Printing
from accredit.services.storage.stores import pack_storage_for, storage_for

log = logging.getLogger("accredit.exports")
#: A step makes packs for at most the job time bound divided by this, then hands on.
STEP_SHARE = 3


def pack_name(row: AssessedRow) -> str:
    return f"{slug(row.ods_code, 16).upper()}-{slug(row.name)}.pdf"


def readme(cohort: Cohort, made: int, failed: list[AssessedRow]) -> str:
    lines = [
        f"Evidence packs for {cohort.name} ({cohort.standard_id.upper()} "
        f"{cohort.standard_version}), made {utcnow():%d %B %Y at %H:%M} UTC.",
        "",
        f"{made} pack{'s' if made != 1 else ''} in this file: one per organisation with an "
        "assessment in the cohort, each covering the whole assessment.",
    ]
    if failed:
        lines += ["", "These organisations' packs could not be made (try again later):"]
        lines += [f"- {row.ods_code} {row.name}" for row in failed]
    else:
        lines += ["", "Every organisation's pack was made."]
    return "\n".join(lines) + "\n"


def _run_packs(params: dict[str, Any], run: job_handlers.JobRun) -> dict[str, Any]:
    cohort, scope, user = job_context(params)
    settings, progress = run.settings, run.progress
    made_packs = pack_storage_for(settings)
    resume = params.get("resume") or {}
    #: Assessment id (as text: JSON keys) -> the SHA-256 of its stored pack; and those failed.
    made: dict[str, str] = dict(resume.get("made", {}))
    failed_ids: list[int] = list(resume.get("failed", []))
    rows = queries.assessed(scope, cohort.id)
    tried = set(made) | {str(i) for i in failed_ids}
    to_make = [row for row in rows if str(row.assessment_id) not in tried]
    if to_make:
        step_ends = time.monotonic() + settings.job_timeout_seconds / STEP_SHARE
        make = _pack_maker(settings, run, user.id)
        for row in to_make:
            number = len(made) + len(failed_ids)
            progress(
                2 + 93 * number // max(len(rows), 1),
                f"Pack {number + 1} of {len(rows)}: {row.ods_code}",
            )
            sha256 = make(row)
            if sha256 is None:
                failed_ids.append(row.assessment_id)
            else:
                made[str(row.assessment_id)] = sha256
            if time.monotonic() >= step_ends and row is not to_make[-1]:
                raise job_handlers.Continue({"made": made, "failed": failed_ids})
    storage = export_storage_for(settings)
    members = queries.cohort_members(cohort.id)
    failed_set = set(failed_ids)
    failed = [row for row in rows if row.assessment_id in failed_set]
    with scratch_file(storage, ".zip") as path:
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as out:
            for row in rows:
                sha256 = made.get(str(row.assessment_id))
                if sha256 is None:
                    continue
                try:
                    with (
                        made_packs.open(sha256) as source,
                        out.open(pack_name(row), "w", force_zip64=True) as target,
                    ):
                        shutil.copyfileobj(source, target, 1 << 20)
                except FileNotFoundError:  # pruned since it was made
                    log.warning("Pack of assessment %s went before the ZIP", row.assessment_id)
                    failed.append(row)
            done = len(rows) - len(failed)
            out.writestr("README.txt", readme(cohort, done, failed), zipfile.ZIP_DEFLATED)
        progress(97, "Saving the file")
        sha256, size = keep_unless_members_went(storage, path, cohort.id, members)
    return {
        "sha256": sha256,
        "size": size,
        "packs": done,
        "failed": [f"{row.ods_code} {row.name}" for row in failed],
        "filename": file_name(cohort, "evidence-packs", "zip"),
        "media_type": ZIP_MEDIA_TYPE,
    }


def _pack_maker(
    settings: Settings, run: job_handlers.JobRun, user_id: int
) -> Callable[[AssessedRow], str | None]:
    """Make (or find) one organisation's pack: the stored file's SHA-256, or None when it
    cannot be made (logged; the organisation is listed in the README)."""
    evidence, made_packs = storage_for(settings), pack_storage_for(settings)
    printing = Printing.of(run.app, settings)

    def make(row: AssessedRow) -> str | None:
        try:
            assessment = db.session.get(Assessment, row.assessment_id)
            if assessment is None:
                raise LookupError("the assessment has gone")
            pack = packs.make(
                assessment, PackScope.ALL, evidence, made_packs, printing, requested_by_id=user_id
            )
        except Exception:
            discard()  # a failed pack leaves nothing behind; the others were committed
            log.exception("Pack of assessment %s failed in a cohort ZIP", row.assessment_id)
            return None
        return pack.file_sha256

    return make


job_handlers.register(KIND_PACKS, _run_packs)
