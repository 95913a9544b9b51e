"""An adults-only provider in Chromium (issue 19): a hospice in a WEQS 2026.2 cohort, with no
profile yet, is asked for its organisation profile before it can start; its lead answers it (no
under-16s, no 16 and 17 year olds, adults, in person), starts, answers the safety section page
by page and reaches Bronze, and no criterion about under-18s is ever asked: not in the section's
pages, not on the check-answers page, not by its address, not among the blockers. Which
criteria are about under-18s is read from the loaded standard (each criterion whose `applies_if`
reads an under-18 age band), never listed here. Every page is checked by ``Site`` (axe
included), the profile page with its errors and with its answers chosen as well."""

from __future__ import annotations

import re

import pytest

from accredit.data.models import Answer, Assessment, Cohort, CohortMembership, EvidenceItem, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.scoring.conditions import ProfileCondition, leaves
from accredit.domain.scoring.profile import profile_question
from accredit.domain.scoring.questionnaire import asked
from accredit.domain.scoring.standard import Criterion, ProfileFieldType, QuestionType, Standard
from accredit.extensions import db
from tests.browser.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up)
from tests.browser.server import PASSWORD, Live
from tests.browser.support import Site, check_accessibility

pytestmark = pytest.mark.browser

VERSION = "2026.2"
UNDER_18 = frozenset({"offers_under_16", "offers_16_17"})
#: What the hospice answers: adults only, in person, nothing clinical, no regulated activity.
ADULTS_ONLY = {
    "offers_under_16": False,
    "offers_16_17": False,
    "offers_adults": True,
    "offers_in_person": True,
    "offers_virtual": False,
    "offers_clinical_placements": False,
    "offers_t_level": False,
    "regulated_activity": False,
}
#: The section answered through the pages: the one that holds the under-18 criteria.
PAGES_SECTION = "safety"
EVIDENCE_TITLE = "Safeguarding and insurance documents"


def _standard() -> Standard:
    from accredit.services.operations.standards import latest_published

    pinned = latest_published("weqs", VERSION)
    assert pinned is not None
    return pinned[0]


def _about_under_18s(standard: Standard) -> list[Criterion]:
    return [
        c
        for c in standard.criteria
        if c.applies_if is not None
        and any(
            isinstance(leaf, ProfileCondition) and leaf.field in UNDER_18
            for leaf in leaves(c.applies_if)
        )
    ]


def _hospice_in_a_cohort(live: Live) -> tuple[int, User, str]:
    """A hospice with no profile answered, in a WEQS 2026.2 cohort; its lead; and the id of a
    statement in its evidence library."""
    from accredit.data.models import Organisation
    from accredit.services.operations.standards import sync_standards

    hospice = live.make_org("St Aidan's Hospice", ods_code="NH101", org_type=OrgType.OTHER)
    lead = live.make_user(
        Role.ORG_LEAD, hospice, email="pat.lead@staidans.example.org", name="Pat Lead"
    )
    with live.app.app_context():
        list(sync_standards(live.settings))
        with unit_of_work() as session:
            record = session.get(Organisation, hospice.id)
            assert record is not None
            record.profile = {}  # nothing answered yet
            cohort = Cohort(
                name="Hospices 2026", year=2026, standard_id="weqs", standard_version=VERSION
            )
            session.add(cohort)
            session.flush()
            session.add(CohortMembership(cohort_id=cohort.id, organisation_id=hospice.id))
            item = EvidenceItem(
                organisation_id=hospice.id,
                kind="statement",
                title=EVIDENCE_TITLE,
                description="Our safeguarding policy, insurance and agreements.",
                statement="Approved by the board in January 2026.",
                uploaded_by_id=lead.id,
                current_version=0,
            )
            session.add(item)
            session.flush()
            evidence_id = str(item.id)
    return hospice.id, lead, evidence_id


def _answer_the_profile(site: Site, standard: Standard) -> None:
    fields = [f for f in standard.profile_fields if f.type is ProfileFieldType.BOOLEAN]
    assert {f.id for f in fields} == set(ADULTS_ONLY), "the profile asks what the test answers"
    site.follow(site.page.get_by_role("button", name="Save profile"), status=400)
    assert len(site.error_summary()) == len(fields)
    for field in fields:
        group = site.page.get_by_role("group", name=profile_question(field.label))
        group.get_by_label("Yes" if ADULTS_ONLY[field.id] else "No", exact=True).check()
    check_accessibility(site.page)  # with the errors still shown and every answer chosen
    site.follow(site.page.get_by_role("button", name="Save profile"))


def _answer_page(site: Site, criterion: Criterion, evidence_id: str) -> None:
    """Choose the best answer to every question the page shows, in order (so a question a
    choice reveals is visible when its turn comes), and cite the evidence where it is asked."""
    from accredit.seed.demo_assessments import best_value

    page = site.page
    for index, question in enumerate(criterion.questions, start=1):
        name = f"q{index}"
        if question.answered_by is not None:
            continue
        value = best_value(question, evidence_id)
        if question.type is QuestionType.DATE:
            year, month, day = str(value).split("-")
            if page.locator(f'[name="{name}-day"]').is_visible():
                for part, text in (("day", day), ("month", month), ("year", year)):
                    page.locator(f'[name="{name}-{part}"]').fill(text)
            continue
        if question.options or question.type is QuestionType.EVIDENCE:
            for choice in value if isinstance(value, list) else [value]:
                box = page.locator(f'input[name="{name}"][value="{choice}"]')
                if box.is_visible():
                    box.check()
            continue
        field = page.locator(f'[name="{name}"]')
        if field.is_visible():
            field.fill(str(value))
    cite = page.locator(f'input[name="evidence"][value="{evidence_id}"]')
    if cite.count():
        cite.check()


def _seed_the_rest(live: Live, assessment_id: int, evidence_id: str) -> None:
    """Every other Bronze criterion answered through the service layer, as the demo seeds it
    (the pages that do so are driven in test_assessment_journey)."""
    from accredit.seed.demo_assessments import fill
    from accredit.services.assessments import assessments
    from accredit.services.assessments.workspace import load

    with live.app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment is not None
        workspace = load(assessment)
        standard = workspace.standard
        on_pages = {c.id for c in standard.section(PAGES_SECTION).criteria}
        answers = fill(standard, workspace.profile, 1, evidence_id)
        with unit_of_work():
            for key, value in answers.items():
                if key.split("/")[0] in on_pages or key in workspace.answers:
                    continue
                db.session.add(Answer(assessment_id=assessment_id, key=key, value=value))
            assessment.revision += 1
            db.session.flush()
            assessments.refresh_summary(load(assessment))
        db.remove()


def test_an_adults_only_provider_reaches_bronze_without_an_under_18_question(
    live: Live, site: Site
) -> None:
    _, lead, evidence_id = _hospice_in_a_cohort(live)
    with live.app.app_context():
        standard = _standard()
    under_18 = _about_under_18s(standard)
    assert {"3.1", "3.5"} <= {c.id for c in under_18}  # the standard still has them
    section = standard.section(PAGES_SECTION)
    expected = [c.id for c in section.criteria if asked(c, ADULTS_ONLY | {"org_type": "other"})]
    assert {c.id for c in under_18} & {c.id for c in section.criteria}

    # The service asks for the profile before anything else.
    site.sign_in(lead.email, PASSWORD)
    site.follow("Self-assessment")
    assert "Answer your organisation profile first" in site.main_text()
    assert site.page.get_by_role("button", name="Start self-assessment").count() == 0
    site.follow("Answer your organisation profile")
    assert site.heading() == "Organisation profile"
    _answer_the_profile(site, standard)
    assert "profile has been saved" in site.main_text()

    site.follow(site.page.get_by_role("button", name="Start self-assessment"))
    assert site.heading() == "Self-assessment"
    match = re.search(r"/assessments/(\d+)$", site.path)
    assert match, site.path
    assessment_id = int(match.group(1))
    assert "profile-needed" not in site.page.content()

    # The safety section, page by page: Save and continue never lands on an under-18 question.
    site.follow(section.title)
    seen: list[str] = []
    while site.path.startswith(f"/assessments/{assessment_id}/criteria/"):
        criterion = standard.criterion(site.path.rsplit("/", 1)[1])
        assert site.heading().startswith(f"{criterion.id} ")
        seen.append(criterion.id)
        _answer_page(site, criterion, evidence_id)
        site.follow(site.page.get_by_role("button", name="Save and continue"))
        assert not site.error_summary(), (criterion.id, site.error_summary())
    assert seen == expected
    assert site.heading() == f"Check your answers: {section.title}"

    _seed_the_rest(live, assessment_id, evidence_id)
    site.goto(f"/assessments/{assessment_id}")
    readiness = site.page.locator("#readiness").inner_text()
    assert "Ready for Bronze" in readiness
    task = site.page.locator(".nhsuk-task-list__item", has_text=section.title).inner_text()
    assert f"{len(expected)} of {len(expected)} criteria complete" in task

    # Nowhere to answer an under-18 question: not listed, not blocking, not by its address.
    site.follow("Check all your answers")
    listed = site.page.locator("main h3").all_inner_texts()
    assert all(any(h.startswith(f"{cid} ") for h in listed) for cid in expected), listed
    for criterion in under_18:
        assert not any(h.startswith(f"{criterion.id} ") for h in listed), criterion.id
        assert f"{criterion.id} {criterion.title}" not in readiness
        # Fetched, not opened: the not-applicable page is served as text/plain (reported).
        response = site.page.request.get(f"/assessments/{assessment_id}/criteria/{criterion.id}")
        assert response.status == 404, criterion.id
        body = response.text()
        assert "This criterion does not apply to your organisation" in body
        assert 'type="radio"' not in body and "Save and continue" not in body

    site.goto(f"/assessments/{assessment_id}/report")
    assert "Ready for Bronze" in site.main_text()
