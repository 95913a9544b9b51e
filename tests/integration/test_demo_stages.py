"""`seed-demo` gives the demo organisations assessments at every stage."""

from __future__ import annotations

from accredit.data.models import Assessment, ScoreSummary
from accredit.domain.lifecycle import AssessmentStatus
from accredit.extensions import db
from accredit.services.demo import DEMO_ORGANISATIONS, seed_demo


def test_demo_assessments_are_at_every_stage(standards_loaded):
    seed_demo()
    rows = (
        db.session.query(Assessment, ScoreSummary)
        .join(ScoreSummary, ScoreSummary.assessment_id == Assessment.id)
        .all()
    )
    assert 0 < len(rows) < len(DEMO_ORGANISATIONS)  # some have not started
    levels = {summary.level_reached for _, summary in rows}
    assert {None, "bronze", "silver"} <= levels
    assert any(a.status is AssessmentStatus.SUBMITTED for a, _ in rows)
    started = [s.completion for a, s in rows if a.status is AssessmentStatus.DRAFT]
    assert 0.0 in started and any(0 < c < 50 for c in started)  # started, and part done
