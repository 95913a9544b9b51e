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


def test_demo_drafts_ready_for_a_level_cite_real_pdfs(standards_loaded, settings, app):
    from accredit.data.models import EvidenceFile, EvidenceLink
    from accredit.services.demo_evidence import add_demo_evidence
    from accredit.services.storage import storage_for

    seed_demo()
    with app.app_context():
        assert add_demo_evidence(storage_for(settings)) >= 2
    files = db.session.query(EvidenceFile).all()
    assert {f.filename for f in files} == {"work-experience-policy.pdf", "induction-checklist.pdf"}
    assert all(storage_for(settings).read(f.sha256).startswith(b"%PDF") for f in files)
    cited = {link.assessment_id for link in db.session.query(EvidenceLink).all()}
    submitted = {
        a.id for a in db.session.query(Assessment).all() if a.status is AssessmentStatus.SUBMITTED
    }
    assert cited and not cited & submitted  # what was submitted stays as it was
