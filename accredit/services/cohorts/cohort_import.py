"""Adding organisations to a cohort (HEE admins): from a CSV file, checked and previewed first,
or one at a time from a form. Both check rows with ``domain.cohort_csv``, so they give the same
messages; both match existing organisations by ODS code, create the others, add them to the
cohort and invite leads who have no account, in one transaction.

The emails go out after that transaction commits: an import that fails halfway invites nobody.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.exc import IntegrityError

from accredit.config import Settings
from accredit.data.models import (
    Cohort,
    CohortImport,
    CohortMembership,
    Invitation,
    Organisation,
    User,
)
from accredit.data.queries.accounts.organisations import regions
from accredit.data.queries.cohorts import cohort_members as queries
from accredit.data.queries.scope import Scope
from accredit.data.transactions import commit_now, unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.cohorts import cohort_csv, cohort_rows
from accredit.domain.cohorts.cohort_csv import RawRow
from accredit.domain.cohorts.cohort_rows import CheckedRow, Known, Problem
from accredit.extensions import db
from accredit.services.accounts.invitations import Invited, add_invitation
from accredit.services.cohorts import import_invitations
from accredit.services.operations import audit, mail

log = logging.getLogger("accredit.cohorts")
FILENAME_MAX = 255
RACED = (
    "Someone else changed these organisations at the same moment. Check the cohort and try again."
)


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why and what to do."""


class AlreadyImported(ImportRefused):
    """The preview was confirmed before: its organisations are in the cohort."""


class OrganisationRefused(Exception):
    """The organisation typed into the form has problems, each for a field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class Outcome:
    added: int
    created: int
    invited: int
    #: Invitations made but whose email could not be sent (the mail server refused).
    unsent: int = 0
    #: Of those invited, how many had an invitation waiting already: it was sent again.
    resent: int = 0
    #: The background job emailing the invitations (an import's), when there are any.
    job_id: int | None = None

    def sentence(self) -> str:
        """The success message, like "12 organisations added, 3 invitations sent" (or "being
        sent", while an import's job emails them)."""
        sent = "being sent" if self.job_id is not None else "sent"
        sentence = (
            f"{_count(self.added, 'organisation')} added, "
            f"{_count(self.invited - self.unsent, 'invitation')} {sent}"
        )
        if self.resent:
            sentence += (
                f" ({self.resent} of them in place of one still waiting to be accepted, "
                "whose link no longer works)"
            )
        if self.unsent:
            sentence += (
                f". {_count(self.unsent, 'invitation')} could not be emailed: invite "
                "those leads again from their organisation's page"
            )
        return sentence


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _refuse_unless_admin(actor: User) -> None:
    if actor.role is not Role.HEE_ADMIN:
        raise ImportRefused("Only HEE admins can add organisations to cohorts")


def _known(scope: Scope, cohort: Cohort, rows: Sequence[RawRow]) -> Known:
    """What the rows need checking against, looked up in a few queries whatever their number."""
    codes = cohort_rows.wanted_codes(rows)
    existing = queries.organisations_by_ods(scope, codes)
    return Known(
        regions={region.code: region.name for region in regions()},
        organisations={code: organisation.name for code, organisation in existing.items()},
        in_cohort=queries.member_codes(scope, cohort.id, codes),
        accounts=queries.emails_with_accounts(cohort_rows.wanted_emails(rows)),
    )


def _base_name(filename: str) -> str:
    """The file's own name: some browsers send the whole path it was chosen from."""
    return filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "upload.csv"


def upload(scope: Scope, actor: User, cohort: Cohort, filename: str, data: bytes) -> CohortImport:
    """Read and check the file and keep it as a preview; CsvRefused when it cannot be read."""
    _refuse_unless_admin(actor)
    raw = cohort_csv.read_csv(data)
    checked = cohort_rows.check_rows(raw, _known(scope, cohort, raw))
    with unit_of_work():
        preview = CohortImport(
            cohort_id=cohort.id,
            created_by_id=actor.id,
            filename=_base_name(filename)[:FILENAME_MAX],
            rows=[row.to_json() for row in checked],
        )
        db.session.add(preview)
        db.session.flush()
        audit.record(
            "cohort.import-checked",
            f"cohort:{cohort.id}",
            actor=actor,
            after={
                "import_id": preview.id,
                "filename": preview.filename,
                "rows": len(checked),
                "rows_with_errors": sum(not row.ok for row in checked),
            },
        )
    return preview


def confirm(
    settings: Settings, scope: Scope, actor: User, cohort: Cohort, preview: CohortImport
) -> Outcome:
    """Import a preview with no errors. The rows are checked again against the service as it
    is now: if something changed since the preview (say the organisation joined the cohort
    meanwhile), the preview is refreshed with the new problems and nothing is imported."""
    _refuse_unless_admin(actor)
    if preview.confirmed_at is not None:
        raise AlreadyImported("This file has already been imported")
    if any(row["errors"] for row in preview.rows):
        raise ImportRefused(
            "Some rows have problems, so nothing has been imported. "
            "Fix them in the file and upload it again."
        )
    raw = [RawRow(int(row["line"]), dict(row["values"])) for row in preview.rows]
    try:
        with commit_now():
            if not queries.claim_import(preview.id):
                raise AlreadyImported("This file has already been imported")
            checked = cohort_rows.check_rows(raw, _known(scope, cohort, raw))
            if any(not row.ok for row in checked):
                raise _Changed(checked)
            outcome, invited = _add(settings, scope, actor, cohort, checked)
            audit.record(
                "cohort.import-confirmed",
                f"cohort:{cohort.id}",
                actor=actor,
                after={
                    "import_id": preview.id,
                    "filename": preview.filename,
                    "added": outcome.added,
                    "created": outcome.created,
                    "invited": outcome.invited,
                },
            )
    except _Changed as changed:
        with commit_now():
            preview.rows = [row.to_json() for row in changed.rows]
        raise ImportRefused(
            "Something changed since the file was checked, so nothing has been imported. "
            "The problems are shown below: fix them in the file and upload it again."
        ) from None
    except IntegrityError:
        log.warning("Import %s for cohort %s raced another change", preview.id, cohort.id)
        raise ImportRefused(RACED) from None
    if not invited:
        return outcome
    # Emailed by a job: thousands of emails would keep the admin waiting on this request.
    ids = [each.invitation.id for each in invited]
    return replace(outcome, job_id=import_invitations.request(preview, actor, ids).id)


@dataclass(frozen=True, slots=True)
class AddedOne:
    """One organisation added from the form: which, and what happened about its lead."""

    cohort: str
    name: str
    ods_code: str
    #: Already in the service: it kept its name, type and region.
    existing: bool
    lead_email: str
    outcome: Outcome

    def sentence(self) -> str:
        """The success message, naming the organisation and saying what became of the lead."""
        added = f"{self.name} ({self.ods_code}) has been added to {self.cohort}."
        if self.existing:
            added += " It was already in the service, so it keeps its name, type and region."
        return f"{added} {self._lead()}"

    def _lead(self) -> str:
        if not self.lead_email:
            return "No lead was given, so no invitation was sent."
        if not self.outcome.invited:
            return f"{self.lead_email} already has an account, so no invitation was sent."
        if self.outcome.unsent:
            return (
                f"The invitation to {self.lead_email} could not be emailed: invite them again "
                "from the organisation's page."
            )
        if self.outcome.resent:
            return (
                f"{self.lead_email} already had an invitation waiting, so it has been sent "
                "again with a new link. The link in the earlier email no longer works."
            )
        return f"An invitation has been sent to {self.lead_email}."


def add_one(
    settings: Settings, scope: Scope, actor: User, cohort: Cohort, values: Mapping[str, str]
) -> AddedOne:
    """Add the organisation typed into the form and invite its lead; OrganisationRefused with
    a problem per field when it cannot be added. An organisation the service holds is matched
    by its ODS code alone and keeps its details; a lead is then optional."""
    _refuse_unless_admin(actor)
    raw = [RawRow(1, {name: (values.get(name) or "").strip() for name in cohort_csv.FIELDS})]
    try:
        with commit_now():
            row = cohort_rows.check_rows(raw, _known(scope, cohort, raw))[0]
            if not row.ok:
                raise OrganisationRefused(row.problems)
            outcome, invited = _add(settings, scope, actor, cohort, [row])
            organisation = queries.organisations_by_ods(scope, [row.ods_code])[row.ods_code]
            audit.record(
                "cohort.organisation-added",
                f"cohort:{cohort.id}",
                actor=actor,
                after={"ods_code": row.ods_code, "created": bool(outcome.created)},
            )
    except IntegrityError:
        raise ImportRefused(RACED) from None
    return AddedOne(
        cohort=cohort.name,
        name=organisation.name,
        ods_code=organisation.ods_code,
        existing=row.existing,
        lead_email=row.lead_email,
        outcome=replace(outcome, unsent=_send(settings, [each.message for each in invited])),
    )


class _Changed(Exception):
    def __init__(self, rows: list[CheckedRow]) -> None:
        super().__init__("rows changed since the preview")
        self.rows = rows


def _add(
    settings: Settings,
    scope: Scope,
    actor: User,
    cohort: Cohort,
    rows: Sequence[CheckedRow],
) -> tuple[Outcome, list[Invited]]:
    """Create, enrol and invite for rows already checked, in the caller's transaction; the
    invitations made, each with its email to send once that transaction has committed."""
    by_code = {region.code: region for region in regions()}
    found = queries.organisations_by_ods(scope, {row.ods_code for row in rows})
    created: list[Organisation] = []
    for row in rows:
        if row.ods_code not in found:
            assert row.org_type is not None and row.region_code is not None
            organisation = Organisation(
                name=row.values["name"],
                ods_code=row.ods_code,
                org_type=row.org_type,
                region=by_code[row.region_code],
                profile={},
            )
            db.session.add(organisation)
            found[row.ods_code] = organisation
            created.append(organisation)
    db.session.flush()
    for organisation in created:
        audit.record(
            "organisation-added",
            f"organisation:{organisation.id}",
            actor=actor,
            after=_details(organisation),
        )
    db.session.add_all(
        CohortMembership(cohort_id=cohort.id, organisation_id=found[row.ods_code].id)
        for row in rows
    )
    made: list[Invited] = []
    resent = 0
    waiting = _waiting(row.lead_email for row in rows if row.invite)
    with db.session.no_autoflush:  # one flush at the end, not one per invitation
        for row in rows:
            if row.invite:
                organisation = found[row.ods_code]
                invited = add_invitation(
                    settings,
                    inviter=actor,
                    email=row.lead_email,
                    name=row.values["lead_name"],
                    role=Role.ORG_LEAD,
                    organisation=organisation,
                    account_checked=True,  # by check_rows, in this transaction
                    waiting=waiting.get((row.lead_email, organisation.id), []),
                )
                made.append(invited)
                resent += invited.resent
    db.session.flush()
    outcome = Outcome(added=len(rows), created=len(created), invited=len(made), resent=resent)
    return outcome, made


def _waiting(emails: Iterable[str]) -> dict[tuple[str, int | None], list[Invitation]]:
    """Invitations still waiting, by address and organisation: a lead invited again is sent
    a fresh link in place of the old one, never a second live one."""
    waiting: dict[tuple[str, int | None], list[Invitation]] = {}
    for invitation in queries.waiting_invitations(emails):
        waiting.setdefault((invitation.email, invitation.organisation_id), []).append(invitation)
    return waiting


def _details(organisation: Organisation) -> dict[str, Any]:
    return {
        "name": organisation.name,
        "ods_code": organisation.ods_code,
        "type": organisation.org_type.value,
        "region": organisation.region.code,
    }


def _send(settings: Settings, messages: Sequence[mail.Mail]) -> int:
    """Send the invitations, returning how many failed: each failure is logged, and its lead
    can be invited again from the organisation's page (the import itself stands)."""
    failed = 0
    for message in messages:
        try:
            mail.send(settings, message)
        except OSError:
            log.exception("An invitation from a cohort import could not be sent")
            failed += 1
    return failed
