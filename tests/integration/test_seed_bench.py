"""`accredit seed-bench N`: a benchmark cohort whose stored summaries, evidence and progress points
are what the real services would have made from its answers."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from accredit.data.models import (
    Answer,
    Assessment,
    Cohort,
    CohortMembership,
    Comment,
    EvidenceItem,
    EvidenceLink,
    Organisation,
    ProgressPoint,
    ProgressWeek,
    Region,
    ScoreSummary,
)
from accredit.domain.accounts.organisations import OrgType, ods_code_problem
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.scoring.evidence import is_evidence_key
from accredit.extensions import db
from accredit.services.assessments.workspace import load


def seed(app, organisations: int):  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["seed-bench", str(organisations)])
    assert result.exit_code == 0, result.output
    return result


def cohort_named(name: str) -> Cohort:
    return db.session.scalars(select(Cohort).where(Cohort.name == name)).one()


def members(cohort: Cohort) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .join(CohortMembership, CohortMembership.organisation_id == Organisation.id)
            .where(CohortMembership.cohort_id == cohort.id)
        )
    )


def assessments_of(cohort: Cohort) -> list[Assessment]:
    return list(db.session.scalars(select(Assessment).where(Assessment.cohort_id == cohort.id)))


def answer_counts() -> Counter[int]:
    rows = db.session.execute(
        select(Answer.assessment_id, func.count()).group_by(Answer.assessment_id)
    )
    return Counter({assessment_id: n for assessment_id, n in rows})


def test_a_cohort_with_organisations_at_every_stage(app, standards_loaded):
    result = seed(app, 60)
    assert "Benchmark cohort 60 (id " in result.output and "Seeded in" in result.output

    cohort = cohort_named("Benchmark cohort 60")
    today = datetime.now(UTC).date()
    assert (cohort.standard_id, cohort.standard_version) == ("weqs", "2026.1")
    assert cohort.deadline is not None and cohort.deadline > today
    organisations = members(cohort)
    assert len(organisations) == 60
    assert {o.org_type for o in organisations} == set(OrgType)
    assert {o.region_id for o in organisations} == set(db.session.scalars(select(Region.id)))
    assert len({tuple(sorted(o.profile.items())) for o in organisations}) > 3

    assessments = assessments_of(cohort)
    answered = answer_counts()
    summaries = {
        s.assessment_id: s
        for s in db.session.scalars(
            select(ScoreSummary).where(ScoreSummary.assessment_id.in_([a.id for a in assessments]))
        )
    }
    assert set(summaries) == {a.id for a in assessments}, "every assessment has its summary"
    assert 0 < len(assessments) < 60, "some organisations have not started"
    drafts = [a for a in assessments if a.status is AssessmentStatus.DRAFT]
    assert any(answered[a.id] == 0 for a in drafts), "some started and answered nothing"
    draft_levels = {summaries[a.id].level_reached for a in drafts if answered[a.id]}
    assert draft_levels == {None, "bronze", "silver", "gold"}, "part done and ready for each"
    sent = [a for a in assessments if a.status is not AssessmentStatus.DRAFT]
    assert sent and all(a.submitted_at is not None for a in sent)
    assert max(answered.values()) > 100, "full assessments answer every question"
    completions = {round(summaries[a.id].completion) for a in assessments}
    assert len(completions) > 5, "completion varies"
    activity = [a.last_activity_at for a in assessments if a.last_activity_at]
    assert max(activity) - min(activity) > timedelta(days=30), "activity spread over months"

    # The stored summaries are what scoring the stored answers gives.
    rng = random.Random(8)
    for assessment in rng.sample([a for a in assessments if answered[a.id]], 3) + sent[:1]:
        workspace = load(assessment)
        result_ = workspace.result
        stored = summaries[assessment.id]
        assert stored.level_reached == result_.highest_level
        assert stored.percent == result_.percent
        assert stored.level_percents == {lv.id: lv.percent for lv in result_.levels}
        assert stored.section_percents == {s.id: s.percent for s in result_.sections}
        assert stored.completion == workspace.completion
        assert stored.criteria == {c.id: [c.status.value, c.evidence] for c in result_.criteria}
        if assessment.status is not AssessmentStatus.DRAFT:
            assert not workspace.gaps, "a submitted assessment had every question answered"

    # Evidence answers cite the organisation's own item, and the link index agrees.
    items = {i.id: i.organisation_id for i in db.session.scalars(select(EvidenceItem))}
    by_id = {a.id: a for a in assessments}
    standard = load(assessments[0]).standard
    cited = 0
    for answer in db.session.scalars(select(Answer).where(Answer.assessment_id.in_(list(by_id)))):
        if is_evidence_key(standard, answer.key):
            [item_id] = answer.value
            assert items[int(item_id)] == by_id[answer.assessment_id].organisation_id
            cited += 1
    links = db.session.scalar(
        select(func.count()).where(EvidenceLink.assessment_id.in_(list(by_id)))
    )
    assert cited > 0 and links == cited

    # Eight to twelve weeks of progress, Mondays, ending at the stored summary.
    points: dict[int, list[ProgressPoint]] = defaultdict(list)
    for point in db.session.scalars(
        select(ProgressPoint)
        .where(ProgressPoint.cohort_id == cohort.id)
        .order_by(ProgressPoint.week)
    ):
        points[point.assessment_id].append(point)
    assert set(points) == set(by_id)
    for assessment_id, series in points.items():
        assert 8 <= len(series) <= 13
        assert all(p.week.weekday() == 0 for p in series)
        assert series[-1].week == today - timedelta(days=today.weekday())
        last, summary = series[-1], summaries[assessment_id]
        assert (last.percent, last.level_reached) == (summary.percent, summary.level_reached)
        assert last.status == by_id[assessment_id].status.value
        assert series[0].percent <= last.percent
    assert any(s[0].percent < s[-1].percent for s in points.values()), "progress is visible"
    # The cohort's weekly totals (what the dashboard's trajectory reads) add the points up.
    totals = {
        w.week: w
        for w in db.session.scalars(select(ProgressWeek).where(ProgressWeek.cohort_id == cohort.id))
    }
    per_week = Counter(p.week for series in points.values() for p in series)
    assert {week: t.assessments for week, t in totals.items()} == dict(per_week)
    this_week = totals[today - timedelta(days=today.weekday())]
    assert this_week.at_level == dict(Counter(s.level_reached or "" for s in summaries.values()))

    assert db.session.scalar(select(func.count()).where(Comment.assessment_id.in_(list(by_id)))), (
        "some criteria have comments"
    )


def test_reviews_awards_and_activity_returns_follow_each_assessment(app, standards_loaded):
    """Reviewed assessments get a round (decided ones a judgement per applicable criterion,
    accepted ones an award), and the activity returns' summed columns match their figures."""
    from accredit.data.models import ActivityReturn, Award, CriterionReview, Review
    from accredit.domain.cohorts.activity_totals import SUMMED

    seed(app, 200)
    cohort = cohort_named("Benchmark cohort 200")
    reviewed = {
        a.id: a
        for a in assessments_of(cohort)
        if a.status
        in (AssessmentStatus.IN_REVIEW, AssessmentStatus.ACCEPTED, AssessmentStatus.RETURNED)
    }
    rounds = db.session.scalars(select(Review).where(Review.cohort_id == cohort.id)).all()
    assert {r.assessment_id for r in rounds} == set(reviewed)
    for review in rounds:
        status = reviewed[review.assessment_id].status
        assert (review.outcome is None) == (status is AssessmentStatus.IN_REVIEW)
        judged = db.session.scalar(
            select(func.count()).where(CriterionReview.review_id == review.id)
        )
        assert (judged > 0) == (review.outcome is not None)
    awards = db.session.scalars(select(Award).where(Award.cohort_id == cohort.id)).all()
    accepted = {a for a, x in reviewed.items() if x.status is AssessmentStatus.ACCEPTED}
    assert {a.assessment_id for a in awards} == accepted
    returns = db.session.scalars(select(ActivityReturn)).all()
    assert returns
    for row in returns:
        assert [getattr(row, name) for name in SUMMED] == [row.figures.get(n) for n in SUMMED]


def test_an_overdue_cohort_alongside(app, standards_loaded):
    seed(app, 60)
    overdue = cohort_named("Benchmark cohort 60 (deadline passed)")
    assert overdue.deadline is not None and overdue.deadline < datetime.now(UTC).date()
    organisations = members(overdue)
    assert len(organisations) >= 3
    unsubmitted = len(organisations) - sum(
        a.status is not AssessmentStatus.DRAFT for a in assessments_of(overdue)
    )
    assert unsubmitted > 0


def test_ods_codes_are_unique_and_valid_across_runs(app, standards_loaded):
    seed(app, 30)
    result = seed(app, 30)
    assert "Benchmark cohort 30 (2)" in result.output
    organisations = []
    for name in ("Benchmark cohort 30", "Benchmark cohort 30 (2)"):
        organisations += members(cohort_named(name))
        organisations += members(cohort_named(f"{name} (deadline passed)"))
    assert len(organisations) == 2 * (30 + 3)
    codes = [o.ods_code for o in organisations]
    assert len(set(codes)) == len(codes)
    assert all(ods_code_problem(o.ods_code, o.org_type) is None for o in organisations)


def test_when_trust_codes_run_out_the_organisation_is_another_provider(app):
    from accredit.seed.bench_organisations import OdsCodes

    codes = OdsCodes(random.Random(1))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    codes.taken |= {a + b + c for a in "RT" for b in alphabet for c in alphabet}
    org_type, code = codes.next(OrgType.ACUTE_TRUST)
    assert org_type is OrgType.OTHER and ods_code_problem(code, org_type) is None


def test_without_the_standard_it_says_what_to_run(app):
    result = app.test_cli_runner().invoke(args=["seed-bench", "5"])
    assert result.exit_code == 1
    assert "run `accredit init` first" in result.output
    assert db.session.scalar(select(func.count(Cohort.id))) == 0


def test_a_number_of_organisations_is_needed(app, standards_loaded):
    result = app.test_cli_runner().invoke(args=["seed-bench", "0"])
    assert result.exit_code == 2 and "0 is not in the range x>=1" in result.output
    assert db.session.scalar(select(func.count(Cohort.id))) == 0
