"""The readiness report page and the action plan, for the organisation and HEE staff."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from accredit.data.models import Action, Answer, Assessment
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from tests.support.forms import csrf_token
from tests.support.html import error_summary, page


@pytest.fixture
def bronze(enrol, org, people) -> Assessment:
    assessment = seed_stage(enrol(org), people[Role.ORG_LEAD], Stage.BRONZE)
    assert assessment is not None
    return assessment


def _report(client, assessment_id: int):
    response = client.get(f"/assessments/{assessment_id}/report")
    assert response.status_code == 200, response.status_code
    return page(response)


def test_report_shows_levels_chart_blockers_and_strengths(clients, bronze):
    doc = _report(clients[Role.ORG_LEAD], bronze.id)
    assert "Ready for Bronze" in doc.select_one(".nhsuk-body-l").get_text(" ", strip=True)
    levels = [
        [cell.get_text(strip=True) for cell in row.select("th, td")]
        for row in doc.select("#levels + table tbody tr")
    ]
    assert [row[0] for row in levels] == ["Bronze", "Silver", "Gold"]
    assert levels[0][3] == "Reached" and levels[1][3] == "Not yet"
    assert all(row[1].endswith("%") for row in levels)

    # The chart: an SVG named by its title and description, with the same figures in a table
    # beside it.
    svg = doc.select_one("figure svg[role=img]")
    assert svg is not None
    assert svg.select_one("title").get_text() == "Score by section"
    assert "Bar chart of the score in each of" in svg.select_one("desc").get_text()
    assert svg["aria-labelledby"] == "section-scores-title section-scores-desc"
    assert len(svg.select("rect")) >= 8  # a bar for each section with a score
    figures = {
        row.select_one("th").get_text(strip=True): row.select_one("td").get_text(strip=True)
        for row in doc.select(".app-chart__table tbody tr")
    }
    assert len(figures) >= 8 and all(
        v.endswith("%") or v == "Not applicable" for v in figures.values()
    )
    labels_in_svg = svg.get_text(" ")
    assert any(value in labels_in_svg for value in figures.values() if value.endswith("%"))

    blockers = doc.select(".app-blocker")
    assert blockers, "Silver is not reached, so something blocks it"
    first = blockers[0]
    link = first.select_one("h3 a")
    assert link["href"].startswith(f"/assessments/{bronze.id}/criteria/")
    assert first.select_one("details") is not None  # the criterion's guidance
    assert first.select_one("form button").get_text(strip=True).startswith("Add ")
    assert doc.select_one("#strengths") is not None


def test_hee_staff_read_the_report_without_changing_the_plan(clients, bronze):
    doc = _report(clients[Role.HEE_REVIEWER], bronze.id)
    assert doc.select(".app-blocker")
    assert not doc.select(".app-blocker form"), "HEE staff do not edit an organisation's plan"
    assert not doc.select(".app-blocker h3 a")


def test_another_organisations_report_is_not_found(
    standards_loaded, other_org, make_user, sign_in_as, bronze
):
    stranger = sign_in_as(make_user(Role.ORG_LEAD, other_org))
    assert stranger.get(f"/assessments/{bronze.id}/report").status_code == 404
    assert stranger.get(f"/assessments/{bronze.id}/action-plan/export").status_code == 404


def _first_blocker(client, assessment_id: int) -> str:
    doc = _report(client, assessment_id)
    return doc.select_one(".app-blocker input[name=criterion_id]")["value"]


def _add_action(client, assessment_id: int, criterion_id: str):
    return client.post(
        f"/assessments/{assessment_id}/action-plan/actions",
        data={
            "csrf_token": csrf_token(client, f"/assessments/{assessment_id}/report"),
            "criterion_id": criterion_id,
        },
    )


def test_a_blocker_becomes_an_action_with_owner_due_date_and_status(clients, people, bronze):
    lead = clients[Role.ORG_LEAD]
    criterion_id = _first_blocker(lead, bronze.id)
    response = _add_action(lead, bronze.id, criterion_id)
    assert response.status_code == 302
    edit_url = response.headers["Location"]
    action = db.session.query(Action).one()
    assert action.criterion_id == criterion_id and action.status == "not_started"

    due = date.today() + timedelta(days=30)
    colleague = people[Role.ORG_CONTRIBUTOR]
    response = lead.post(
        edit_url,
        data={
            "csrf_token": csrf_token(lead, edit_url),
            "version": "1",
            "description": "Ask the board to approve the policy",
            "owner_id": str(colleague.id),
            "due_date-day": str(due.day),
            "due_date-month": str(due.month),
            "due_date-year": str(due.year),
            "status": "in_progress",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#action-plan")
    db.session.expire_all()
    action = db.session.query(Action).one()
    assert (action.owner_id, action.due_date, action.status) == (colleague.id, due, "in_progress")

    doc = _report(lead, bronze.id)
    row = [
        c.get_text(" ", strip=True)
        for c in doc.select("#action-plan + table tbody tr")[0].select("th, td")
    ]
    assert row[:3] == [criterion_id, "Ask the board to approve the policy", colleague.name]
    assert "In progress" in row[4] and "Overdue" not in row[4]
    # The blocker now says it is in the plan instead of offering to add it.
    blocker = next(
        b
        for b in doc.select(".app-blocker")
        if b.select_one("h3").get_text().strip().startswith(criterion_id)
    )
    assert "In the action plan: In progress" in blocker.get_text(" ", strip=True)

    # Adding the same criterion again opens the existing action rather than making a second.
    assert _add_action(lead, bronze.id, criterion_id).headers["Location"] == edit_url
    assert db.session.query(Action).count() == 1


def test_overdue_actions_are_flagged_and_exported(clients, bronze):
    lead = clients[Role.ORG_LEAD]
    criterion_id = _first_blocker(lead, bronze.id)
    _add_action(lead, bronze.id, criterion_id)
    action = db.session.query(Action).one()
    action.due_date = date.today() - timedelta(days=1)
    action.description = '=HYPERLINK("http://evil.example","click")'
    db.session.commit()

    doc = _report(lead, bronze.id)
    assert "1 overdue" in doc.select_one("#action-plan + p").get_text()
    assert "Overdue" in doc.select("#action-plan ~ table tbody tr")[0].get_text()

    response = clients[Role.HEE_ADMIN].get(f"/assessments/{bronze.id}/action-plan/export")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Criterion", "Title", "Action", "Owner", "Due date", "Status", "Overdue"]
    assert rows[1][0] == criterion_id
    assert rows[1][2].startswith("'=HYPERLINK"), "formula cells are neutralised"
    assert rows[1][4] == action.due_date.isoformat() and rows[1][6] == "Yes"


def _edit(client, url, **fields):
    data = {
        "csrf_token": csrf_token(client, url),
        "version": "1",
        "description": "Do the thing",
        "owner_id": "",
        "status": "not_started",
    }
    data.update(fields)
    return client.post(url, data=data)


def test_bad_action_edits_are_refused_with_a_message_and_change_nothing(
    clients, bronze, other_org, make_user
):
    lead = clients[Role.ORG_LEAD]
    url = _add_action(lead, bronze.id, _first_blocker(lead, bronze.id)).headers["Location"]
    before = db.session.query(Action).one().description

    yesterday = date.today() - timedelta(days=1)
    response = _edit(
        lead,
        url,
        **{
            "due_date-day": str(yesterday.day),
            "due_date-month": str(yesterday.month),
            "due_date-year": str(yesterday.year),
        },
    )
    assert response.status_code == 200
    assert error_summary(page(response)) == ["Due date must be today or in the future"]

    outsider = make_user(Role.ORG_LEAD, other_org)
    response = _edit(lead, url, owner_id=str(outsider.id))
    assert response.status_code == 200
    assert error_summary(page(response)) == ["Choose someone in your organisation"]

    response = _edit(lead, url, description="")
    assert error_summary(page(response)) == ["Enter what needs to be done"]

    db.session.expire_all()
    assert db.session.query(Action).one().description == before


def test_two_people_editing_one_action_the_second_is_told_and_loses_nothing_silently(
    clients, bronze
):
    lead, colleague = clients[Role.ORG_LEAD], clients[Role.ORG_CONTRIBUTOR]
    url = _add_action(lead, bronze.id, _first_blocker(lead, bronze.id)).headers["Location"]
    assert _edit(lead, url, description="First edit").status_code == 302
    response = _edit(colleague, url, description="Second edit from an old page")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        url.split("localhost")[-1]
    )
    shown = page(colleague.get(url))
    assert "Someone else changed this action" in shown.get_text()
    assert shown.select_one("textarea").get_text() == "First edit"
    db.session.expire_all()
    assert db.session.query(Action).one().description == "First edit"


def test_hee_staff_cannot_change_a_plan(clients, bronze):
    lead = clients[Role.ORG_LEAD]
    url = _add_action(lead, bronze.id, _first_blocker(lead, bronze.id)).headers["Location"]
    for role in (Role.HEE_ADMIN, Role.HEE_REVIEWER):
        assert clients[role].get(url).status_code == 403
        assert _add_action(clients[role], bronze.id, "1.1").status_code == 403


def test_removing_an_action(clients, bronze):
    lead = clients[Role.ORG_LEAD]
    url = _add_action(lead, bronze.id, _first_blocker(lead, bronze.id)).headers["Location"]
    response = lead.post(url + "/remove", data={"csrf_token": csrf_token(lead, url)})
    assert response.status_code == 302
    assert db.session.query(Action).count() == 0


def test_report_compares_with_the_earlier_cycle(enrol, org, people, clients):
    from accredit.data.models import ScoreSummary
    from accredit.services.assessments import assessments
    from accredit.services.assessments.workspace import load

    lead = people[Role.ORG_LEAD]
    first = seed_stage(enrol(org), lead, Stage.BRONZE)
    first.status = first.status.__class__("accepted")
    db.session.commit()
    second = assessments.start(lead, first.organisation, carry_from=first)
    # Drop one answer the earlier cycle had: something met then is not met now.
    answer = (
        db.session.query(Answer).filter_by(assessment_id=second.id).order_by(Answer.key).first()
    )
    dropped = answer.key.split("/")[0]
    db.session.delete(answer)
    db.session.commit()
    assessments.refresh_summary(load(second))
    db.session.commit()
    assert db.session.query(ScoreSummary).filter_by(assessment_id=second.id).one()

    doc = _report(clients[Role.ORG_LEAD], second.id)
    changes = doc.select_one("#changes")
    assert changes is not None
    text = changes.find_next("p").get_text(" ", strip=True)
    assert "level reached Bronze then" in text
    lost = [li.get_text() for li in doc.select("#changes ~ ul li")]
    assert any(item.startswith(dropped + " ") for item in lost), (dropped, lost)


def test_a_tampered_version_is_refused_as_stale_not_an_error(clients, bronze):
    lead = clients[Role.ORG_LEAD]
    url = _add_action(lead, bronze.id, _first_blocker(lead, bronze.id)).headers["Location"]
    response = _edit(lead, url, version="not-a-number", description="Changed")
    assert response.status_code == 302
    assert "Someone else changed this action" in page(lead.get(url)).get_text()
    db.session.expire_all()
    assert db.session.query(Action).one().description != "Changed"
