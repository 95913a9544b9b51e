"""Reviewer overrides as the organisation's readiness report and evidence pack show them: the
criteria the last decided review round counted as met although the standard's rules do not,
each with the reviewer's reason and who made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accredit.data.queries.review import reviews as queries
from accredit.domain.review.review import is_override
from accredit.domain.scoring.results import Status
from accredit.domain.scoring.standard import Criterion
from accredit.services.assessments.workspace import Workspace

FORMER_REVIEWER = "a reviewer whose account has since closed"


@dataclass(frozen=True, slots=True)
class Override:
    criterion: Criterion
    #: The criterion's status under the standard's rules when it was judged.
    engine_status: Status
    reason: str
    #: Who made it: the reviewer's name.
    by: str
    made_at: datetime
    round: int

    def snapshot(self) -> dict[str, Any]:
        """What a pack's fingerprint covers of it (not when it was made)."""
        return {
            "criterion": self.criterion.id,
            "status": self.engine_status.value,
            "reason": self.reason,
            "by": self.by,
            "round": self.round,
        }


def overrides(ws: Workspace) -> list[Override]:
    """The last decided round's overrides, in the standard's order (none before a decision)."""
    decided, judgements = queries.last_decided_overrides(ws.assessment.id)
    if decided is None:
        return []
    order = {c.id: n for n, c in enumerate(ws.standard.criteria)}
    lines = []
    for j in judgements:
        status = Status(j.self_status)
        reason = j.override_reason or ""
        if j.criterion_id not in order or not is_override(status, j.agreement, reason):
            continue
        lines.append(
            Override(
                criterion=ws.standard.criterion(j.criterion_id),
                engine_status=status,
                reason=reason,
                by=j.reviewer.name if j.reviewer is not None else FORMER_REVIEWER,
                made_at=j.updated_at,
                round=decided.round,
            )
        )
    return sorted(lines, key=lambda line: order[line.criterion.id])
