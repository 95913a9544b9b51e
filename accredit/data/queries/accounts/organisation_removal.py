"""What deleting an organisation takes with it, and the deletion itself.

Most of an organisation's data goes by the foreign keys' ON DELETE CASCADE (assessments and
everything under them, evidence, awards, activity returns, cohort places, jobs). What does not
cascade is handled here: its people (whose names other rows may carry as actor or author),
invitations to it, and organisations that are part of it (they stay, standing alone).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Column, Delete, Update, delete, func, select, update

from accredit.data.base import Base
from accredit.data.models import (
    ActivityReturn,
    Answer,
    Assessment,
    AuditEvent,
    Award,
    CohortMembership,
    EvidenceFile,
    EvidenceItem,
    Invitation,
    Organisation,
    Pack,
    User,
)
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import ORG_ROLES
from accredit.domain.operations.audit_trail import former_actor, former_invitee, without_personal
from accredit.extensions import db

#: Audit actions recording an invitation, with the organisation's id in ``after``.
INVITATION_ACTIONS = ("invitation-sent", "invitation-resent")


def removal_counts(scope: Scope, organisation_id: int) -> dict[str, int]:
    """How many of each thing the deletion removes (or detaches), for the confirm page."""
    if not scope.sees_all:
        return {}
    org = organisation_id
    counted = {
        "people": select(func.count(User.id)).where(User.organisation_id == org),
        "invitations": select(func.count(Invitation.id)).where(Invitation.organisation_id == org),
        "assessments": select(func.count(Assessment.id)).where(Assessment.organisation_id == org),
        "answers": select(func.count(Answer.id))
        .join(Assessment, Assessment.id == Answer.assessment_id)
        .where(Assessment.organisation_id == org),
        "evidence items": select(func.count(EvidenceItem.id)).where(
            EvidenceItem.organisation_id == org
        ),
        "evidence file versions": select(func.count(EvidenceFile.id))
        .join(EvidenceItem, EvidenceItem.id == EvidenceFile.item_id)
        .where(EvidenceItem.organisation_id == org),
        "awards": select(func.count(Award.id)).where(Award.organisation_id == org),
        "activity returns": select(func.count(ActivityReturn.id)).where(
            ActivityReturn.organisation_id == org
        ),
        "organisations that are part of it": select(func.count(Organisation.id)).where(
            Organisation.parent_id == org
        ),
    }
    return {label: db.session.scalar(query) or 0 for label, query in counted.items()}


def evidence_hashes(scope: Scope, organisation_id: int) -> set[str]:
    """The stored files (SHA-256) behind every version of the organisation's evidence,
    removed items included."""
    if not scope.allows(organisation_id):
        return set()
    return set(
        db.session.scalars(
            select(EvidenceFile.sha256)
            .join(EvidenceItem, EvidenceItem.id == EvidenceFile.item_id)
            .where(EvidenceItem.organisation_id == organisation_id)
            .distinct()
        )
    )


def pack_hashes(scope: Scope, organisation_id: int) -> set[str]:
    """The stored evidence packs (SHA-256) made from the organisation's assessments: they hold
    copies of its evidence, so they go with it."""
    if not scope.allows(organisation_id):
        return set()
    return set(
        db.session.scalars(
            select(Pack.file_sha256)
            .join(Assessment, Assessment.id == Pack.assessment_id)
            .where(Assessment.organisation_id == organisation_id)
            .distinct()
        )
    )


def packs_in_use(hashes: Iterable[str]) -> set[str]:
    """Which of these pack files some remaining pack row still refers to."""
    wanted = sorted(set(hashes))
    if not wanted:
        return set()
    query = select(Pack.file_sha256).where(Pack.file_sha256.in_(wanted)).distinct()
    return set(db.session.scalars(query))


def cohort_ids(scope: Scope, organisation_id: int) -> set[int]:
    """The cohorts the organisation is in."""
    if not scope.allows(organisation_id):
        return set()
    query = select(CohortMembership.cohort_id).where(
        CohortMembership.organisation_id == organisation_id
    )
    return set(db.session.scalars(query))


def _references_to_users() -> list[Column[int]]:
    """Every column, in every table, that names a user without the database deciding what
    happens when the user goes (no ON DELETE). Read from the models so a table added later
    is covered without anyone remembering to list it here."""
    users = User.__table__
    columns: list[Column[int]] = []
    for table in Base.metadata.sorted_tables:
        for key in table.foreign_keys:
            if key.column.table is users and key.ondelete is None and key.parent.table is not users:
                columns.append(key.parent)
    return columns


def _label_what_its_people_did(organisation: Organisation) -> None:
    """Before their accounts go, mark the audit events its people made with their role and
    the organisation's ODS code, so the trail still says who in general terms; events about
    them, and its invitations, no longer carry their email or name."""
    ods = organisation.ods_code
    people = db.session.execute(
        select(User.email, User.role).where(User.organisation_id == organisation.id)
    ).all()
    for role in ORG_ROLES:
        label = former_actor(role.label, ods)
        theirs = select(User.id).where(User.organisation_id == organisation.id, User.role == role)
        db.session.execute(
            update(AuditEvent)
            .where(AuditEvent.actor_id.in_(theirs.scalar_subquery()))
            .values(actor_label=label),
            execution_options={"synchronize_session": False},
        )
        _relabel_events_about({email for email, r in people if r == role}, label)
    _relabel_invitations_to(organisation.id, former_invitee(ods), besides={e for e, _ in people})


def _relabel_invitations_to(organisation_id: int, label: str, besides: set[str]) -> None:
    """The invitations to the organisation, found by event (an invitation row may be gone
    already, purged), not by email: whoever was invited may have an account elsewhere, and
    their other events are theirs to keep. Those already relabelled as its people are skipped."""
    sent = select(AuditEvent).where(AuditEvent.action.in_(INVITATION_ACTIONS))
    for event in db.session.scalars(sent):
        ours = (
            isinstance(event.after, dict) and event.after.get("organisation_id") == organisation_id
        )
        if ours and event.target not in besides:
            event.target = label
            event.after = without_personal(event.after)
    db.session.flush()


def _relabel_events_about(emails: set[str], label: str) -> None:
    """Events whose target is one of these emails get ``label`` as their target, and lose
    what in their before and after names the person; a failed sign-in counted against an
    address, whose detail is the email tried, gets ``label`` as its detail."""
    ordered = sorted(emails)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        about = AuditEvent.target.in_(chunk)
        for event in db.session.scalars(select(AuditEvent).where(about)):
            if event.before is not None or event.after is not None:
                event.before = without_personal(event.before)
                event.after = without_personal(event.after)
        db.session.flush()
        db.session.execute(
            update(AuditEvent).where(about).values(target=label),
            execution_options={"synchronize_session": False},
        )
        db.session.execute(
            update(AuditEvent).where(AuditEvent.detail.in_(chunk)).values(detail=label),
            execution_options={"synchronize_session": False},
        )


def delete_organisation(scope: Scope, organisation_id: int) -> bool:
    """Delete the organisation and all its data in the caller's transaction; False when the
    scope may not (only HEE admins may delete organisations) or it does not exist."""
    organisation = db.session.get(Organisation, organisation_id)
    if not scope.sees_all or organisation is None:
        return False
    _label_what_its_people_did(organisation)
    people = select(User.id).where(User.organisation_id == organisation_id).scalar_subquery()
    for column in _references_to_users():
        table = column.table
        statement: Update | Delete
        if column.nullable:
            # Rows that outlive these people (the audit trail, say) keep what happened,
            # without naming an account that no longer exists.
            statement = update(table).where(column.in_(people)).values({column.name: None})
        else:
            statement = delete(table).where(column.in_(people))
        db.session.execute(statement.execution_options(synchronize_session=False))
    plain = {"synchronize_session": False}
    db.session.execute(
        delete(Invitation).where(Invitation.organisation_id == organisation_id),
        execution_options=plain,
    )
    db.session.execute(
        update(Organisation)
        .where(Organisation.parent_id == organisation_id)
        .values(parent_id=None),
        execution_options=plain,
    )
    db.session.execute(
        delete(User).where(User.organisation_id == organisation_id), execution_options=plain
    )
    db.session.execute(
        delete(Organisation).where(Organisation.id == organisation_id), execution_options=plain
    )
    return True
