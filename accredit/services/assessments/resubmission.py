"""Resubmitting after HEE returned an assessment: which of the criteria the reviewer sent back
the organisation has not touched since, so the lead is told before submitting it unchanged."""

from __future__ import annotations

from accredit.data.queries.review import reviews as queries
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.scoring.display import evidence_ids
from accredit.domain.scoring.standard import Criterion
from accredit.services.assessments.workspace import Workspace


def returned_but_unchanged(ws: Workspace) -> list[Criterion]:
    """Criteria the last returning round did not agree with and that nobody has changed since:
    no answer or evidence link changed, and no cited evidence file replaced by a new version.
    Empty unless the assessment is back with the organisation."""
    if ws.assessment.status is not AssessmentStatus.RETURNED:
        return []
    returned = queries.last_returned(ws.assessment.id)
    if returned is None or returned.decided_at is None:
        return []
    sent_back = [
        cid for cid, j in queries.judgements(returned.id).items() if j.agreement.asks_for_change
    ]
    if not sent_back:
        return []
    changed = queries.criteria_changed_since(ws.assessment.id, returned.decided_at)
    criteria = [ws.standard.criterion(cid) for cid in sent_back if cid not in changed]
    cited = {c.id: evidence_ids(ws.answers.get(c.evidence_key)) for c in criteria}
    replaced = queries.evidence_replaced_since(
        sorted({i for ids in cited.values() for i in ids}), returned.decided_at
    )
    untouched = [c for c in criteria if not replaced & set(cited[c.id])]
    order = {c.id: n for n, c in enumerate(ws.standard.criteria)}
    return sorted(untouched, key=lambda c: order.get(c.id, len(order)))


def return_note(ws: Workspace) -> str | None:
    """The reviewer's note from the round that returned the assessment, while it is back with
    the organisation."""
    if ws.assessment.status is not AssessmentStatus.RETURNED:
        return None
    returned = queries.last_returned(ws.assessment.id)
    if returned is None:
        return None
    return (returned.note or "").strip() or None
