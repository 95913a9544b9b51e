"""The assessment lifecycle as a pure state machine: statuses, actions, and who may take them.

An organisation works on a draft and submits it; HEE picks it up for review and either returns
it (the organisation fixes and resubmits, history kept) or accepts it. Every transition the
service makes goes through `transition`, so a refused one is refused the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from accredit.domain.accounts.organisations import HEE_ROLES, Role


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def editable(self) -> bool:
        """The organisation may change answers and evidence links only in these statuses."""
        return self in (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED)


_LABELS = {
    AssessmentStatus.DRAFT: "In progress",
    AssessmentStatus.SUBMITTED: "Submitted",
    AssessmentStatus.IN_REVIEW: "In review",
    AssessmentStatus.RETURNED: "Returned for changes",
    AssessmentStatus.ACCEPTED: "Accepted",
}


class Action(StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    RETURN = "return"
    ACCEPT = "accept"


class TransitionRefused(Exception):
    """The action is not possible from this status, or not by this role."""


@dataclass(frozen=True, slots=True)
class Transition:
    source: AssessmentStatus
    action: Action
    target: AssessmentStatus
    roles: frozenset[Role]


_HEE = frozenset(HEE_ROLES)
_LEAD = frozenset({Role.ORG_LEAD})
S = AssessmentStatus

TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, Action.SUBMIT, S.SUBMITTED, _LEAD),
    Transition(S.RETURNED, Action.SUBMIT, S.SUBMITTED, _LEAD),
    Transition(S.SUBMITTED, Action.START_REVIEW, S.IN_REVIEW, _HEE),
    Transition(S.SUBMITTED, Action.RETURN, S.RETURNED, _HEE),
    Transition(S.IN_REVIEW, Action.RETURN, S.RETURNED, _HEE),
    Transition(S.IN_REVIEW, Action.ACCEPT, S.ACCEPTED, _HEE),
)
_BY_KEY = {(t.source, t.action): t for t in TRANSITIONS}


def allowed(status: AssessmentStatus, action: Action, role: Role) -> bool:
    found = _BY_KEY.get((status, action))
    return found is not None and role in found.roles


def transition(status: AssessmentStatus, action: Action, role: Role) -> AssessmentStatus:
    """The status after `action`, or TransitionRefused saying why in plain English."""
    found = _BY_KEY.get((status, action))
    if found is None:
        raise TransitionRefused(
            f"An assessment that is {status.label.lower()} cannot be {_PAST[action]}"
        )
    if role not in found.roles:
        who = role.in_sentence
        raise TransitionRefused(f"{who[:1].upper()}{who[1:]} cannot {_VERB[action]} an assessment")
    return found.target


def actions_for(status: AssessmentStatus, role: Role) -> tuple[Action, ...]:
    return tuple(t.action for t in TRANSITIONS if t.source is status and role in t.roles)


_PAST = {
    Action.SUBMIT: "submitted",
    Action.START_REVIEW: "put in review",
    Action.RETURN: "returned",
    Action.ACCEPT: "accepted",
}
_VERB = {
    Action.SUBMIT: "submit",
    Action.START_REVIEW: "start reviewing",
    Action.RETURN: "return",
    Action.ACCEPT: "accept",
}


def assessment_reference(standard_id: str, ods_code: str, year: int, assessment_id: int) -> str:
    """The reference an organisation quotes for its self-assessment: the standard, the
    organisation's ODS code, the year it was started and its number, as ``WEQS-RX1-2026-0012``.
    Made from recorded facts only, so it reads the same on the confirmation page, in the email
    and to HEE, however often it is submitted."""
    return f"{standard_id.upper()}-{ods_code.upper()}-{year}-{assessment_id:04d}"
