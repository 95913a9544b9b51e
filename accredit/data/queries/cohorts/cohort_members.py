"""Who is in a cohort: its organisations (added one by one or from a CSV import) and the HEE
reviewers assigned to it. Only HEE admins change these; every read takes the caller's scope."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import lazyload

from accredit.data.base import utcnow
from accredit.data.models import (
    CohortImport,
    CohortMembership,
    CohortReviewer,
    Invitation,
    Organisation,
    User,
)
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db

#: Values per IN (...) list: well under SQLite's and PostgreSQL's limits on bound parameters.
CHUNK = 500


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def organisations_by_ods(scope: Scope, codes: Iterable[str]) -> dict[str, Organisation]:
    """The organisations the scope may see that have one of these ODS codes, by code."""
    found: dict[str, Organisation] = {}
    for chunk in _chunks(codes):
        query = select(Organisation).where(
            Organisation.ods_code.in_(chunk), scope.organisations_clause(Organisation.id)
        )
        found.update((o.ods_code, o) for o in db.session.scalars(query))
    return found


def member_codes(scope: Scope, cohort_id: int, codes: Iterable[str]) -> set[str]:
    """Which of these ODS codes belong to organisations already in the cohort."""
    if not scope.allows_cohort(cohort_id):
        return set()
    members: set[str] = set()
    for chunk in _chunks(codes):
        query = (
            select(Organisation.ods_code)
            .join(CohortMembership, CohortMembership.organisation_id == Organisation.id)
            .where(CohortMembership.cohort_id == cohort_id, Organisation.ods_code.in_(chunk))
        )
        members.update(db.session.scalars(query))
    return members


def emails_with_accounts(emails: Iterable[str]) -> dict[str, str | None]:
    """Which of these (lower-case) email addresses already have an account, each with the ODS
    code of the account's organisation (None for HEE staff)."""
    found: dict[str, str | None] = {}
    for chunk in _chunks(emails):
        rows = db.session.execute(
            select(User.email, Organisation.ods_code)
            .outerjoin(Organisation, Organisation.id == User.organisation_id)
            .where(User.email.in_(chunk))
        )
        found.update({email: code for email, code in rows})
    return found


def waiting_invitations(emails: Iterable[str]) -> list[Invitation]:
    """Invitations to these (lower-case) addresses that are neither used nor lapsed, locked
    until the caller's transaction ends: a batch looks them up at once, not one by one."""
    found: list[Invitation] = []
    for chunk in _chunks(emails):
        found.extend(
            db.session.scalars(
                select(Invitation)
                .where(
                    Invitation.email.in_(chunk),
                    Invitation.used_at.is_(None),
                    Invitation.expires_at > utcnow(),
                )
                .order_by(Invitation.id)
                .options(lazyload(Invitation.organisation))
                .with_for_update(of=Invitation)
            )
        )
    return found


def cohort_import(scope: Scope, cohort_id: int, import_id: int) -> CohortImport | None:
    """The import, or None when it does not exist, belongs to another cohort or the scope
    may not see the cohort."""
    if not scope.allows_cohort(cohort_id):
        return None
    found = db.session.get(CohortImport, import_id)
    return found if found is not None and found.cohort_id == cohort_id else None


def claim_import(import_id: int) -> bool:
    """Mark the import confirmed unless it already is, in the caller's transaction: of two
    confirmations at once, the second waits for the first and then finds nothing to claim."""
    result = db.session.execute(
        update(CohortImport)
        .where(CohortImport.id == import_id, CohortImport.confirmed_at.is_(None))
        .values(confirmed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def cohort_reviewers(scope: Scope, cohort_id: int) -> Sequence[User]:
    """The HEE reviewers assigned to the cohort, by name."""
    if not scope.allows_cohort(cohort_id):
        return []
    return db.session.scalars(
        select(User)
        .join(CohortReviewer, CohortReviewer.user_id == User.id)
        .where(CohortReviewer.cohort_id == cohort_id)
        .order_by(User.name, User.id)
    ).all()


def assignable_reviewers(cohort_id: int) -> Sequence[User]:
    """Active HEE reviewers not yet assigned to the cohort, by name."""
    assigned = select(CohortReviewer.user_id).where(CohortReviewer.cohort_id == cohort_id)
    return db.session.scalars(
        select(User)
        .where(User.role == Role.HEE_REVIEWER, User.active.is_(True), User.id.not_in(assigned))
        .order_by(User.name, User.id)
    ).all()


def reviewer_assignment(cohort_id: int, user_id: int) -> CohortReviewer | None:
    return db.session.scalar(
        select(CohortReviewer).where(
            CohortReviewer.cohort_id == cohort_id, CohortReviewer.user_id == user_id
        )
    )
