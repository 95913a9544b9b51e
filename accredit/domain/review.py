"""HEE review of a submitted self-assessment: the reviewer's agreement with each criterion's
self-assessed status, the status that follows from it, and the level under both. Pure Python.

A reviewer does not re-answer the questions; they judge the organisation's own verdict:

- **agree**: the criterion stands as the organisation scored it;
- **disagree**: the opposite verdict: a criterion scored met (or partly met) is not met, and
  one scored not met (or left unanswered) is met;
- **needs more evidence**: not met until the evidence is there.

The reviewed level is then worked out by the scoring engine's own level rules over the
reviewed statuses, so it follows the standard's thresholds and mandatory rules exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from accredit.domain.results import CriterionResult, Result, Status
from accredit.domain.scoring import rescore_levels
from accredit.domain.standard import Standard


class Agreement(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    NEEDS_EVIDENCE = "needs_evidence"

    @property
    def label(self) -> str:
        return {
            "agree": "Agree",
            "disagree": "Disagree",
            "needs_evidence": "Needs more evidence",
        }[self.value]

    @property
    def agrees(self) -> bool:
        return self is Agreement.AGREE


class Outcome(StrEnum):
    RETURNED = "returned"
    ACCEPTED = "accepted"


_POSITIVE = (Status.MET, Status.PARTLY_MET)


def reviewed_status(own: Status, agreement: Agreement | None) -> Status:
    """The status a criterion has once reviewed (its own status while not yet judged)."""
    if agreement is None or agreement is Agreement.AGREE or own is Status.NOT_APPLICABLE:
        return own
    if agreement is Agreement.NEEDS_EVIDENCE:
        return Status.NOT_MET
    return Status.NOT_MET if own in _POSITIVE else Status.MET


def _reviewed_criterion(c: CriterionResult, agreement: Agreement | None) -> CriterionResult:
    status = reviewed_status(c.status, agreement)
    if status is c.status:
        return c
    met = status is Status.MET
    return replace(
        c,
        status=status,
        reason=f"Reviewer: {agreement.label.lower() if agreement else ''}",
        credit=1.0 if met else 0.0,
        mandatory_ok=met or not c.mandatory,
    )


@dataclass(frozen=True, slots=True)
class ReviewedResult:
    own: Result
    reviewed: Result
    #: Criterion id -> the reviewer's agreement, for the criteria judged so far.
    agreements: Mapping[str, Agreement]

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
        return [cid for cid, a in self.agreements.items() if not a.agrees]


def review_result(
    standard: Standard, own: Result, agreements: Mapping[str, Agreement]
) -> ReviewedResult:
    """The result with each judged criterion's reviewed status, levels recomputed by the
    engine's rules (criteria not yet judged count as the organisation scored them)."""
    criteria = tuple(_reviewed_criterion(c, agreements.get(c.id)) for c in own.criteria)
    return ReviewedResult(own, rescore_levels(standard, own, criteria), dict(agreements))


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
