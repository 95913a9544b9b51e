"""HEE review of a submitted self-assessment: the reviewer's agreement with each criterion's
self-assessed status, the status that follows from it, and the level under both. Pure Python.

A reviewer does not re-answer the questions; they judge the organisation's status as the
scoring engine worked it out from the answers and evidence (required evidence included):

- **agree**: the criterion stands as the engine scored it;
- **disagree**: marks a met (or partly met) criterion not met. It cannot mark one met: the
  engine's rules decide what is met, so disagreeing with a criterion that is not met (or not
  answered) is refused;
- **needs more evidence**: not met until the evidence is there;
- **override**: counts a criterion as met that the engine does not find met (for example one
  whose required evidence is missing), only with the reviewer's reason, and always shown as an
  override wherever the review is reported.

The reviewed level is then worked out by the scoring engine's own level rules over the
reviewed statuses, so it follows the standard's thresholds and mandatory rules exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from accredit.domain.scoring.results import CriterionResult, Result, Status
from accredit.domain.scoring.scoring import rescore_levels
from accredit.domain.scoring.standard import Standard


class Agreement(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    NEEDS_EVIDENCE = "needs_evidence"
    OVERRIDE = "override"

    @property
    def label(self) -> str:
        return {
            "agree": "Agree",
            "disagree": "Disagree",
            "needs_evidence": "Needs more evidence",
            "override": "Count as met (override)",
        }[self.value]

    @property
    def agrees(self) -> bool:
        return self is Agreement.AGREE

    @property
    def asks_for_change(self) -> bool:
        """Disagree or needs more evidence: something for the organisation to put right."""
        return self in (Agreement.DISAGREE, Agreement.NEEDS_EVIDENCE)


class Outcome(StrEnum):
    RETURNED = "returned"
    ACCEPTED = "accepted"


_POSITIVE = (Status.MET, Status.PARTLY_MET)
OVERRIDE_LABEL = "Met by the reviewer's override"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a judgement cannot stand. ``about_reason`` when what is missing is the override
    reason (rather than the choice itself being wrong)."""

    message: str
    about_reason: bool = False


def refusal(
    criterion_id: str, own: Status, agreement: Agreement, override_reason: str = ""
) -> Refusal | None:
    """The engine's rule for a reviewer's judgement: a criterion is marked met only where the
    engine finds it met, or by an override with a reason. None when the judgement stands."""
    if own is Status.NOT_APPLICABLE:
        return Refusal(f"{criterion_id} does not apply to the organisation")
    if agreement is Agreement.DISAGREE and own not in _POSITIVE:
        return Refusal(
            f"{criterion_id} is not met under the standard's rules, so disagreeing cannot "
            "mark it met. To count it as met, choose “Count as met (override)” and give "
            "your reason"
        )
    if agreement is Agreement.OVERRIDE:
        if own is Status.MET:
            return Refusal(
                f"{criterion_id} is already met under the standard's rules: choose Agree, "
                "not an override"
            )
        if not override_reason.strip():
            return Refusal(
                f"Give your reason for counting {criterion_id} as met when the standard's "
                "rules do not",
                about_reason=True,
            )
    return None


def is_override(own: Status, agreement: Agreement | None, override_reason: str = "") -> bool:
    """Whether the judgement counts the criterion as met against the engine's status."""
    return agreement is Agreement.OVERRIDE and refusal("", own, agreement, override_reason) is None


def reviewed_status(own: Status, agreement: Agreement | None, override_reason: str = "") -> Status:
    """The status a criterion has once reviewed (its own status while not yet judged). A
    judgement the engine's rule refuses changes nothing: the engine's status stands."""
    if agreement is None or agreement.agrees:
        return own
    if refusal("", own, agreement, override_reason) is not None:
        return own
    return Status.MET if agreement is Agreement.OVERRIDE else Status.NOT_MET


def _reviewed_criterion(
    c: CriterionResult, agreement: Agreement | None, override_reason: str
) -> CriterionResult:
    status = reviewed_status(c.status, agreement, override_reason)
    if status is c.status or agreement is None:
        return c
    met = status is Status.MET
    reason = (
        f"{OVERRIDE_LABEL}: {override_reason.strip()}"
        if is_override(c.status, agreement, override_reason)
        else f"Reviewer: {agreement.label.lower()}"
    )
    return replace(
        c,
        status=status,
        reason=reason,
        credit=1.0 if met else 0.0,
        mandatory_ok=met or not c.mandatory,
    )


@dataclass(frozen=True, slots=True)
class ReviewedResult:
    own: Result
    reviewed: Result
    #: Criterion id -> the reviewer's agreement, for the criteria judged so far.
    agreements: Mapping[str, Agreement]
    #: Criterion id -> the reason given for an override (criteria overridden so far).
    override_reasons: Mapping[str, str] = field(default_factory=dict)

    @property
    def judged(self) -> int:
        return len(self.agreements)

    def to_judge(self) -> list[CriterionResult]:
        """Applicable criteria, in file order: the ones a reviewer must judge."""
        return [c for c in self.own.criteria if c.applicable]

    @property
    def complete(self) -> bool:
        return all(c.id in self.agreements for c in self.to_judge())

    @property
    def disagreements(self) -> list[str]:
        """Criteria the reviewer sent back: disagree or needs more evidence."""
        return [cid for cid, a in self.agreements.items() if a.asks_for_change]

    @property
    def overrides(self) -> list[str]:
        """Criteria counted as met by an override (the engine does not find them met)."""
        reasons = self.override_reasons
        return [
            c.id
            for c in self.own.criteria
            if is_override(c.status, self.agreements.get(c.id), reasons.get(c.id, ""))
        ]


def review_result(
    standard: Standard,
    own: Result,
    agreements: Mapping[str, Agreement],
    override_reasons: Mapping[str, str] | None = None,
) -> ReviewedResult:
    """The result with each judged criterion's reviewed status, levels recomputed by the
    engine's rules (criteria not yet judged count as the organisation scored them)."""
    reasons = dict(override_reasons or {})
    criteria = tuple(
        _reviewed_criterion(c, agreements.get(c.id), reasons.get(c.id, "")) for c in own.criteria
    )
    return ReviewedResult(own, rescore_levels(standard, own, criteria), dict(agreements), reasons)


STATUS_LABELS = {
    Status.MET: "Met",
    Status.PARTLY_MET: "Partly met",
    Status.NOT_MET: "Not met",
    Status.NOT_APPLICABLE: "Not applicable",
    Status.UNANSWERED: "Not answered",
}
STATUS_TAGS = {
    Status.MET: "green",
    Status.PARTLY_MET: "yellow",
    Status.NOT_MET: "red",
    Status.NOT_APPLICABLE: "grey",
    Status.UNANSWERED: "grey",
}
