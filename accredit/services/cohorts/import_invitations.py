"""A cohort import's invitations, emailed by a background job with progress on the import page.

Confirming an import of thousands of organisations commits them, their memberships and their
invitations at once; emailing every invitation then took the admin's request 13 to 26 seconds
(longer against a slow mail server). The job does it instead. Its parameters name the
invitations by id: no raw link token is stored anywhere, so each invitation gets its link as its
email goes out (``invitations.reissue``), and is marked emailed once sent. A job run again after
a failure (a retry, a worker that died) emails only those not marked, and skips any used or
lapsed meanwhile. An email that cannot be sent is logged and counted; its lead can be invited
again from the organisation's page, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from accredit.data.base import utcnow
from accredit.data.models import CohortImport, Job, User
from accredit.data.queries.accounts import users as user_queries
from accredit.data.queries.operations.jobs import latest_job
from accredit.data.transactions import commit_now
from accredit.extensions import db
from accredit.services.accounts import invitations
from accredit.services.jobs import handlers as job_handlers
from accredit.services.jobs import jobs
from accredit.services.operations import mail

log = logging.getLogger("accredit.cohort_import")

KIND = "import_invitations"
#: Invitations read, given links and committed together; progress is reported after each batch.
BATCH = 50


def subject(import_id: int) -> str:
    return f"cohort-import:{import_id}"


def request(preview: CohortImport, actor: User, invitation_ids: Sequence[int]) -> Job:
    """Queue the job that emails these invitations of a confirmed import."""
    return jobs.submit(
        KIND,
        {
            "import_id": preview.id,
            "cohort_id": preview.cohort_id,
            "inviter_id": actor.id,
            "invitation_ids": list(invitation_ids),
        },
        subject=subject(preview.id),
        organisation_id=None,
        requested_by_id=actor.id,
    )


def send_the_rest(job: Job) -> Job:
    """Email an import's invitations not sent yet: the failed job again, or a new one with the
    same invitations after a job that finished with some unsent (it skips those emailed)."""
    if job.status == jobs.FAILED:
        return jobs.retry(job)
    return jobs.submit(
        KIND,
        dict(job.params),
        subject=job.subject,
        organisation_id=None,
        requested_by_id=job.requested_by_id,
    )


def job_of(preview: CohortImport) -> Job | None:
    """The latest job emailing this import's invitations (its status checked with the queue)."""
    job = latest_job(KIND, subject(preview.id))
    return jobs.refresh_status(job) if job is not None else None


def _run(params: dict[str, Any], run: job_handlers.JobRun) -> dict[str, Any]:
    inviter = db.session.get(User, int(params["inviter_id"]))
    if inviter is None:
        raise job_handlers.JobError("The person who imported the file no longer has an account.")
    ids = [int(i) for i in params["invitation_ids"]]
    sent = unsent = 0
    for start in range(0, len(ids), BATCH):
        for invitation in user_queries.invitations_to_email(ids[start : start + BATCH]):
            with commit_now():  # the link's hash is stored before the email carries the link
                message = invitations.reissue(run.settings, inviter, invitation)
            try:
                mail.send(run.settings, message)
            except OSError:
                log.exception("An invitation from a cohort import could not be sent")
                unsent += 1
                continue
            with commit_now():
                invitation.emailed_at = utcnow()
            sent += 1
        done = min(start + BATCH, len(ids))
        run.progress(round(100 * done / len(ids)), f"{done} of {len(ids)} invitations sent")
    return {"sent": sent, "unsent": unsent, "total": len(ids)}


job_handlers.register(KIND, _run)
