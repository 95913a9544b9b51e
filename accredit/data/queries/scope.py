"""What a signed-in user may see, as a value every organisation query takes.

HEE admins see everything. HEE reviewers see the cohorts they are assigned to and the
organisations in them, nothing else. Organisation staff see only their own organisation.

A reviewer's scope holds their cohorts (a handful), never every organisation in them: a cohort
may hold 10,000, and the scope is made on every request. Whether one organisation is theirs is
asked of the database when a page needs it, once per organisation per request.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, SQLColumnExpression, select, true

from accredit.data.models import CohortMembership, CohortReviewer
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db


@dataclass(frozen=True, slots=True)
class Scope:
    user_id: int
    role: Role
    organisation_id: int | None
    #: For HEE reviewers: the cohorts they are assigned to.
    cohort_ids: frozenset[int] = frozenset()
    #: For HEE reviewers: organisations already looked up, and whether they are in scope.
    _members: dict[int, bool] = field(default_factory=dict, compare=False, repr=False)

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
            return self._in_my_cohorts(organisation_id)
        return organisation_id == self.organisation_id

    def _in_my_cohorts(self, organisation_id: int) -> bool:
        known = self._members.get(organisation_id)
        if known is None:
            known = bool(self.cohort_ids) and (
                db.session.scalar(
                    select(CohortMembership.organisation_id)
                    .where(
                        CohortMembership.organisation_id == organisation_id,
                        CohortMembership.cohort_id.in_(sorted(self.cohort_ids)),
                    )
                    .limit(1)
                )
                is not None
            )
            self._members[organisation_id] = known
        return known

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
    cohorts = db.session.scalars(
        select(CohortReviewer.cohort_id).where(CohortReviewer.user_id == user_id)
    )
    return Scope(user_id, role, organisation_id, cohort_ids=frozenset(cohorts))
