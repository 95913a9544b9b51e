"""The annual activity return through its pages: drafts, submission, the checks field by field,
one return per organisation and year, who may do what, and two colleagues saving at once."""

from __future__ import annotations

from datetime import date

import pytest

from accredit.data.models import ActivityReturn, AuditEvent
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.activity_return import FIELDS, NAMES, financial_year
from accredit.extensions import db
from tests.support.forms import csrf_token
from tests.support.html import error_summary, page

YEAR = 2025


def url(organisation, year: int | None = YEAR) -> str:
    base = f"/organisations/{organisation.id}/activity-returns"
    return base if year is None else f"{base}/{year}"


def complete(**changes: str) -> dict[str, str]:
    values = {name: "0" for name in NAMES}
    values.update(
        work_experience_placements="120",
        work_related_learning_participants="400",
        employability_participants="25",
        placement_days="600",
        format_in_person="100",
        format_shadowing="20",
        age_16_to_18="90",
        age_19_plus="30",
        applications_received="200",
        places_offered="120",
        total_cost="40000",
        employability_cost="15000",
    )
    values.update(changes)
    return values


def post(client, organisation, values: dict[str, str], *, action="draft", version=None, year=YEAR):
    """Post the form as a browser would: the token and version from the page as it opened."""
    form = page(client.get(url(organisation, year)))
    token = form.select_one("input[name=csrf_token]")["value"]
    opened = form.select_one("input[name=version]")["value"] if version is None else version
    data = {**values, "csrf_token": token, "version": str(opened), "action": action}
    return client.post(url(organisation, year), data=data)


def stored(organisation, year: int = YEAR) -> ActivityReturn | None:
    db.session.expire_all()
    return (
        db.session.query(ActivityReturn)
        .filter_by(organisation_id=organisation.id, year=year)
        .one_or_none()
    )


def test_a_contributor_saves_a_partial_draft_and_the_lead_submits(clients, people, org):
    contributor = clients[Role.ORG_CONTRIBUTOR]
    listing = page(contributor.get(url(org, None)))
    assert "No returns yet" in listing.get_text()
    form = page(contributor.get(url(org)))
    assert form.select_one("h1").get_text() == f"Activity return for {YEAR} to {YEAR + 1}"
    assert [b.get_text() for b in form.select("main form button")] == ["Save as draft"]
    assert len(form.select("fieldset")) == 9
    assert all(form.select_one(f"label[for={name}]") for name in NAMES)

    response = post(contributor, org, {"work_experience_placements": "12"})
    assert response.status_code == 302
    record = stored(org)
    assert record.status == "draft" and record.figures["work_experience_placements"] == 12
    assert record.figures["placement_days"] is None
    assert record.updated_by_id == people[Role.ORG_CONTRIBUTOR].id
    shown = page(contributor.get(url(org)))
    assert shown.select_one("#work_experience_placements")["value"] == "12"
    assert "saved as a draft" in shown.get_text()
    assert "1 of" in page(contributor.get(url(org, None))).get_text()

    lead = clients[Role.ORG_LEAD]
    assert [b.get_text() for b in page(lead.get(url(org))).select("main form button")] == [
        "Save as draft",
        "Submit",
    ]
    response = post(lead, org, complete(), action="submit")
    assert response.status_code == 302
    record = stored(org)
    assert record.status == "submitted" and record.submitted_by_id == people[Role.ORG_LEAD].id
    assert record.figures["employability_cost"] == 15000
    done = page(lead.get(url(org)))
    assert "submitted" in done.get_text()
    assert f"by {people[Role.ORG_LEAD].name}" in done.select_one(".nhsuk-inset-text").get_text()
    assert not done.select("form input[name=work_experience_placements]")
    assert "120" in done.get_text()
    listing = page(lead.get(url(org, None))).get_text()
    assert "Submitted" in listing and record.submitted_at.strftime("%-d %B %Y") in listing

    # Submitted is final: a later post changes nothing.
    response = post(lead, org, complete(work_experience_placements="999"), version=record.version)
    assert response.status_code == 302
    assert stored(org).figures["work_experience_placements"] == 120
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions.count("activity-return.saved") == 1
    assert actions.count("activity-return.submitted") == 1


def test_submitting_needs_every_figure_and_loses_nothing_typed(clients, org):
    lead = clients[Role.ORG_LEAD]
    values = complete(placement_days="", staff_hours="")
    soup = page(post(lead, org, values, action="submit"))
    assert error_summary(soup) == [
        "Enter the number of placement days (0 if none)",
        "Enter the staff time in hours (0 if none)",
    ]
    assert soup.title.string.startswith("Error: ")
    assert soup.select_one("#work_experience_placements")["value"] == "120"
    assert stored(org) is None
    # The same figures are a perfectly good draft.
    assert post(lead, org, values).status_code == 302
    assert stored(org).status == "draft"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"work_experience_placements": "ten"}, "work_experience_placements",
         "Enter a whole number for work experience placements, like 120"),
        ({"placement_days": "1.5"}, "placement_days",
         "Placement days must be a whole number, without a decimal point"),
        ({"host_departments": "-2"}, "host_departments", "Host departments cannot be negative"),
        ({"staff_hours": "99999999999"}, "staff_hours", "Staff time must be 10,000,000 or fewer"),
        ({"places_offered": "201"}, "places_offered",
         "Places offered (201) cannot be more than applications received (200)"),
        ({"format_virtual": "10"}, "format_in_person",
         "The formats add up to 130, more than the 120 work experience placements"),
        ({"age_under_16": "1"}, "age_under_16",
         "The age bands add up to 121, more than the 120 work experience placements"),
        ({"age_14_to_15": "1"}, "age_14_to_15",
         "Placements for 14 and 15 year olds (1) cannot be more than placements for under 16s (0)"),
        ({"evaluations_returned": "5", "evaluations_satisfied": "6"}, "evaluations_satisfied",
         "Satisfied people (6) cannot be more than evaluations returned (5)"),
        ({"destinations_known_6_months": "546"}, "destinations_known_6_months",
         "Destinations known at 6 months (546) cannot be more than the people taking part in "
         "all three kinds of activity (545)"),
        ({"employability_cost": "40001"}, "employability_cost",
         "The cost of employability programmes (40,001) cannot be more than the total cost "
         "(40,000)"),
    ],
)  # fmt: skip
def test_each_check_is_shown_on_its_field(clients, org, changes, field, message):
    soup = page(post(clients[Role.ORG_LEAD], org, complete(**changes), action="submit"))
    assert error_summary(soup) == [message]
    assert soup.select_one(".nhsuk-error-summary a")["href"] == f"#{field}"
    assert soup.select_one(f"#{field}-error").get_text(" ", strip=True) == f"Error: {message}"
    for name, value in complete(**changes).items():
        assert soup.select_one(f"#{name}")["value"] == value
    assert stored(org) is None


def test_every_field_is_on_the_form_and_required_on_submission(clients, org):
    lead = clients[Role.ORG_LEAD]
    for field in FIELDS[:: max(1, len(FIELDS) // 6)]:
        soup = page(post(lead, org, complete(**{field.name: ""}), action="submit"))
        assert [a["href"] for a in soup.select(".nhsuk-error-summary a")] == [f"#{field.name}"]


def test_one_return_per_organisation_and_year(clients, org):
    lead = clients[Role.ORG_LEAD]
    assert post(lead, org, {"work_experience_placements": "1"}).status_code == 302
    assert post(lead, org, {"work_experience_placements": "2"}).status_code == 302
    assert post(lead, org, {"work_experience_placements": "3"}, year=YEAR - 1).status_code == 302
    assert db.session.query(ActivityReturn).filter_by(organisation_id=org.id).count() == 2
    assert stored(org).figures["work_experience_placements"] == 2
    # A second "first save" (a colleague started the year meanwhile) is told, not a 500.
    soup = page(post(lead, org, {"work_experience_placements": "4"}, version=0))
    assert "A colleague saved this return while you were editing it" in soup.get_text()
    assert soup.select_one("#work_experience_placements")["value"] == "4"
    assert stored(org).figures["work_experience_placements"] == 2


def test_two_colleagues_saving_from_the_same_version(clients, people, org):
    lead, contributor = clients[Role.ORG_LEAD], clients[Role.ORG_CONTRIBUTOR]
    post(lead, org, {"work_experience_placements": "10"})
    opened = stored(org).version
    assert post(lead, org, {"work_experience_placements": "11"}, version=opened).status_code == 302
    clash = page(post(contributor, org, {"work_experience_placements": "12"}, version=opened))
    text = clash.get_text()
    assert "A colleague saved this return while you were editing it" in text
    assert f"{people[Role.ORG_LEAD].name} saved it" in text
    assert "Work experience placements: saved 11, you typed 12" in text
    assert clash.select_one("#work_experience_placements")["value"] == "12"
    assert stored(org).figures["work_experience_placements"] == 11
    # Saving again from the page as re-shown keeps their figures.
    again = clash.select_one("input[name=version]")["value"]
    assert (
        post(contributor, org, {"work_experience_placements": "12"}, version=again).status_code
        == 302
    )
    assert stored(org).figures["work_experience_placements"] == 12


def test_a_contributor_cannot_submit(clients, org):
    response = post(clients[Role.ORG_CONTRIBUTOR], org, complete(), action="submit")
    soup = page(response)
    assert "Only the organisation lead can submit the activity return" in soup.get_text()
    assert soup.select_one("#work_experience_placements")["value"] == "120"
    assert stored(org) is None


def test_another_organisations_returns_are_not_found(clients, org, other_org, make_user):
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        client = clients[role]
        assert client.get(url(other_org, None)).status_code == 404
        assert client.get(url(other_org)).status_code == 404
        token = csrf_token(client, url(org))
        data = {**complete(), "csrf_token": token, "version": "0", "action": "draft"}
        assert client.post(url(other_org), data=data).status_code == 404
    assert stored(other_org) is None


def test_a_year_not_yet_begun_is_not_found(clients, org):
    future = financial_year(date.today()) + 1
    assert clients[Role.ORG_LEAD].get(url(org, future)).status_code == 404
    assert clients[Role.ORG_LEAD].get(url(org, 2016)).status_code == 404
    start = clients[Role.ORG_LEAD].get(f"{url(org, None)}/start?year={future}")
    assert start.status_code == 302 and start.headers["Location"].endswith(url(org, None))
    start = clients[Role.ORG_LEAD].get(f"{url(org, None)}/start?year=2020")
    assert start.headers["Location"].endswith(url(org, 2020))


def test_hee_staff_in_scope_read_returns_and_cannot_change_them(
    clients, people, org, make_assessment
):
    make_assessment(org)  # in a cohort the reviewer is assigned to
    post(clients[Role.ORG_LEAD], org, complete(), action="submit")
    for role in (Role.HEE_ADMIN, Role.HEE_REVIEWER):
        client = clients[role]
        soup = page(client.get(url(org)))
        assert not soup.select("form input[name=work_experience_placements]")
        assert "Submitted on" in soup.get_text() and "120" in soup.get_text()
        assert "Annual activity returns" in page(client.get(f"/organisations/{org.id}")).get_text()
        token = csrf_token(client, "/home")
        data = {**complete(), "csrf_token": token, "version": "1", "action": "draft"}
        assert client.post(url(org), data=data).status_code == 403
    assert stored(org).figures["work_experience_placements"] == 120


def test_a_reviewer_of_another_cohort_sees_nothing(sign_in_as, make_user, org, make_assessment):
    make_assessment(org)
    stranger = make_user(Role.HEE_REVIEWER)  # assigned to no cohort
    client = sign_in_as(stranger)
    assert client.get(url(org, None)).status_code == 404
    assert client.get(url(org)).status_code == 404


def test_two_first_saves_at_once_meet_the_unique_constraint_not_a_500(clients, org, monkeypatch):
    """The second of two first saves, racing past the check, is refused by the database."""
    from accredit.data.queries.assessments import activity_returns as queries

    lead = clients[Role.ORG_LEAD]
    post(lead, org, {"work_experience_placements": "5"})
    monkeypatch.setattr(queries, "return_for", lambda *args: None)  # as if not there yet
    soup = page(post(lead, org, {"work_experience_placements": "6"}, version=0))
    assert "A colleague started this return at the same time" in soup.get_text()
    assert soup.select_one("#work_experience_placements")["value"] == "6"
    monkeypatch.undo()
    assert stored(org).figures["work_experience_placements"] == 5
