"""The reviewed status of a criterion and the level under a reviewer's judgements, worked out
by the engine's own level rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.domain.results import Status
from accredit.domain.review import Agreement, review_result, reviewed_status
from accredit.domain.scoring import rescore_levels, score
from accredit.standards.loader import load_standard

WEQS = load_standard(Path(__file__).parents[2] / "standards" / "weqs" / "2026.1.yaml")
PROFILE = {"org_type": "acute_trust"}


@pytest.mark.parametrize(
    ("own", "agreement", "reviewed"),
    [
        (Status.MET, Agreement.AGREE, Status.MET),
        (Status.MET, Agreement.DISAGREE, Status.NOT_MET),
        (Status.PARTLY_MET, Agreement.DISAGREE, Status.NOT_MET),
        (Status.NOT_MET, Agreement.DISAGREE, Status.MET),
        (Status.UNANSWERED, Agreement.DISAGREE, Status.MET),
        (Status.MET, Agreement.NEEDS_EVIDENCE, Status.NOT_MET),
        (Status.NOT_MET, Agreement.NEEDS_EVIDENCE, Status.NOT_MET),
        (Status.NOT_APPLICABLE, Agreement.DISAGREE, Status.NOT_APPLICABLE),
        (Status.PARTLY_MET, None, Status.PARTLY_MET),
    ],
)
def test_reviewed_status(own, agreement, reviewed):
    assert reviewed_status(own, agreement) is reviewed


def test_rescoring_unchanged_criteria_gives_the_engines_own_result():
    for answers in ({}, _bronze_answers()):
        result = score(WEQS, PROFILE, answers)
        again = rescore_levels(WEQS, result, result.criteria)
        assert again.levels == result.levels
        assert again.sections == result.sections
        assert (again.percent, again.highest_level) == (result.percent, result.highest_level)


def _bronze_answers() -> dict[str, object]:
    from accredit.services.demo_assessments import fill

    return fill(WEQS, PROFILE, 1, "1", None)


def test_agreeing_keeps_the_level_and_one_mandatory_disagreement_loses_it():
    own = score(WEQS, PROFILE, _bronze_answers())
    assert own.highest_level == "bronze"
    applicable = [c for c in own.criteria if c.applicable]
    agreed = review_result(WEQS, own, {c.id: Agreement.AGREE for c in applicable})
    assert agreed.complete and agreed.reviewed.highest_level == "bronze"
    assert agreed.disagreements == []

    mandatory = next(c for c in applicable if c.mandatory and c.status is Status.MET)
    judged = {c.id: Agreement.AGREE for c in applicable} | {mandatory.id: Agreement.DISAGREE}
    reviewed = review_result(WEQS, own, judged)
    assert reviewed.reviewed.highest_level is None
    assert reviewed.reviewed.criterion(mandatory.id).status is Status.NOT_MET
    assert reviewed.reviewed.level("bronze").mandatory_unmet == 1
    assert reviewed.disagreements == [mandatory.id]
    assert reviewed.own is own  # the organisation's own result is untouched


def test_unjudged_criteria_count_as_self_assessed_and_disagreeing_with_not_met_raises_the_score():
    own = score(WEQS, PROFILE, {})
    partial = review_result(WEQS, own, {})
    assert not partial.complete and partial.reviewed.levels == own.levels
    not_met = next(c for c in own.criteria if c.applicable and c.level == "bronze")
    raised = review_result(WEQS, own, {not_met.id: Agreement.DISAGREE})
    assert raised.reviewed.level("bronze").percent > own.level("bronze").percent
