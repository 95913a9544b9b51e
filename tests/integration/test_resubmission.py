"""Resubmitting after HEE returned an assessment (issue 18, item 8): the lead is shown which
returned criteria nobody has changed since, and must confirm before sending them back as
they were."""

from __future__ import annotations

import pytest

from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.seed.demo_assessments import Stage, seed_stage
from tests.integration import evidence_helpers as evidence
from tests.integration.assess_helpers import post_page
from tests.integration.review_helpers import fresh, judge, start_review
from tests.support.forms import submit
from tests.support.html import error_summary, page

MESSAGE = "Confirm that you want to submit the criteria HEE returned without changing them"


@pytest.fixture
def returned(enrol, org, people, clients) -> int:
    """Submitted, then returned: 1.1 needs more evidence, 1.2 agreed with a comment."""
    aid = seed_stage(enrol(org), people[Role.ORG_LEAD], Stage.SUBMITTED).id
    reviewer = clients[Role.HEE_REVIEWER]
    assert start_review(reviewer, aid).status_code == 302
    assert judge(reviewer, aid, "1.1", "needs_evidence", "Attach the policy.").status_code == 302
    assert judge(reviewer, aid, "1.2", "agree", "Good.").status_code == 302
    url = f"/assessments/{aid}/review/return"
    assert submit(reviewer, url, {"note": "See 1.1."}).status_code == 302
    assert fresh(aid).status is AssessmentStatus.RETURNED
    return aid


def _unchanged_listed(client, aid: int) -> list[str]:
    listed = page(client.get(f"/assessments/{aid}/submit")).select("#unchanged-list a")
    return [a.get_text(strip=True).split(" ", 1)[0] for a in listed]


def test_resubmitting_untouched_returned_criteria_needs_confirming(clients, returned):
    lead = clients[Role.ORG_LEAD]
    assert _unchanged_listed(lead, returned) == ["1.1"]  # the agreed one is not listed
    task_list = page(lead.get(f"/assessments/{returned}")).get_text(" ", strip=True)
    assert "The reviewer's note: “See 1.1.”" in task_list

    refused = submit(lead, f"/assessments/{returned}/submit", {"declaration": "yes"})
    assert refused.status_code == 400
    shown = page(refused)
    assert error_summary(shown) == [MESSAGE]
    assert shown.find("input", {"name": "declaration"}).has_attr("checked")  # kept as ticked
    assert fresh(returned).status is AssessmentStatus.RETURNED

    url = f"/assessments/{returned}/submit"
    confirmed = submit(lead, url, {"declaration": "yes", "unchanged": "yes"})
    assert confirmed.status_code == 302
    assert fresh(returned).status is AssessmentStatus.SUBMITTED


def test_a_changed_answer_takes_the_criterion_off_the_list(clients, returned):
    lead = clients[Role.ORG_LEAD]
    url = f"/assessments/{returned}/criteria/1.1"
    saved = post_page(lead, url, {"q1": "yes", "q2": "Director of education"}, action="later")
    assert saved.status_code == 302
    assert _unchanged_listed(lead, returned) == []
    response = submit(lead, f"/assessments/{returned}/submit", {"declaration": "yes"})
    assert response.status_code == 302
    assert fresh(returned).status is AssessmentStatus.SUBMITTED


def test_a_new_version_of_cited_evidence_counts_as_a_change(clients, org, returned):
    from datetime import timedelta

    from sqlalchemy import select, update

    from accredit.data.models import EvidenceFile, Review
    from accredit.extensions import db
    from tests.support import files

    lead = clients[Role.ORG_LEAD]
    item = evidence.added_item(evidence.add(lead, org, filename="Policy.pdf"))
    returned_at = db.session.scalars(
        select(Review.decided_at).filter_by(assessment_id=returned)
    ).one()
    # Cited by 1.1 and uploaded before the return, as it was when the reviewer read it.
    with unit_of_work():
        db.session.execute(
            update(EvidenceFile)
            .where(EvidenceFile.item_id == item.id)
            .values(created_at=returned_at - timedelta(days=1))
        )
    evidence.cite(returned, "1.1", [item.id])
    assert _unchanged_listed(lead, returned) == ["1.1"]
    new_version = evidence.upload_new_version(lead, item, files.pdf("Policy 2026"), "Policy.pdf")
    assert new_version.status_code == 302
    assert _unchanged_listed(lead, returned) == []
