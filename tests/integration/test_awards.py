"""Awards: granting (expiry from the setting, superseding, audit), the certificate PDF and who may
download it, verifying a certificate (genuine, tampered, unknown, no longer valid), the
organisation page's award and history, and the dashboard's expiry and stall warnings."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select

from accredit.data.base import utcnow
from accredit.data.models import Assessment, AuditEvent, Award, Cohort, CohortMembership, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.review.awards import AwardStatus, add_months
from accredit.extensions import db
from accredit.services.assessments.workspace import load
from accredit.services.reports import fingerprints
from accredit.services.reports.certificates import reference_of
from accredit.services.review import awards
from accredit.services.review.awards import AwardError
from tests.support.forms import csrf_token
from tests.support.html import error_summary, page


@pytest.fixture
def grant(make_assessment, people, settings):
    """Grant an award to an organisation (its assessment made on first use), as HEE's admin."""
    made: dict[int, int] = {}

    def grant(organisation, level="bronze", today=None, app_settings=None) -> Award:
        if organisation.id not in made:
            made[organisation.id] = make_assessment(organisation).id
        assessment = db.session.get(Assessment, made[organisation.id])
        actor = db.session.get(User, people[Role.HEE_ADMIN].id)
        with unit_of_work():
            kept = fingerprints.keep(load(assessment), "award")
            award = awards.grant(
                app_settings or settings, actor, assessment, None, level, kept.fingerprint, today
            )
        return award

    return grant


def _events(action: str, award_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == action, AuditEvent.target == f"award:{award_id}"
            )
        )
    )


# --- Granting --------------------------------------------------------------------------------


def test_an_award_lasts_as_long_as_the_setting_says_and_is_audited(grant, org, settings):
    award = grant(
        org, "silver", date(2028, 2, 29), settings.model_copy(update={"award_months": 36})
    )
    assert (award.level, award.level_name, award.status) == (
        "silver",
        "Silver",
        AwardStatus.CURRENT,
    )
    assert award.awarded_on == date(2028, 2, 29)
    assert award.expires_on == date(2031, 2, 28)  # 36 months on; no 29 February in 2031
    assert (award.standard_id, award.standard_version) == ("weqs", "2026.1")
    assert award.standard_title == "Work Experience Quality Standard"
    assert len(award.fingerprint) == 64 and award.organisation_id == org.id
    [event] = _events("award.granted", award.id)
    assert event.after["level"] == "silver" and event.after["expires_on"] == "2031-02-28"
    assert event.after["fingerprint"] == award.fingerprint

    default = grant(org, "bronze", date(2026, 6, 1))
    assert default.expires_on == date(2028, 6, 1)  # the default 24 months


def test_a_new_award_supersedes_the_current_one(grant, org, other_org):
    first = grant(org, "bronze", date(2026, 1, 10))
    elsewhere = grant(other_org, "bronze", date(2026, 1, 10))
    second = grant(org, "silver", date(2026, 9, 1))
    db.session.expire_all()
    first, second = db.session.get(Award, first.id), db.session.get(Award, second.id)
    assert first.status is AwardStatus.SUPERSEDED and first.ended_at is not None
    assert f"award {second.id}" in first.ended_reason and "Silver" in first.ended_reason
    assert second.status is AwardStatus.CURRENT
    assert db.session.get(Award, elsewhere.id).status is AwardStatus.CURRENT  # not another org's
    [event] = _events("award.superseded", first.id)
    assert event.after == {"status": "superseded", "by": second.id}


def test_a_level_the_standard_does_not_have_is_refused(grant, org):
    with pytest.raises(AwardError):
        grant(org, "platinum")
    assert db.session.scalars(select(Award)).all() == []


# --- The certificate ------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=30
    )
    return " ".join(done.stdout.decode().split())


def _download(client, award_id: int):
    return client.get(f"/awards/{award_id}/certificate.pdf")


def test_the_certificate_says_who_what_when_and_how_to_verify(clients, grant, org, monkeypatch):
    from accredit.services.reports import qr_code

    encoded: list[str] = []
    drawn = qr_code.svg_bytes
    monkeypatch.setattr(qr_code, "svg_bytes", lambda text: encoded.append(text) or drawn(text))
    award = grant(org, "bronze", date(2026, 6, 1))
    response = _download(clients[Role.ORG_LEAD], award.id)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = response.data
    text = _pdf_text(data)
    reference = reference_of(award)
    for expected in (
        org.name,
        f"ODS code {org.ods_code}",
        "Bronze",
        "Work Experience Quality Standard, version 2026.1",
        "1 June 2026",
        "31 May 2028",  # the last day it is valid: it expires on 1 June 2028
        reference,
        award.fingerprint,
        "http://localhost/verify",
        "Anyone can check that this certificate is genuine",
        "http://localhost/register/check",
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    # The printed link and the QR code open the public check with the reference filled in.
    links = [a["/A"]["/URI"] for a in reader.pages[0].get("/Annots", []) if "/A" in a.get_object()]
    assert f"http://localhost/register/check?code={reference}" in links
    assert encoded == [f"http://localhost/register/check?code={reference}"]
    assert f"accredit-fingerprint:{award.fingerprint}" in reader.metadata["/Keywords"]
    assert f"accredit-certificate:{reference}" in reader.metadata["/Keywords"]
    assert org.name in reader.metadata.title
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB" and "/StructTreeRoot" in root  # tagged, with its language

    # Issued once: a second download (by HEE) is the same file, recorded once.
    again = _download(clients[Role.HEE_ADMIN], award.id)
    assert again.status_code == 200 and again.data == data
    [issued] = _events("award.certificate-issued", award.id)
    assert issued.after["reference"] == reference


def test_only_the_organisation_and_hee_staff_who_see_it_get_the_certificate(
    clients, grant, org, other_org, make_user, sign_in_as
):
    award = grant(org)
    for role in Role:
        assert _download(clients[role], award.id).status_code == 200, role
    outsider = sign_in_as(make_user(Role.ORG_LEAD, db.session.get(type(other_org), other_org.id)))
    assert _download(outsider, award.id).status_code == 404
    # A reviewer made after the cohort was set up is assigned to no cohort: not theirs.
    stranger = sign_in_as(make_user(Role.HEE_REVIEWER))
    assert _download(stranger, award.id).status_code == 404
    assert _download(clients[Role.HEE_ADMIN], award.id + 999).status_code == 404
    with unit_of_work():
        db.session.get(Award, award.id).status = AwardStatus.WITHDRAWN
    assert _download(clients[Role.ORG_LEAD], award.id).status_code == 404


# --- Verification ---------------------------------------------------------------------------


def _verify(client, *, data: bytes | None = None, text: str = "", name="certificate.pdf"):
    form = {"csrf_token": csrf_token(client, "/verify"), "fingerprint": text}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    response = client.post("/verify", data=form, content_type="multipart/form-data")
    assert response.status_code == 200
    box = page(response).select_one("#outcome")
    assert box is not None
    return " ".join(box.get_text(" ", strip=True).split())


def _edited(data: bytes, *, keep_metadata: bool) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    if not keep_metadata:
        writer.metadata = None
        writer.add_metadata({"/Producer": "Some PDF editor"})
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_certificate_is_verified_by_fingerprint_reference_or_file(clients, grant, org):
    award = grant(org, "bronze", utcnow().date())
    data = _download(clients[Role.ORG_LEAD], award.id).data
    hee = clients[Role.HEE_REVIEWER]
    reference = reference_of(award)

    by_fingerprint = _verify(hee, text=award.fingerprint.upper())
    assert "This fingerprint belongs to an award" in by_fingerprint
    assert org.name in by_fingerprint and "Bronze" in by_fingerprint
    assert "Valid" in by_fingerprint and reference in by_fingerprint
    by_reference = _verify(hee, text=f"  {reference.lower()} ")
    assert "This reference belongs to an award" in by_reference and org.ods_code in by_reference
    assert award.last_valid_day.strftime("%-d %B %Y") in by_reference

    genuine = _verify(hee, data=data)
    assert "Genuine: this file is the certificate the service issued" in genuine
    assert "The award is valid today" in genuine and "Not valid" not in genuine


@pytest.mark.parametrize("keep_metadata", [True, False])
def test_a_tampered_certificate_is_not_called_genuine(clients, grant, org, keep_metadata):
    award = grant(org)
    data = _download(clients[Role.ORG_LEAD], award.id).data
    text = _verify(clients[Role.HEE_ADMIN], data=_edited(data, keep_metadata=keep_metadata))
    assert "Not genuine: this certificate has been changed" in text
    assert reference_of(award) in text  # from its metadata, or printed on it
    assert org.name in text  # what the award it names really says
    assert "Genuine:" not in text


def test_a_certificate_never_handed_out_is_not_genuine(clients, grant, org, app, printing):
    """Made by someone with the template but not by the service's download: no record."""
    from accredit.services.reports import certificates

    award = grant(org)
    with app.app_context():
        forged = certificates.render(app.extensions["accredit.settings"], printing, award)
    assert "Not genuine" in _verify(clients[Role.HEE_ADMIN], data=forged)


def test_unknown_fingerprints_and_references_are_not_recognised(clients, grant, org):
    award = grant(org)
    hee = clients[Role.HEE_REVIEWER]
    assert "Not recognised" in _verify(hee, text="cd" * 32)
    assert "Not recognised: no award has this reference" in _verify(
        hee, text=f"WEQS-{award.awarded_on.year}-{award.id + 50:06d}-ABCD"
    )
    wrong_tail = reference_of(award)[:-4] + ("0000" if award.fingerprint[:4] != "0000" else "1111")
    assert "Not recognised: no award has this reference" in _verify(hee, text=wrong_tail)


def test_expired_superseded_and_withdrawn_awards_are_not_valid(clients, grant, org, other_org):
    expired = grant(org, "bronze", date(2020, 1, 15))
    current = grant(other_org, "gold")
    hee = clients[Role.HEE_ADMIN]
    text = _verify(hee, text=reference_of(expired))
    assert "Not valid: superseded" not in text and "Not valid: expired" in text
    assert "The award was valid up to and including 14 January 2022" in text

    with unit_of_work():
        award = db.session.get(Award, current.id)
        award.status = AwardStatus.WITHDRAWN
        award.ended_at = utcnow()
        award.ended_reason = "Audit found no placement register"
    text = _verify(hee, text=reference_of(current))
    assert "Not valid: withdrawn" in text and "Audit found no placement register" in text
    assert "valid today" not in text

    newer = grant(org, "silver")
    text = _verify(hee, text=reference_of(expired))
    assert "Not valid: superseded" in text and f"award {newer.id}" in text


def _set_expiry(award_id: int, expiry: date) -> None:
    with unit_of_work():
        db.session.get(Award, award_id).expires_on = expiry


def test_the_certificate_the_organisation_page_and_verify_print_one_last_valid_day(
    clients, grant, org
):
    """Awarded on 7 December 2026 for 24 months: it stands until 6 December 2028, and every
    place that shows the award says so (the issue: 6 on the certificate, 7 elsewhere)."""
    award = grant(org, "bronze", date(2026, 12, 7))
    assert (award.expires_on, award.last_valid_day) == (date(2028, 12, 7), date(2028, 12, 6))
    certificate = _pdf_text(_download(clients[Role.ORG_LEAD], award.id).data)
    # Its facts sit side by side: "Awarded", "Valid until", then their dates in that order.
    assert "Awarded Valid until" in certificate
    assert "7 December 2026 6 December 2028" in certificate
    assert "7 December 2028" not in certificate

    section = page(clients[Role.ORG_LEAD].get(f"/organisations/{org.id}")).select_one(
        "section[aria-labelledby=accreditation-heading]"
    )
    card = " ".join(section.get_text(" ", strip=True).split())
    assert "Valid until 6 December 2028" in card and "7 December 2028" not in card

    verified = _verify(clients[Role.HEE_ADMIN], text=reference_of(award))
    assert "valid up to and including 6 December 2028" in verified
    assert "Valid until 6 December 2028" in verified and "7 December 2028" not in verified


def test_verify_says_an_award_stands_on_its_last_valid_day_and_not_the_day_after(
    clients, grant, org
):
    today = utcnow().date()
    award = grant(org, "silver")
    hee = clients[Role.HEE_ADMIN]

    _set_expiry(award.id, today + timedelta(days=1))  # today is its last valid day
    text = _verify(hee, text=reference_of(award))
    assert "The award is valid today" in text and "Not valid" not in text
    assert f"valid up to and including {today:%-d %B %Y}" in text

    _set_expiry(award.id, today)  # its last valid day was yesterday
    yesterday = today - timedelta(days=1)
    text = _verify(hee, text=reference_of(award))
    assert "Not valid: expired" in text and "valid today" not in text
    assert f"The award was valid up to and including {yesterday:%-d %B %Y}" in text
    assert f"Valid until {yesterday:%-d %B %Y}" in text


# --- The organisation page ------------------------------------------------------------------


def test_the_organisation_page_shows_the_current_award_and_the_history(clients, grant, org):
    grant(org, "bronze", date(2021, 3, 1))
    second = grant(org, "silver", utcnow().date() - timedelta(days=30))
    soup = page(clients[Role.ORG_CONTRIBUTOR].get(f"/organisations/{org.id}"))
    section = soup.select_one("section[aria-labelledby=accreditation-heading]")
    card = " ".join(section.select_one(".app-award").get_text(" ", strip=True).split())
    assert "Silver" in card and "Valid" in card
    assert f"Valid until {second.last_valid_day:%-d %B %Y}" in card
    link = section.select_one(".app-award a[href]")["href"]
    assert link == f"/awards/{second.id}/certificate.pdf"
    [row] = section.select("tbody tr")
    history = " ".join(row.get_text(" ", strip=True).split())
    assert "Bronze" in history and "1 March 2021" in history and "Superseded" in history
    # No certificate was handed out while the first award stood, so none is offered now.
    assert row.select_one("a") is None and "Not available" in history

    with unit_of_work():
        db.session.get(Award, second.id).status = AwardStatus.WITHDRAWN
    soup = page(clients[Role.HEE_REVIEWER].get(f"/organisations/{org.id}"))
    section = soup.select_one("section[aria-labelledby=accreditation-heading]")
    assert section.select_one(".app-award") is None
    assert "holds no valid award" in section.get_text()
    statuses = [r.select_one(".nhsuk-tag").get_text(strip=True) for r in section.select("tbody tr")]
    assert statuses == ["Withdrawn", "Superseded"]
    assert "Not available" in section.select("tbody tr")[0].get_text()


def test_an_expired_award_is_history(clients, grant, org):
    grant(org, "gold", date(2019, 5, 5))
    section = page(clients[Role.ORG_LEAD].get(f"/organisations/{org.id}")).select_one(
        "section[aria-labelledby=accreditation-heading]"
    )
    assert section.select_one(".app-award") is None
    assert [t.get_text(strip=True) for t in section.select("tbody .nhsuk-tag")] == ["Expired"]


# --- The dashboard warnings ----------------------------------------------------------------


def _panel(client, cohort_id: int):
    soup = page(client.get(f"/cohorts/{cohort_id}"))
    return soup.select_one("section[aria-labelledby=accreditation]")


def _tile(panel, label: str) -> str:
    for tile in panel.select(".app-tile"):
        if tile.select_one(".nhsuk-card__heading").get_text(strip=True) == label:
            return tile.select_one(".app-tile__figure").get_text(strip=True)
    raise AssertionError(label)


def test_the_dashboard_warns_of_awards_expiring_within_three_months(clients, grant, make_org, org):
    today = utcnow().date()
    soon = grant(org, "bronze", add_months(today, 1 - 24))
    later_org, gone_org = make_org("Later Trust"), make_org("Gone Trust")
    later = grant(later_org, "silver", add_months(today, 4 - 24))
    grant(gone_org, "gold", add_months(today, -25))  # expired a month ago
    cohort_id = db.session.get(Assessment, soon.assessment_id).cohort_id
    panel = _panel(clients[Role.HEE_REVIEWER], cohort_id)
    assert _tile(panel, "Accredited") == "2" and _tile(panel, "Expiring soon") == "1"
    rows = panel.select("#expiring-awards tbody tr")
    assert len(rows) == 1
    text = " ".join(rows[0].get_text(" ", strip=True).split())
    assert (
        org.name in text and "Bronze" in text and soon.last_valid_day.strftime("%-d %B %Y") in text
    )
    assert later_org.name not in panel.get_text() and later.expires_on > add_months(today, 3)
    assert "1 award expires within 3 months" in panel.get_text()


def _set_activity(assessment_id: int, *, days_ago: int | None, status=None) -> None:
    with unit_of_work():
        assessment = db.session.get(Assessment, assessment_id)
        assessment.last_activity_at = (
            utcnow() - timedelta(days=days_ago) if days_ago is not None else None
        )
        if status is not None:
            assessment.status = status


def test_the_dashboard_lists_organisations_that_have_stalled(
    clients, make_assessment, make_org, enrol, org, settings
):
    quiet = make_assessment(org)
    busy = make_assessment(make_org("Busy Trust"))
    returned = make_assessment(make_org("Returned Trust"))
    handed_in = make_assessment(make_org("Submitted Trust"))
    never = enrol(make_org("Never Started Trust"))
    enrol(make_org("Just Joined Trust"))  # not started, but only just in the cohort
    weeks = settings.stalled_weeks
    with unit_of_work():
        membership = db.session.scalars(
            select(CohortMembership).where(CohortMembership.organisation_id == never.id)
        ).one()
        membership.created_at = utcnow() - timedelta(days=weeks * 7 + 1)
    _set_activity(quiet.id, days_ago=weeks * 7 + 3)
    _set_activity(busy.id, days_ago=weeks * 7 - 3)
    _set_activity(returned.id, days_ago=weeks * 7 + 10, status=AssessmentStatus.RETURNED)
    _set_activity(handed_in.id, days_ago=90, status=AssessmentStatus.SUBMITTED)
    with unit_of_work():
        cohort = db.session.get(Cohort, quiet.cohort_id)
        cohort.deadline = utcnow().date() + timedelta(days=30)
    panel = _panel(clients[Role.HEE_ADMIN], quiet.cohort_id)
    assert _tile(panel, "Stalled") == "3"
    rows = [
        " ".join(r.get_text(" ", strip=True).split())
        for r in panel.select("#stalled-organisations tbody tr")
    ]
    # Never started first, then the longest quiet.
    assert [r.split(" (")[0] for r in rows] == [never.name, "Returned Trust", org.name]
    assert rows[0].endswith("Not started")
    last = (utcnow() - timedelta(days=weeks * 7 + 3)).strftime("%-d %B %Y")
    assert rows[2].endswith(last)
    assert "Busy Trust" not in panel.get_text() and "Submitted Trust" not in panel.get_text()
    assert "Just Joined Trust" not in panel.get_text()

    with unit_of_work():
        db.session.get(Cohort, quiet.cohort_id).deadline = utcnow().date() - timedelta(days=1)
    panel = _panel(clients[Role.HEE_ADMIN], quiet.cohort_id)
    assert _tile(panel, "Stalled") == "0" and panel.select_one("#stalled-organisations") is None


def test_a_certificate_is_never_first_made_for_an_award_that_no_longer_stands(clients, grant, org):
    lead = clients[Role.ORG_LEAD]
    issued = grant(org)
    url = f"/awards/{issued.id}/certificate.pdf"
    first = lead.get(url)
    assert first.status_code == 200
    later = grant(org, level="silver")  # supersedes the first
    assert lead.get(url).data == first.data  # the copy handed out is still served as issued
    with unit_of_work():
        db.session.get(Award, later.id).status = AwardStatus.SUPERSEDED  # never downloaded
    assert lead.get(f"/awards/{later.id}/certificate.pdf").status_code == 404
    assert _events("award.certificate-issued", later.id) == []
    # The organisation page offers only the certificates that can be had.
    links = {
        a["href"] for a in page(lead.get(f"/organisations/{org.id}")).select("a[href$='.pdf']")
    }
    assert links == {url}


@pytest.mark.parametrize(
    "pasted", ["WEQS-2026-99999999999999999999-ABCD", "WEQS-2026-0000001²-ABCD"]
)
def test_a_reference_too_long_or_in_other_digits_is_simply_unknown(clients, pasted):
    admin = clients[Role.HEE_ADMIN]
    response = admin.post(
        "/verify", data={"csrf_token": csrf_token(admin, "/verify"), "fingerprint": pasted}
    )
    assert response.status_code == 200  # not a 500: refused on the form, with why
    soup = page(response)
    assert error_summary(soup) and soup.select_one("#outcome") is None
