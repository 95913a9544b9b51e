"""The next cycle on a newer version: each organisation sees what changed for it, including how
levels are now reached (Employability 2026.2 changed nothing but that) and the criteria it
answered that are no longer asked."""

from __future__ import annotations

from pathlib import Path

from accredit.data.models import Answer, Assessment, Cohort, CohortMembership
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from accredit.services.operations.standards import latest_published
from accredit.standards import parse_standard
from tests.support.html import page

ROOT = Path(__file__).resolve().parents[2]


def _accepted(organisation, lead, version: str, answers: dict) -> None:
    """An accepted assessment of the organisation in a cohort on Employability `version`."""
    _, content_hash = latest_published("employability", version)
    with unit_of_work():
        cohort = Cohort(
            name=f"Cohort {version}",
            year=2026,
            standard_id="employability",
            standard_version=version,
        )
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
        assessment = Assessment(
            organisation_id=organisation.id,
            cohort_id=cohort.id,
            standard_id="employability",
            standard_version=version,
            content_hash=content_hash,
            status=AssessmentStatus.ACCEPTED,
            started_by_id=lead.id,
            revision=0,
        )
        db.session.add(assessment)
        db.session.flush()
        db.session.add_all(
            Answer(assessment_id=assessment.id, key=key, value=value)
            for key, value in answers.items()
        )


def _next_cycle(client, organisation, version: str) -> str:
    """A 2027 cohort on `version`; the lead starts again carrying the answers forward."""
    with unit_of_work():
        cohort = Cohort(
            name="Cohort 2027", year=2027, standard_id="employability", standard_version=version
        )
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
    start = f"/organisations/{organisation.id}/assessment/start"
    token = page(client.get(start)).find("input", {"name": "csrf_token"})["value"]
    response = client.post(start, data={"csrf_token": token, "carry_forward": "yes"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return page(client.get(response.headers["Location"])).get_text(" ", strip=True)


def test_a_change_only_to_how_levels_are_reached_is_shown(
    app, standards_loaded, make_org, make_user, sign_in_as
):
    organisation = make_org("Ashby Academy", org_type=OrgType.OTHER)
    lead = make_user(Role.ORG_LEAD, organisation)
    _accepted(organisation, lead, "2026.1", {"1.1/1": "yes"})
    text = _next_cycle(sign_in_as(lead), organisation, "2026.2")
    assert "The standard has changed since version 2026.1" in text
    assert "How levels are reached" in text
    assert (
        "Established is now reached on its own criteria: the criteria of the levels below it no "
        "longer count towards it." in text
    )
    assert "Foundation is now reached" not in text  # nothing lies below the first level


def test_criteria_it_answered_that_are_no_longer_asked_are_named(
    app, settings, standards_loaded, make_org, make_user, sign_in_as, tmp_path
):
    """A version without criterion 1.2 (loaded from a copy of 2026.2 as 2026.3)."""
    from accredit.services.operations.standards import sync_standards

    text = (ROOT / "standards/employability/2026.2.yaml").read_text(encoding="utf-8")
    start = text.index('      - id: "1.2"')
    end = text.index('      - id: "1.3"')
    changed = (text[:start] + text[end:]).replace('version: "2026.2"', 'version: "2026.3"')
    parse_standard(changed, "employability/2026.3.yaml")  # a valid standard
    folder = tmp_path / "standards"
    for name in ("employability", "weqs"):
        (folder / name).mkdir(parents=True)
        for path in (ROOT / "standards" / name).glob("*.yaml"):
            (folder / name / path.name).write_text(path.read_text(encoding="utf-8"))
    (folder / "employability/2026.3.yaml").write_text(changed)
    settings.standards_path = folder
    list(sync_standards(settings))

    organisation = make_org("Brook College", org_type=OrgType.OTHER)
    lead = make_user(Role.ORG_LEAD, organisation)
    _accepted(organisation, lead, "2026.2", {"1.1/1": "yes", "1.2/1": "yes"})
    text = _next_cycle(sign_in_as(lead), organisation, "2026.3")
    assert "No longer asked (your answers to these were not carried over)" in text
    assert "1.2 " in text.split("No longer asked")[1]
    assert "How levels are reached" not in text  # the same rules as 2026.2
    newest = db.session.query(Assessment).order_by(Assessment.id.desc()).first()
    carried = db.session.query(Answer).filter_by(assessment_id=newest.id).all()
    assert [(a.key, a.carried_forward) for a in carried] == [("1.1/1", True)]
