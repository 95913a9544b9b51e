"""`seed-demo` gives the demo organisations assessments at every stage, on the current WEQS."""

from __future__ import annotations

from pathlib import Path

from accredit.data.models import (
    Answer,
    Assessment,
    Cohort,
    Organisation,
    ScoreSummary,
    StandardVersion,
)
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from accredit.seed.demo import DEMO_ORGANISATIONS, DEMO_STAGES, seed_demo
from accredit.seed.demo_assessments import Stage
from accredit.services.assessments.workspace import load, organisation_profile
from accredit.services.operations.standards import latest_published


def _cohort() -> Cohort:
    """The demo cohort (the demo also keeps last year's, on an earlier version)."""
    return db.session.query(Cohort).filter_by(name="HEE work experience cohort 2026").one()


def _assessments() -> dict[str, tuple[Assessment, ScoreSummary]]:
    rows = (
        db.session.query(Assessment, ScoreSummary)
        .join(ScoreSummary, ScoreSummary.assessment_id == Assessment.id)
        .filter(Assessment.cohort_id == _cohort().id)
        .all()
    )
    return {a.organisation.ods_code: (a, s) for a, s in rows}


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def test_the_demo_cohort_is_on_the_newest_published_weqs(standards_loaded, settings):
    seed_demo(settings)
    cohort = _cohort()
    published = [
        v.version
        for v in db.session.query(StandardVersion).filter_by(standard_id="weqs").all()
        if v.status == "published"
    ]
    assert (cohort.standard_id, cohort.standard_version) == (
        "weqs",
        max(published, key=_version_key),
    )
    versions = {a.standard_version for a, _ in _assessments().values()}
    assert versions == {cohort.standard_version}


def test_every_demo_organisation_has_answered_its_whole_profile(standards_loaded, settings):
    seed_demo(settings)
    cohort = _cohort()
    pinned = latest_published(cohort.standard_id, cohort.standard_version)
    assert pinned is not None
    standard = pinned[0]
    organisations = db.session.query(Organisation).all()
    assert len(organisations) == len(DEMO_ORGANISATIONS)
    for organisation in organisations:
        profile = organisation_profile(organisation, standard)
        unanswered = [f.id for f in standard.profile_fields if profile.get(f.id) is None]
        assert unanswered == [], organisation.name


def test_demo_profiles_are_plausible_for_each_type():
    by_type: dict[OrgType, list[dict[str, bool]]] = {}
    for demo in DEMO_ORGANISATIONS:
        by_type.setdefault(demo.org_type, []).append(demo.profile)
    every_band = ("offers_under_16", "offers_16_17", "offers_adults", "offers_in_person")
    assert all(all(p[k] for k in every_band) for p in by_type[OrgType.ACUTE_TRUST])
    for practice in (*by_type[OrgType.GP_PRACTICE], *by_type[OrgType.DENTAL_PRACTICE]):
        assert practice["offers_16_17"] and practice["offers_adults"]
        assert not practice["offers_under_16"]
    assert all(p["regulated_activity"] for p in by_type[OrgType.SOCIAL_CARE])
    adults_only = [
        p for p in by_type[OrgType.SOCIAL_CARE] if not (p["offers_under_16"] or p["offers_16_17"])
    ]
    assert adults_only, "one provider runs an adults-only programme"


def test_demo_assessments_reach_the_level_of_their_stage(standards_loaded, settings):
    seed_demo(settings)
    found = _assessments()
    expected = {
        demo.ods: DEMO_STAGES[(index - 1) % len(DEMO_STAGES)]
        for index, demo in enumerate(DEMO_ORGANISATIONS, start=1)
    }
    for ods, stage in expected.items():
        if stage is Stage.NOT_STARTED:
            assert ods not in found
            continue
        assessment, summary = found[ods]
        status = AssessmentStatus.SUBMITTED if stage is Stage.SUBMITTED else AssessmentStatus.DRAFT
        assert assessment.status is status, (ods, stage)
        if stage is Stage.STARTED:
            # Nothing typed: only what the service answers itself (the activity return).
            stored = db.session.query(Answer).filter_by(assessment_id=assessment.id).count()
            assert stored == 0 and summary.level_reached is None
        elif stage is Stage.PART_DONE:
            assert 0 < summary.completion < 50 and summary.level_reached is None, ods
        elif stage is Stage.BRONZE:
            assert summary.level_reached == "bronze", (ods, summary.level_reached)
        else:  # ready for Silver, and submitted at Silver
            assert summary.level_reached == "silver", (ods, summary.level_reached)
            assert summary.completion == 100.0
            # Silver earned on its own criteria; some of Gold's met, too few for Gold.
            result = load(assessment).result
            assert result.level("silver").ready and not result.level("gold").ready
            gold = [c for c in result.criteria if c.level == "gold" and c.applicable]
            met = [c for c in gold if c.status.value == "met"]
            assert 0 < len(met) < len(gold), (ods, len(met), len(gold))


def test_demo_drafts_ready_for_a_level_cite_real_pdfs(standards_loaded, settings, app):
    from accredit.data.models import EvidenceFile, EvidenceLink
    from accredit.seed.demo_evidence import add_demo_evidence
    from accredit.services.storage.stores import storage_for

    seed_demo(settings)
    with app.app_context():
        assert add_demo_evidence(storage_for(settings), Path(app.static_folder)) >= 2
    files = db.session.query(EvidenceFile).all()
    assert {f.filename for f in files} == {"work-experience-policy.pdf", "induction-checklist.pdf"}
    assert all(storage_for(settings).read(f.sha256).startswith(b"%PDF") for f in files)
    cited = {link.assessment_id for link in db.session.query(EvidenceLink).all()}
    submitted = {
        a.id for a in db.session.query(Assessment).all() if a.status is AssessmentStatus.SUBMITTED
    }
    assert cited and not cited & submitted  # what was submitted stays as it was
