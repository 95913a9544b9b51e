"""The self-assessment journey through the Flask client, on SQLite and PostgreSQL."""

from __future__ import annotations

from accredit.data.base import utcnow
from accredit.data.models import Answer, AnswerChange, Assessment, ScoreSummary
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from accredit.services.operations.mail import read_outbox
from tests.integration.assess_helpers import open_page, post_page
from tests.support.html import error_summary, page


def _url(assessment: Assessment, criterion: str = "1.1") -> str:
    return f"/assessments/{assessment.id}/criteria/{criterion}"


def _answers(assessment: Assessment) -> dict[str, object]:
    db.session.expire_all()
    rows = db.session.query(Answer).filter_by(assessment_id=assessment.id).all()
    return {row.key: row.value for row in rows}


def test_lead_starts_an_assessment_pinned_to_the_cohort_standard(
    standards_loaded, make_assessment, org, people, clients
):
    from accredit.data.models import Cohort, CohortMembership

    with unit_of_work():
        cohort = Cohort(name="C", year=2026, standard_id="weqs", standard_version="2026.1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=org.id))
    client = clients[Role.ORG_LEAD]
    soup = page(client.get(f"/organisations/{org.id}/assessment/start"))
    token = soup.find("input", {"name": "csrf_token"})["value"]
    response = client.post(f"/organisations/{org.id}/assessment/start", data={"csrf_token": token})
    assessment = db.session.query(Assessment).filter_by(organisation_id=org.id).one()
    assert response.headers["Location"] == f"/assessments/{assessment.id}"
    from accredit.data.models import StandardVersion

    stored = db.session.query(StandardVersion).filter_by(standard_id="weqs", version="2026.1").one()
    assert (assessment.standard_version, assessment.content_hash) == ("2026.1", stored.content_hash)
    assert assessment.status is AssessmentStatus.DRAFT
    summary = db.session.query(ScoreSummary).filter_by(assessment_id=assessment.id).one()
    assert summary.level_reached is None and summary.completion == 0.0
    home = page(client.get(f"/assessments/{assessment.id}"))
    assert "Not yet ready for a level" in home.get_text()
    assert home.select(f"a[href='/assessments/{assessment.id}/criteria/1.1']")


def test_saving_records_history_and_the_score_summary_in_one_go(
    make_assessment, org, people, clients
):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_LEAD]
    response = post_page(client, _url(assessment), {"q1": "yes", "q2": "Head of education"})
    assert response.status_code == 302
    assert response.headers["Location"] == _url(assessment, "1.2")
    assert _answers(assessment) == {"1.1/1": "yes", "1.1/2": "Head of education"}
    changes = db.session.query(AnswerChange).filter_by(assessment_id=assessment.id).all()
    assert {(c.key, c.before, c.after) for c in changes} == {
        ("1.1/1", None, "yes"),
        ("1.1/2", None, "Head of education"),
    }
    summary = db.session.query(ScoreSummary).filter_by(assessment_id=assessment.id).one()
    assert summary.completion > 0 and summary.level_percents["bronze"] > 0
    history = page(client.get(_url(assessment) + "/history"))
    assert "Head of education" in history.get_text()


def test_a_revealed_question_is_asked_then_required_and_nothing_typed_is_lost(
    make_assessment, org, people, clients
):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_LEAD]
    # Without our script the follow-up questions are hidden: "yes" saves and asks them.
    response = post_page(client, _url(assessment), {"q1": "yes"}, scripted=False)
    assert response.headers["Location"] == _url(assessment)
    assert _answers(assessment) == {"1.1/1": "yes"}
    soup = page(client.get(_url(assessment)))
    assert "More questions now apply" in soup.get_text()
    assert not soup.find(id="question-q2").has_attr("hidden")
    # Now it is on the page, the required follow-up must be answered.
    response = post_page(client, _url(assessment), {"q1": "yes", "q3": "no"}, scripted=False)
    assert response.status_code == 400
    soup = page(response)
    assert error_summary(soup) == ["Answer this question: What is their job title?"]
    assert soup.select_one(".nhsuk-error-summary a")["href"] == "#q2"
    assert soup.find("input", {"name": "q3", "value": "no"}).has_attr("checked")
    assert _answers(assessment) == {"1.1/1": "yes"}


def test_save_and_come_back_later_keeps_partial_answers(make_assessment, org, people, clients):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    response = post_page(clients[Role.ORG_LEAD], _url(assessment), {"q1": "yes"}, action="later")
    assert response.headers["Location"] == f"/assessments/{assessment.id}"
    assert _answers(assessment) == {"1.1/1": "yes"}


def test_bad_values_are_refused_with_a_message_and_change_nothing(
    make_assessment, org, people, clients
):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_LEAD]
    unknown = post_page(client, _url(assessment), {"q1": "maybe"})
    assert unknown.status_code == 400
    assert error_summary(page(unknown)) == [
        "Select yes or no: Do you have a named work experience lead?"
    ]
    stray = post_page(client, _url(assessment), {"q1": "yes", "q2": "Lead", "q9": "x"})
    assert stray.status_code == 400
    assert "does not ask for" in page(stray).get_text()
    tokens = open_page(client, _url(assessment))
    tampered = post_page(
        client, _url(assessment), {"q1": "no"}, tokens={**tokens, "base": tokens["base"] + "x"}
    )
    assert tampered.status_code == 400
    assert _answers(assessment) == {}


def test_criteria_that_do_not_apply_are_refused(make_assessment, org, people, clients):
    assessment = make_assessment(org, people[Role.ORG_LEAD])  # no under-16s
    response = clients[Role.ORG_LEAD].get(_url(assessment, "3.3"))
    assert response.status_code == 404
    assert response.mimetype == "text/html"  # a page, not its markup shown as text
    assert "does not apply" in page(response).get_text()


def test_two_people_editing_one_answer_see_each_others_versions(
    make_assessment, org, people, make_user, sign_in_as
):
    lead = people[Role.ORG_LEAD]
    assessment = make_assessment(org, lead)
    first = sign_in_as(lead)
    second = sign_in_as(make_user(Role.ORG_CONTRIBUTOR, org, name="Sam Second"))
    url = _url(assessment)
    first_tokens, second_tokens = open_page(first, url), open_page(second, url)
    saved = post_page(first, url, {"q1": "yes", "q2": "Matron"}, tokens=first_tokens)
    assert saved.status_code == 302
    clash = post_page(second, url, {"q1": "yes", "q2": "Director"}, tokens=second_tokens)
    assert clash.status_code == 409
    soup = page(clash)
    table = soup.select_one("table.app-conflicts").get_text()
    assert "Director" in table and "Matron" in table
    assert soup.find("input", {"name": "q2"})["value"] == "Director"  # theirs kept in the form
    assert _answers(assessment)["1.1/2"] == "Matron"
    # Saving again from the conflict page keeps the second person's answer, knowingly.
    tokens = {
        "csrf_token": soup.find("input", {"name": "csrf_token"})["value"],
        "base": soup.find("input", {"name": "base"})["value"],
    }
    again = post_page(second, url, {"q1": "yes", "q2": "Director"}, tokens=tokens)
    assert again.status_code == 302
    assert _answers(assessment)["1.1/2"] == "Director"


def test_untouched_answers_merge_with_a_colleagues_save(
    make_assessment, org, people, make_user, sign_in_as
):
    lead = people[Role.ORG_LEAD]
    assessment = make_assessment(org, lead)
    first = sign_in_as(lead)
    url = _url(assessment)
    post_page(first, url, {"q1": "yes", "q2": "Matron"})
    second = sign_in_as(make_user(Role.ORG_CONTRIBUTOR, org))
    stale = open_page(second, url)
    post_page(first, url, {"q1": "yes", "q2": "Matron", "q3": "yes"})
    merged = post_page(second, url, {"q1": "yes", "q2": "Chief nurse"}, tokens=stale)
    assert merged.status_code == 302
    assert _answers(assessment) == {"1.1/1": "yes", "1.1/2": "Chief nurse", "1.1/3": "yes"}


def test_another_organisations_assessment_is_not_found(
    make_assessment, org, other_org, people, clients
):
    theirs = make_assessment(other_org)
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        for url in (f"/assessments/{theirs.id}", _url(theirs), _url(theirs) + "/history"):
            assert clients[role].get(url).status_code == 404, url
    assert clients[Role.HEE_REVIEWER].get(f"/assessments/{theirs.id}").status_code == 200


def test_submission_needs_every_required_answer_then_emails_the_lead(
    make_assessment, org, people, clients, settings
):
    lead = people[Role.ORG_LEAD]
    assessment = make_assessment(org, lead)
    client = clients[Role.ORG_LEAD]
    blocked = page(client.get(f"/assessments/{assessment.id}/submit"))
    links = [a["href"] for a in blocked.select("#missing ~ ul a")]
    assert _url(assessment, "1.1") in links
    assert blocked.find("input", {"name": "declaration"}) is None  # not until all is answered
    _answer_everything(assessment)
    ready = page(client.get(f"/assessments/{assessment.id}/submit"))
    csrf = ready.find("input", {"name": "csrf_token"})["value"]
    refused = client.post(f"/assessments/{assessment.id}/submit", data={"csrf_token": csrf})
    assert refused.status_code == 400 and "Confirm the declaration" in refused.get_data(
        as_text=True
    )
    done = client.post(
        f"/assessments/{assessment.id}/submit", data={"csrf_token": csrf, "declaration": "yes"}
    )
    assert done.headers["Location"] == f"/assessments/{assessment.id}/submitted"
    db.session.expire_all()
    assert db.session.get(Assessment, assessment.id).status is AssessmentStatus.SUBMITTED
    confirmation = page(client.get(done.headers["Location"])).get_text(" ", strip=True)
    assert "Self-assessment submitted" in confirmation
    # A reference people can quote, the same on the page and in the email.
    reference = f"WEQS-{org.ods_code}-{utcnow().year}-{assessment.id:04d}"
    assert f"Your reference: {reference}" in confirmation
    assert "Reference: assessment" not in confirmation
    mails = [m for m in read_outbox(settings) if m["Subject"] == "Self-assessment submitted"]
    assert [m["To"] for m in mails] == [lead.email]
    assert f"Your reference: {reference}" in mails[0].get_content()
    # Read-only now: the page has no form and a save is refused.
    assert 'name="base"' not in client.get(_url(assessment)).get_data(as_text=True)
    refused = client.post(_url(assessment), data={"csrf_token": csrf})
    assert refused.status_code == 409 and "cannot be changed now" in refused.get_data(as_text=True)


def test_contributors_cannot_submit(make_assessment, org, people, clients):
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    assert (
        clients[Role.ORG_CONTRIBUTOR].get(f"/assessments/{assessment.id}/submit").status_code == 403
    )


def test_profile_changes_hide_answers_without_losing_them(make_assessment, org, people, clients):
    lead = people[Role.ORG_LEAD]
    assessment = make_assessment(org, lead, offers_under_16=True)
    client = clients[Role.ORG_LEAD]
    assert client.get(_url(assessment, "3.3")).status_code == 200
    post_page(client, _url(assessment, "3.3"), {"q1": "yes"}, action="later")
    profile_url = f"/organisations/{org.id}/profile"
    csrf = page(client.get(profile_url)).find("input", {"name": "csrf_token"})["value"]
    no = {"offers_under_16": "no", "offers_clinical_placements": "no", "offers_t_level": "no"}
    assert client.post(profile_url, data={**no, "csrf_token": csrf}).status_code == 302
    assert client.get(_url(assessment, "3.3")).status_code == 404
    assert _answers(assessment)["3.3/1"] == "yes"  # kept, hidden, not scored
    back = {**no, "offers_under_16": "yes", "csrf_token": csrf}
    assert client.post(profile_url, data=back).status_code == 302
    assert page(client.get(_url(assessment, "3.3"))).find(
        "input", {"value": "yes", "checked": True}
    )


def _answer_everything(assessment: Assessment) -> None:
    """Fill every required question directly (the pages are tested above)."""
    from accredit.domain.scoring.questionnaire import gaps
    from accredit.domain.scoring.standard import QuestionType
    from accredit.services.assessments.workspace import load

    for _ in range(5):  # revealed questions need another pass
        workspace = load(db.session.get(Assessment, assessment.id))
        missing = gaps(workspace.standard, workspace.result)
        if not missing:
            return
        with unit_of_work():
            for gap in missing:
                for question in gap.questions:
                    db.session.add(
                        Answer(
                            assessment_id=assessment.id,
                            key=question.key,
                            value=_value(question, QuestionType),
                        )
                    )
    raise AssertionError("could not answer everything")


def _value(question, kinds):
    if question.options:
        return (
            [question.options[0].value]
            if question.type is kinds.MULTIPLE_CHOICE
            else question.options[0].value
        )
    return {
        kinds.NUMBER: 10,
        kinds.DATE: "2026-01-01",
        kinds.URL: "https://example.nhs.uk",
        kinds.EVIDENCE: 1,
    }.get(question.type, "Some text")


def test_answers_to_hidden_questions_and_other_organisations_evidence_are_refused(
    make_assessment, org, other_org, people, clients
):
    from accredit.data.models import EvidenceItem

    assessment = make_assessment(org, people[Role.ORG_LEAD])
    client = clients[Role.ORG_LEAD]
    soup = page(client.get(_url(assessment)))
    assert soup.find("input", {"name": "q2"}).has_attr("disabled")  # hidden until "yes"
    hidden = post_page(client, _url(assessment), {"q1": "no", "q2": "Made up"})
    assert hidden.status_code == 400
    assert "does not apply given your other answers" in page(hidden).get_text()
    with unit_of_work():
        theirs = EvidenceItem(
            organisation_id=other_org.id, kind="statement", title="Theirs", current_version=0
        )
        db.session.add(theirs)
    stolen = post_page(client, _url(assessment), {"q1": "no", "evidence": str(theirs.id)})
    assert stolen.status_code == 400
    assert "not in your organisation's library" in page(stolen).get_text()
    assert _answers(assessment) == {}


def test_a_returned_assessment_is_edited_and_resubmitted_with_history_kept(
    make_assessment, org, people, clients
):
    from accredit.data.models import StatusChange
    from accredit.services.assessments.assessments import submit
    from accredit.services.assessments.workspace import load

    lead = people[Role.ORG_LEAD]
    assessment = make_assessment(org, lead)
    _answer_everything(assessment)
    submit(lead, load(db.session.get(Assessment, assessment.id)), declared=True)
    with unit_of_work():  # HEE returns it (the review pages come with the review work)
        db.session.get(Assessment, assessment.id).status = AssessmentStatus.RETURNED
    client = clients[Role.ORG_LEAD]
    assert (
        post_page(client, _url(assessment), {"q1": "yes", "q2": "Deputy chief nurse"}).status_code
        == 302
    )
    csrf = page(client.get(f"/assessments/{assessment.id}/submit")).find(
        "input", {"name": "declaration"}
    )
    assert csrf is not None
    token = page(client.get(f"/assessments/{assessment.id}/submit")).find(
        "input", {"name": "csrf_token"}
    )["value"]
    response = client.post(
        f"/assessments/{assessment.id}/submit", data={"csrf_token": token, "declaration": "yes"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    history = [
        (c.before, c.after)
        for c in db.session.query(StatusChange)
        .filter_by(assessment_id=assessment.id)
        .order_by("id")
    ]
    assert history == [(None, "draft"), ("draft", "submitted"), ("returned", "submitted")]
    assert db.session.get(Assessment, assessment.id).status is AssessmentStatus.SUBMITTED


def test_a_date_typed_in_other_scripts_digits_is_not_a_real_date(
    make_assessment, org, people, clients
):
    """ "²" passes str.isdigit but not int(): it is refused with the usual message, not a 500."""
    assessment = make_assessment(org, people[Role.ORG_LEAD])
    url = _url(assessment, "1.2")
    response = post_page(
        clients[Role.ORG_LEAD],
        url,
        {"q1": "yes", "q2": "yes", "q3-day": "¹", "q3-month": "²", "q3-year": "٢٠٢٥"},
    )
    assert response.status_code == 400
    assert any("real date" in message for message in error_summary(page(response)))
    assert "1.2/3" not in _answers(assessment)
