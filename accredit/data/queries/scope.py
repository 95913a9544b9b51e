"""What a signed-in user may see, as a value every organisation query takes.

HEE admins see everything. HEE reviewers see the cohorts they are assigned to and the
organisations in them, nothing else. Organisation staff see only their own organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, select, true

from accredit.data.models import CohortMembership, CohortReviewer
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db


@dataclass(frozen=True, slots=True)
class Scope:
    user_id: int
    role: Role
    organisation_id: int | None
    #: For HEE reviewers: the cohorts they are assigned to, and the organisations in them.
    cohort_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()

    @property
    def sees_all(self) -> bool:
        return self.role is Role.HEE_ADMIN

    @property
    def is_hee(self) -> bool:
        return self.role.is_hee

    def allows(self, organisation_id: int) -> bool:
        if self.sees_all:
            return True
        if self.role is Role.HEE_REVIEWER:
            return organisation_id in self.organisation_ids
        return organisation_id == self.organisation_id

    def allows_cohort(self, cohort_id: int) -> bool:
        """Whether the cohort's pages, charts and exports are open to this user (HEE only)."""
        return self.sees_all or (self.role is Role.HEE_REVIEWER and cohort_id in self.cohort_ids)

    def allows_assessment(self, organisation_id: int, cohort_id: int) -> bool:
        """A reviewer sees an organisation's assessments only in the cohorts they review."""
        if self.role is Role.HEE_REVIEWER:
            return cohort_id in self.cohort_ids
        return self.allows(organisation_id)

    def organisations_clause(
        self, column: SQLColumnExpression[int] | SQLColumnExpression[int | None]
    ) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose organisation (``column``) the scope may see."""
        if self.sees_all:
            return true()
        if self.role is Role.HEE_REVIEWER:
            return column.in_(
                select(CohortMembership.organisation_id).where(
                    CohortMembership.cohort_id.in_(sorted(self.cohort_ids))
                )
            )
        return column == self.organisation_id

    def cohorts_clause(
        self, column: SQLColumnExpression[int] | SQLColumnExpression[int | None]
    ) -> ColumnElement[bool]:
        if self.sees_all:
            return true()
        if self.role is Role.HEE_REVIEWER:
            return column.in_(sorted(self.cohort_ids))
        return column.in_(
            select(CohortMembership.cohort_id).where(
                CohortMembership.organisation_id == self.organisation_id
            )
        )


def scope_for(user_id: int, role: Role, organisation_id: int | None) -> Scope:
    """The user's scope; for a reviewer, with the cohorts assigned to them (one query)."""
    if role is not Role.HEE_REVIEWER:
        return Scope(user_id, role, organisation_id)
    rows = db.session.execute(
        select(CohortReviewer.cohort_id, CohortMembership.organisation_id)
        .outerjoin(CohortMembership, CohortMembership.cohort_id == CohortReviewer.cohort_id)
        .where(CohortReviewer.user_id == user_id)
    ).all()
    return Scope(
        user_id,
        role,
        organisation_id,
        cohort_ids=frozenset(cohort for cohort, _ in rows),
        organisation_ids=frozenset(org for _, org in rows if org is not None),
    )
