"""The assessment lifecycle: every allowed transition, and every refused one, by role."""

from __future__ import annotations

import itertools

import pytest

from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import (
    Action,
    AssessmentStatus,
    TransitionRefused,
    actions_for,
    allowed,
    transition,
)

S = AssessmentStatus
ALLOWED = {
    (S.DRAFT, Action.SUBMIT, Role.ORG_LEAD): S.SUBMITTED,
    (S.RETURNED, Action.SUBMIT, Role.ORG_LEAD): S.SUBMITTED,
    (S.SUBMITTED, Action.START_REVIEW, Role.HEE_REVIEWER): S.IN_REVIEW,
    (S.SUBMITTED, Action.START_REVIEW, Role.HEE_ADMIN): S.IN_REVIEW,
    (S.SUBMITTED, Action.RETURN, Role.HEE_REVIEWER): S.RETURNED,
    (S.SUBMITTED, Action.RETURN, Role.HEE_ADMIN): S.RETURNED,
    (S.IN_REVIEW, Action.RETURN, Role.HEE_REVIEWER): S.RETURNED,
    (S.IN_REVIEW, Action.RETURN, Role.HEE_ADMIN): S.RETURNED,
    (S.IN_REVIEW, Action.ACCEPT, Role.HEE_REVIEWER): S.ACCEPTED,
    (S.IN_REVIEW, Action.ACCEPT, Role.HEE_ADMIN): S.ACCEPTED,
}
EVERY = list(itertools.product(AssessmentStatus, Action, Role))


@pytest.mark.parametrize(("status", "action", "role"), list(ALLOWED))
def test_allowed_transitions(status, action, role):
    assert allowed(status, action, role)
    assert transition(status, action, role) is ALLOWED[(status, action, role)]


@pytest.mark.parametrize(
    ("status", "action", "role"), [case for case in EVERY if case not in ALLOWED]
)
def test_every_other_transition_is_refused_with_a_reason(status, action, role):
    assert not allowed(status, action, role)
    with pytest.raises(TransitionRefused) as refused:
        transition(status, action, role)
    message = str(refused.value)
    assert message.startswith(("An assessment that is", f"{role.in_sentence[:1].upper()}")), message


def test_refusals_say_whether_the_status_or_the_role_is_wrong():
    with pytest.raises(TransitionRefused, match="that is accepted cannot be submitted"):
        transition(S.ACCEPTED, Action.SUBMIT, Role.ORG_LEAD)
    with pytest.raises(TransitionRefused, match=r"^An organisation contributor cannot submit"):
        transition(S.DRAFT, Action.SUBMIT, Role.ORG_CONTRIBUTOR)
    with pytest.raises(TransitionRefused, match=r"^An HEE reviewer cannot submit"):
        transition(S.DRAFT, Action.SUBMIT, Role.HEE_REVIEWER)


def test_only_drafts_and_returned_assessments_are_editable():
    assert {s for s in S if s.editable} == {S.DRAFT, S.RETURNED}


def test_actions_for_lists_what_a_role_may_do_now():
    assert actions_for(S.SUBMITTED, Role.HEE_REVIEWER) == (Action.START_REVIEW, Action.RETURN)
    assert actions_for(S.SUBMITTED, Role.ORG_LEAD) == ()
