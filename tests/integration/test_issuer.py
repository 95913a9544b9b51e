"""Who issues awards and runs the service (ACCREDIT_ISSUER_NAME) is named on certificates,
evidence packs, emails and every page's footer; the criteria are said to be the service's own
wording, aligned to the standard and crediting its owner where the file names one (issue 19)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from accredit.data.models import Assessment, Cohort, CohortMembership, Organisation, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.assessments import submission
from accredit.services.assessments.workspace import load
from accredit.services.jobs import backends as job_backends
from accredit.services.operations.mail import read_outbox
from accredit.services.reports import fingerprints
from accredit.services.review import awards
from tests.support.forms import csrf_token, submit
from tests.support.html import page

ISSUER = "NHS England South West"
ROOT = Path(__file__).resolve().parents[2]
NOTE = (
    "The criteria are this service's own wording, aligned to the Work Experience Quality "
    "Standard. They are not the standard's official text."
)
OWNED_NOTE = (
    "The criteria are this service's own wording, aligned to the Work Experience Quality "
    "Standard (owned by Fair Train). They are not the standard's official text."
)


@pytest.fixture
def settings(settings, tmp_path):
    """The shipped standards plus a later WEQS version that names its owner (published files
    are immutable, so the owner arrives with a new version)."""
    standards = tmp_path / "standards"
    shutil.copytree(ROOT / "standards", standards)
    text = (ROOT / "standards" / "weqs" / "2026.1.yaml").read_text()
    text = text.replace('version: "2026.1"', 'version: "2099.1"', 1).replace(
        "title: Work Experience Quality Standard\n",
        "title: Work Experience Quality Standard\nowner: Fair Train\n",
        1,
    )
    (standards / "weqs" / "2099.1.yaml").write_text(text)
    return settings.model_copy(update={"issuer_name": ISSUER, "standards_path": standards})


def _text(response) -> str:
    return " ".join(page(response).get_text(" ", strip=True).split())


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=30
    )
    return " ".join(done.stdout.decode().split())


def test_every_page_footer_names_the_issuer(client):
    for url in ("/", "/privacy-notice", "/accessibility-statement"):
        footer = page(client.get(url)).select_one("footer").get_text(" ", strip=True)
        assert f"© {ISSUER}" in footer, url
        assert "Health Education England" not in footer


def test_the_service_pages_name_the_issuer_as_who_runs_it(client):
    assert f"run by {ISSUER}" in _text(client.get("/accessibility-statement"))
    assert f"{ISSUER} is the data controller" in _text(client.get("/privacy-notice"))


def test_the_certificate_names_the_issuer(make_assessment, org, people, clients, settings):
    assessment = make_assessment(org)
    actor = db.session.get(User, people[Role.HEE_ADMIN].id)
    with unit_of_work():
        kept = fingerprints.keep(load(assessment), "award")
        award = awards.grant(
            settings, actor, assessment, None, "bronze", kept.fingerprint, date(2026, 6, 1)
        )
    response = clients[Role.ORG_LEAD].get(f"/awards/{award.id}/certificate.pdf")
    assert response.status_code == 200
    text = _pdf_text(response.data)
    assert text.startswith(f"{ISSUER} Work Experience Quality Standard"), text[:120]
    assert f"{ISSUER} staff can upload it" in text
    assert "Health Education England" not in text and "HEE" not in text
    assert "owned by" not in text  # 2026.1's file names no owner, so nobody is named


def test_the_certificate_credits_the_standard_owner_where_the_file_names_one(
    standards_loaded, org, people, clients, settings
):
    with unit_of_work():
        cohort = Cohort(name="C", year=2027, standard_id="weqs", standard_version="2026.2")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=org.id))
    lead = db.session.get(User, people[Role.ORG_LEAD].id)
    assessment = seed_stage(db.session.get(Organisation, org.id), lead, Stage.BRONZE)
    actor = db.session.get(User, people[Role.HEE_ADMIN].id)
    with unit_of_work():
        kept = fingerprints.keep(load(assessment), "award")
        award = awards.grant(
            settings, actor, assessment, None, "bronze", kept.fingerprint, date(2027, 2, 1)
        )
    text = _pdf_text(clients[Role.ORG_LEAD].get(f"/awards/{award.id}/certificate.pdf").data)
    assert (
        f"Assessed on {ISSUER}'s own criteria, aligned to the Work Experience Quality Standard "
        "(owned by Fair Train)"
    ) in text


def test_the_pack_names_the_issuer_and_says_whose_wording_the_criteria_are(
    enrol, org, people, clients
):
    lead = db.session.get(User, people[Role.ORG_LEAD].id)
    assessment = seed_stage(enrol(org), lead, Stage.BRONZE)
    client = clients[Role.ORG_LEAD]
    url = f"/assessments/{assessment.id}/pack"
    made = client.post(url, data={"csrf_token": csrf_token(client, url), "scope": "all"})
    assert made.status_code == 302 and job_backends.drain(120)
    download = client.get(made.headers["Location"] + "/status").get_json()["download"]
    text = _pdf_text(client.get(download).data)
    assert f"Accreditation by {ISSUER}" in text
    assert f"{ISSUER} staff can check it" in text
    assert NOTE in text
    assert "Health Education England" not in text


def test_emails_name_the_issuer(enrol, org, people, settings, clients):
    lead = db.session.get(User, people[Role.ORG_LEAD].id)
    assessment = seed_stage(enrol(org), lead, Stage.SILVER)
    before = len(read_outbox(settings))
    submission.submit(settings, lead, load(db.session.get(Assessment, assessment.id)), True)
    [submitted] = read_outbox(settings)[before:]
    body = " ".join(submitted.get_content().split())
    assert f"{ISSUER} will review it and contact you." in body
    assert body.endswith(f"-- Work experience accreditation {ISSUER}")

    # Every message carries the same signature: an invitation, say.
    submit(
        clients[Role.HEE_ADMIN],
        f"/organisations/{org.id}/invite",
        {"name": "New Person", "email": "new.person@example.nhs.uk", "role": "org_contributor"},
    )
    invitation = read_outbox(settings)[-1]
    assert invitation["To"] == "new.person@example.nhs.uk"
    assert invitation.get_content().rstrip().endswith(f"Work experience accreditation\n{ISSUER}")
    assert "Health Education England" not in invitation.get_content()


def test_the_start_page_and_report_say_the_wording_is_the_services_own(enrol, org, people, clients):
    lead = clients[Role.ORG_LEAD]
    enrolled = enrol(org)
    start = _text(lead.get(f"/organisations/{org.id}/assessment/start"))
    assert "Start self-assessment" in start and NOTE in start and "owned by" not in start

    organisation = db.session.get(Organisation, enrolled.id)
    assessment = seed_stage(
        organisation, db.session.get(User, people[Role.ORG_LEAD].id), Stage.BRONZE
    )
    report = _text(lead.get(f"/assessments/{assessment.id}/report"))
    assert "Readiness report" in report and NOTE in report


def test_a_standard_that_names_its_owner_is_credited(standards_loaded, org, clients):
    with unit_of_work():
        cohort = Cohort(name="Owned", year=2099, standard_id="weqs", standard_version="2099.1")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=org.id))
    start = _text(clients[Role.ORG_LEAD].get(f"/organisations/{org.id}/assessment/start"))
    assert OWNED_NOTE in start
