"""The reviewed status of a criterion and the level under a reviewer's judgements, worked out
by the engine's own rules: a reviewer marks a criterion met only where the engine finds it met,
or overrides with a reason (and the override is flagged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.domain.review.review import (
    Agreement,
    is_override,
    refusal,
    review_result,
    reviewed_status,
)
from accredit.domain.scoring.evidence import is_evidence_key
from accredit.domain.scoring.results import Status
from accredit.domain.scoring.scoring import rescore_levels, score
from accredit.standards.loader import load_standard

WEQS = load_standard(Path(__file__).parents[2] / "standards" / "weqs" / "2026.1.yaml")
#: A whole profile: a profile question left unanswered holds back the criteria gated on it.
PROFILE = {
    "org_type": "acute_trust",
    "offers_under_16": False,
    "offers_clinical_placements": False,
    "offers_t_level": False,
}
WHY = "The signed policy was shown to me at the visit; the upload failed."


@pytest.mark.parametrize(
    ("own", "agreement", "reviewed"),
    [
        (Status.MET, Agreement.AGREE, Status.MET),
        (Status.MET, Agreement.DISAGREE, Status.NOT_MET),
        (Status.PARTLY_MET, Agreement.DISAGREE, Status.NOT_MET),
        (Status.MET, Agreement.NEEDS_EVIDENCE, Status.NOT_MET),
        (Status.NOT_MET, Agreement.NEEDS_EVIDENCE, Status.NOT_MET),
        (Status.NOT_APPLICABLE, Agreement.DISAGREE, Status.NOT_APPLICABLE),
        (Status.PARTLY_MET, None, Status.PARTLY_MET),
        # Disagreeing cannot mark met what the engine does not find met: its status stands.
        (Status.NOT_MET, Agreement.DISAGREE, Status.NOT_MET),
        (Status.UNANSWERED, Agreement.DISAGREE, Status.UNANSWERED),
        # An override without a reason changes nothing either.
        (Status.NOT_MET, Agreement.OVERRIDE, Status.NOT_MET),
        (Status.PARTLY_MET, Agreement.OVERRIDE, Status.PARTLY_MET),
    ],
)
def test_reviewed_status(own, agreement, reviewed):
    assert reviewed_status(own, agreement) is reviewed


@pytest.mark.parametrize("own", [Status.UNANSWERED, Status.NOT_MET, Status.PARTLY_MET])
def test_an_override_with_a_reason_counts_as_met_and_is_flagged(own):
    assert refusal("1.2", own, Agreement.OVERRIDE, WHY) is None
    assert reviewed_status(own, Agreement.OVERRIDE, WHY) is Status.MET
    assert is_override(own, Agreement.OVERRIDE, WHY)
    assert not is_override(own, Agreement.OVERRIDE, "   ")
    assert not is_override(own, Agreement.AGREE, WHY)


@pytest.mark.parametrize("own", [Status.UNANSWERED, Status.NOT_MET])
def test_disagreeing_to_mark_met_is_refused_and_points_to_the_override(own):
    refused = refusal("3.1", own, Agreement.DISAGREE)
    assert refused is not None and not refused.about_reason
    assert refused.message.startswith("3.1 is not met under the standard's rules")
    assert "Count as met (override)" in refused.message
    # Marking down stays open, as does agreeing or asking for evidence.
    for agreement in (Agreement.AGREE, Agreement.NEEDS_EVIDENCE):
        assert refusal("3.1", own, agreement) is None
    for positive in (Status.MET, Status.PARTLY_MET):
        assert refusal("3.1", positive, Agreement.DISAGREE) is None


def test_an_override_needs_a_reason_and_a_criterion_the_engine_does_not_find_met():
    missing = refusal("1.2", Status.NOT_MET, Agreement.OVERRIDE, "  ")
    assert missing is not None and missing.about_reason
    assert missing.message == (
        "Give your reason for counting 1.2 as met when the standard's rules do not"
    )
    already = refusal("1.2", Status.MET, Agreement.OVERRIDE, WHY)
    assert already is not None and "already met" in already.message
    assert reviewed_status(Status.MET, Agreement.OVERRIDE, WHY) is Status.MET
    assert not is_override(Status.MET, Agreement.OVERRIDE, WHY)


def test_rescoring_unchanged_criteria_gives_the_engines_own_result():
    for answers in ({}, _bronze_answers()):
        result = score(WEQS, PROFILE, answers)
        again = rescore_levels(WEQS, result, result.criteria)
        assert again.levels == result.levels
        assert again.sections == result.sections
        assert (again.percent, again.highest_level) == (result.percent, result.highest_level)


def _bronze_answers() -> dict[str, object]:
    from accredit.seed.demo_assessments import fill

    return fill(WEQS, PROFILE, 1, "1", None)


def test_agreeing_keeps_the_level_and_one_mandatory_disagreement_loses_it():
    own = score(WEQS, PROFILE, _bronze_answers())
    assert own.highest_level == "bronze"
    applicable = [c for c in own.criteria if c.applicable]
    agreed = review_result(WEQS, own, {c.id: Agreement.AGREE for c in applicable})
    assert agreed.complete and agreed.reviewed.highest_level == "bronze"
    assert agreed.disagreements == [] and agreed.overrides == []

    mandatory = next(c for c in applicable if c.mandatory and c.status is Status.MET)
    judged = {c.id: Agreement.AGREE for c in applicable} | {mandatory.id: Agreement.DISAGREE}
    reviewed = review_result(WEQS, own, judged)
    assert reviewed.reviewed.highest_level is None
    assert reviewed.reviewed.criterion(mandatory.id).status is Status.NOT_MET
    assert reviewed.reviewed.level("bronze").mandatory_unmet == 1
    assert reviewed.disagreements == [mandatory.id]
    assert reviewed.own is own  # the organisation's own result is untouched


def _bronze_without_evidence() -> tuple[dict[str, object], str]:
    """Every Bronze answer that meets, but one mandatory criterion's required evidence left
    out: the engine does not find it met."""
    answers = _bronze_answers()
    criterion = next(
        c for c in WEQS.criteria if c.level == "bronze" and c.mandatory and c.evidence.required
    )
    for key in [k for k in answers if k.split("/")[0] == criterion.id]:
        if is_evidence_key(WEQS, key):
            del answers[key]
    return answers, criterion.id


def test_met_but_for_its_required_evidence_is_not_met_by_disagreeing_only_by_an_override():
    answers, cid = _bronze_without_evidence()
    own = score(WEQS, PROFILE, answers)
    assert own.criterion(cid).status is not Status.MET and own.highest_level is None
    agreed = {c.id: Agreement.AGREE for c in own.criteria if c.applicable}

    # Disagreeing with it marks it down, never up: the level stays out of reach.
    down = review_result(WEQS, own, agreed | {cid: Agreement.DISAGREE})
    assert down.reviewed.criterion(cid).status is Status.NOT_MET
    assert down.reviewed.highest_level is None and down.overrides == []

    # An override without a reason is refused: nothing changes.
    bare = review_result(WEQS, own, agreed | {cid: Agreement.OVERRIDE})
    assert bare.reviewed.criterion(cid).status is own.criterion(cid).status
    assert bare.reviewed.highest_level is None and bare.overrides == []

    # With the reason it counts as met, flagged as an override, and Bronze follows.
    overridden = review_result(WEQS, own, agreed | {cid: Agreement.OVERRIDE}, {cid: WHY})
    met = overridden.reviewed.criterion(cid)
    assert met.status is Status.MET and met.reason == f"Met by the reviewer's override: {WHY}"
    assert overridden.overrides == [cid] and overridden.disagreements == []
    assert overridden.reviewed.highest_level == "bronze"


def test_unjudged_criteria_count_as_self_assessed_and_only_an_override_raises_the_score():
    own = score(WEQS, PROFILE, {})
    partial = review_result(WEQS, own, {})
    assert not partial.complete and partial.reviewed.levels == own.levels
    unanswered = next(c for c in own.criteria if c.applicable and c.level == "bronze")
    disagreed = review_result(WEQS, own, {unanswered.id: Agreement.DISAGREE})
    assert disagreed.reviewed.levels == own.levels
    raised = review_result(
        WEQS, own, {unanswered.id: Agreement.OVERRIDE}, {unanswered.id: "Seen at the visit."}
    )
    assert raised.reviewed.level("bronze").percent > own.level("bronze").percent
