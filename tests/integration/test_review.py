"""HEE review through the pages: start, judge each criterion, return with reasons, the
organisation fixes and resubmits, then accept with a level. SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accredit.data.models import (
    Assessment,
    AuditEvent,
    Award,
    Cohort,
    CohortReviewer,
    CriterionReview,
    Review,
    StatusChange,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.assessments.workspace import load
from accredit.services.operations.mail import read_outbox
from tests.integration.review_helpers import (
    fresh,
    judge,
    judge_all,
    met_mandatory_bronze,
    start_review,
)
from tests.support.forms import csrf_token, submit
from tests.support.html import error_summary, page


@pytest.fixture
def submitted(enrol, org, people) -> Assessment:
    assessment = seed_stage(enrol(org), people[Role.ORG_LEAD], Stage.SUBMITTED)
    assert assessment is not None and assessment.status is AssessmentStatus.SUBMITTED
    return assessment


def test_a_review_returned_with_reasons_then_resubmitted_and_accepted(
    clients, people, submitted, settings
):
    reviewer, lead = clients[Role.HEE_REVIEWER], clients[Role.ORG_LEAD]
    aid = submitted.id
    overview = page(reviewer.get(f"/assessments/{aid}/review"))
    assert "Start the review" in overview.get_text()
    assert page(reviewer.get("/reviews")).find("a", string=submitted.organisation.name)

    assert start_review(reviewer, aid).status_code == 302
    assessment = fresh(aid)
    assert assessment.status is AssessmentStatus.IN_REVIEW
    own_level = load(assessment).result.highest_level
    assert own_level is not None
    (first,) = db.session.scalars(select(Review).filter_by(assessment_id=aid)).all()
    assert (first.round, first.reviewer_id, first.self_level) == (
        1,
        people[Role.HEE_REVIEWER].id,
        own_level,
    )

    # A disagreement needs a reason the organisation can act on.
    target = met_mandatory_bronze(aid)
    refused = judge(reviewer, aid, target, "disagree")
    assert refused.status_code == 400
    assert error_summary(page(refused)) == ["Tell the organisation why, so they can put it right"]
    reason = "The policy was last reviewed in 2019: attach the current one."
    assert judge(reviewer, aid, target, "disagree", reason).status_code == 302

    # The reviewer sees the self-assessed status beside the reviewed one, and both levels.
    overview = page(reviewer.get(f"/assessments/{aid}/review"))
    row = overview.find("a", href=f"/assessments/{aid}/review/criteria/{target}").find_parent("tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells == ["Met", "Disagree", "Not met"]
    text = overview.get_text(" ", strip=True)
    assert "Level under the review: none" in text
    assert f"Self-assessed level: {load(fresh(aid)).standard.level(own_level).name}" in text

    # Accepting is refused while criteria are unjudged, and returning needs its reasons.
    refused = submit(reviewer, f"/assessments/{aid}/review/accept", {"level": "bronze"})
    assert refused.status_code == 400

    response = submit(
        reviewer, f"/assessments/{aid}/review/return", {"note": "One policy to update."}
    )
    assert response.status_code == 302
    assessment = fresh(aid)
    assert assessment.status is AssessmentStatus.RETURNED
    first = db.session.get(Review, first.id)
    assert first.outcome.value == "returned" and first.reviewed_level is None
    mail = [m for m in read_outbox(settings) if "returned" in m["Subject"]]
    assert [m["To"] for m in mail] == [people[Role.ORG_LEAD].email]
    assert target in mail[0].get_content()

    # The organisation sees the comment beside its answers, fixes and resubmits.
    task_list = page(lead.get(f"/assessments/{aid}")).get_text(" ", strip=True)
    assert "Returned by HEE for changes" in task_list and reason in task_list
    question = page(lead.get(f"/assessments/{aid}/criteria/{target}"))
    assert reason in question.select_one("#reviewer-comment").get_text()
    token = csrf_token(lead, f"/assessments/{aid}/submit")
    resubmitted = lead.post(
        f"/assessments/{aid}/submit",
        data={"csrf_token": token, "declaration": "yes", "unchanged": "yes"},
    )
    assert resubmitted.status_code == 302
    assert fresh(aid).status is AssessmentStatus.SUBMITTED
    assert "Returned by HEE" not in page(lead.get(f"/assessments/{aid}")).get_text()

    # Round two: everything agreed, accepted at a level no higher than reached.
    assert start_review(reviewer, aid).status_code == 302
    judge_all(reviewer, aid)
    accept_page = page(reviewer.get(f"/assessments/{aid}/review/accept"))
    offered = [i["value"] for i in accept_page.select("input[name=level]")]
    levels = [lv.id for lv in load(fresh(aid)).standard.levels]
    assert offered == levels[: levels.index(own_level) + 1]
    response = submit(reviewer, f"/assessments/{aid}/review/accept", {"level": "bronze"})
    assert response.status_code == 302
    assessment = fresh(aid)
    assert assessment.status is AssessmentStatus.ACCEPTED
    rounds = db.session.scalars(select(Review).filter_by(assessment_id=aid).order_by("round"))
    assert [(r.round, r.outcome.value, r.level_awarded) for r in rounds] == [
        (1, "returned", None),
        (2, "accepted", "bronze"),
    ]
    award = db.session.scalars(
        select(Award).filter_by(organisation_id=assessment.organisation_id)
    ).one()
    assert (award.level, award.assessment_id) == ("bronze", aid)
    assert len(award.fingerprint) == 64
    history = [
        (c.before, c.after)
        for c in db.session.scalars(
            select(StatusChange).filter_by(assessment_id=aid).order_by("id")
        )
    ]
    assert history[-5:] == [
        ("submitted", "in_review"),
        ("in_review", "returned"),
        ("returned", "submitted"),
        ("submitted", "in_review"),
        ("in_review", "accepted"),
    ]
    actions = set(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.target == f"assessment:{aid}")
        )
    )
    assert {"review-started", "review-returned", "review-accepted"} <= actions
    # Both rounds' judgements are kept.
    kept = db.session.scalars(select(CriterionReview).filter_by(assessment_id=aid)).all()
    assert {j.review_id for j in kept} == {
        r.id for r in db.session.scalars(select(Review).filter_by(assessment_id=aid))
    }
    [accredited] = [m for m in read_outbox(settings) if m["Subject"] == "Accredited at Bronze"]
    # The same last valid day as the certificate, the organisation page and /verify print.
    assert f"valid up to and including {award.last_valid_day:%-d %B %Y}" in " ".join(
        accredited.get_content().split()
    )


def test_a_level_above_the_reviewed_one_is_refused(clients, submitted):
    reviewer, aid = clients[Role.HEE_REVIEWER], submitted.id
    start_review(reviewer, aid)
    judge_all(reviewer, aid)
    target = met_mandatory_bronze(aid)
    judge(reviewer, aid, target, "needs_evidence", "Attach the signed risk assessment.")
    response = submit(reviewer, f"/assessments/{aid}/review/accept", {"level": "bronze"})
    assert response.status_code == 400
    assert "does not reach any level" in page(response).get_text()
    assert fresh(aid).status is AssessmentStatus.IN_REVIEW
    assert db.session.scalars(select(Award)).all() == []


def test_returning_without_a_reason_is_refused(clients, submitted):
    reviewer, aid = clients[Role.HEE_REVIEWER], submitted.id
    start_review(reviewer, aid)
    response = submit(reviewer, f"/assessments/{aid}/review/return", {"note": ""})
    assert response.status_code == 400
    assert "Mark at least one criterion" in page(response).get_text()
    assert fresh(aid).status is AssessmentStatus.IN_REVIEW


def test_an_assessment_that_is_not_submitted_cannot_be_reviewed_or_accepted(
    clients, make_assessment, org
):
    draft = make_assessment(org)
    reviewer = clients[Role.HEE_REVIEWER]
    response = start_review(reviewer, draft.id)
    assert response.status_code == 302
    assert fresh(draft.id).status is AssessmentStatus.DRAFT
    assert "cannot be put in review" in page(reviewer.get(response.headers["Location"])).get_text()
    refused = submit(
        reviewer,
        f"/assessments/{draft.id}/review/accept",
        {"level": "bronze"},
        page=f"/assessments/{draft.id}/review",
    )
    assert refused.status_code == 302
    assert (
        "This assessment is not in review"
        in page(reviewer.get(refused.headers["Location"])).get_text()
    )
    assert fresh(draft.id).status is AssessmentStatus.DRAFT
    assert reviewer.get(f"/assessments/{draft.id}/review/accept").status_code == 302


def test_organisation_users_and_reviewers_of_other_cohorts_cannot_review(
    clients, make_user, sign_in_as, submitted
):
    aid = submitted.id
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        assert clients[role].get(f"/assessments/{aid}/review").status_code == 403
        token = csrf_token(clients[role], f"/assessments/{aid}")
        forged = clients[role].post(f"/assessments/{aid}/review/start", data={"csrf_token": token})
        assert forged.status_code == 403
    stranger = make_user(Role.HEE_REVIEWER, name="Elsewhere Reviewer")
    with unit_of_work():
        elsewhere = Cohort(
            name="Elsewhere", year=2026, standard_id="weqs", standard_version="2026.1"
        )
        db.session.add(elsewhere)
        db.session.flush()
        db.session.add(CohortReviewer(cohort_id=elsewhere.id, user_id=stranger.id))
    client = sign_in_as(stranger)
    assert client.get(f"/assessments/{aid}/review").status_code == 404
    token = csrf_token(client, "/home")
    assert (
        client.post(f"/assessments/{aid}/review/start", data={"csrf_token": token}).status_code
        == 404
    )
    assert fresh(aid).status is AssessmentStatus.SUBMITTED
    assert page(client.get("/reviews")).find("a", string=submitted.organisation.name) is None


def test_two_reviewers_judging_one_criterion_never_overwrite_each_other(
    clients, make_user, sign_in_as, submitted
):
    aid = submitted.id
    first = clients[Role.HEE_ADMIN]
    second = sign_in_as(make_user(Role.HEE_ADMIN, name="Second Admin"))
    start_review(first, aid)
    target = met_mandatory_bronze(aid)
    url = f"/assessments/{aid}/review/criteria/{target}"
    opened = {}
    for name, client in (("first", first), ("second", second)):
        form = page(client.get(url))
        opened[name] = (csrf_token(client, url), form.find("input", {"name": "version"})["value"])
    saved = first.post(
        url,
        data={
            "csrf_token": opened["first"][0],
            "version": opened["first"][1],
            "agreement": "agree",
        },
    )
    assert saved.status_code == 302
    clash = second.post(
        url,
        data={
            "csrf_token": opened["second"][0],
            "version": opened["second"][1],
            "agreement": "disagree",
            "comment": "Not convinced",
        },
    )
    assert clash.status_code == 409
    soup = page(clash)
    assert "Someone else changed this judgement" in soup.get_text()
    assert soup.find("input", {"name": "agreement", "value": "disagree", "checked": True})
    assert soup.find("textarea", {"name": "comment"}).get_text() == "Not convinced"
    db.session.expire_all()
    (kept,) = db.session.scalars(select(CriterionReview).filter_by(assessment_id=aid)).all()
    assert kept.agreement.value == "agree"
    # Saving again from the page now shown replaces it, knowingly.
    version = soup.find("input", {"name": "version"})["value"]
    again = second.post(
        url,
        data={
            "csrf_token": opened["second"][0],
            "version": version,
            "agreement": "disagree",
            "comment": "Not convinced",
        },
    )
    assert again.status_code == 302


def test_two_reviewers_accepting_at_the_same_moment_make_one_award(clients, submitted, monkeypatch):
    """Both pass the checks before either writes; the decision itself is claimed once."""
    import threading

    import accredit.services.review.review as review_service

    aid = submitted.id
    reviewer, admin = clients[Role.HEE_REVIEWER], clients[Role.HEE_ADMIN]
    start_review(reviewer, aid)
    judge_all(reviewer, aid)
    url = f"/assessments/{aid}/review/accept"
    tokens = [csrf_token(client, url) for client in (reviewer, admin)]
    barrier = threading.Barrier(2, timeout=30)
    checked = review_service.transition

    def together(*args):  # both requests wait here, past every check, before writing
        found = checked(*args)
        barrier.wait()
        return found

    monkeypatch.setattr(review_service, "transition", together)
    codes: list[int] = []

    def accept(client, token: str, level: str) -> None:
        codes.append(client.post(url, data={"level": level, "csrf_token": token}).status_code)

    threads = [
        threading.Thread(target=accept, args=(reviewer, tokens[0], "bronze")),
        threading.Thread(target=accept, args=(admin, tokens[1], "bronze")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [302, 400]
    db.session.expire_all()
    awards = db.session.scalars(select(Award).where(Award.assessment_id == aid)).all()
    assert len(awards) == 1
    changes = db.session.scalars(
        select(StatusChange).filter_by(assessment_id=aid, after="accepted")
    ).all()
    assert len(changes) == 1
