"""Changing the library: new versions keep the history, the scanner hook can refuse, and
removal hides an item and takes it out of every answer."""

from __future__ import annotations

import sys
import types

import pytest

from accredit.data.models import AuditEvent, EvidenceFile, EvidenceItem
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.evidence import uploads
from accredit.services.evidence.evidence import SAME_AS_CURRENT
from tests.integration.evidence_helpers import add, added_item, base, upload_new_version
from tests.support import files
from tests.support.forms import submit
from tests.support.html import error_summary, page


def _has_link(soup, text: str) -> bool:
    return any(a.get_text(strip=True) == text for a in soup.find_all("a"))


def test_a_new_version_replaces_the_current_one_and_the_history_is_kept(clients, org):
    lead, contributor = clients[Role.ORG_LEAD], clients[Role.ORG_CONTRIBUTOR]
    item = added_item(add(lead, org))
    response = upload_new_version(
        contributor,
        item,
        files.docx(),
        "Policy v2.docx",
        **{"effective_date-day": "1", "effective_date-month": "9", "effective_date-year": "2025"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(EvidenceItem, item.id)
    assert item.current_version == 2 and item.effective_date.isoformat() == "2025-09-01"
    rows = db.session.query(EvidenceFile).filter_by(item_id=item.id).order_by("version").all()
    assert [(r.version, r.filename) for r in rows] == [
        (1, "Work experience policy.pdf"),
        (2, "Policy v2.docx"),
    ]

    soup = page(contributor.get(f"{base(org)}/{item.id}"))
    assert "Version 2 of Work experience policy has been uploaded." in soup.get_text()
    versions = [tr.get_text(" ", strip=True) for tr in soup.select("tbody tr")]
    assert versions[0].startswith("2 (current) Policy v2.docx (Word document")
    assert versions[1].startswith("1 Work experience policy.pdf (PDF")
    assert _has_link(soup, "Upload a new version") and _has_link(soup, "Remove from the library")
    old = lead.get(f"{base(org)}/{item.id}/versions/1/download")
    new = lead.get(f"{base(org)}/{item.id}/versions/2/download")
    assert (old.data, new.data) == (files.pdf(), files.docx())
    assert lead.get(f"{base(org)}/{item.id}/versions/3/download").status_code == 404
    library = page(lead.get(base(org)))
    assert library.select_one("tbody tr td:nth-of-type(2)").get_text().startswith("Word document")
    event = db.session.query(AuditEvent).filter_by(action="evidence-version-added").one()
    assert event.before["version"] == 1 and event.after["version"] == 2


def test_the_new_version_form_starts_with_the_items_date(clients, org):
    item = added_item(add(clients[Role.ORG_LEAD], org))
    soup = page(clients[Role.ORG_LEAD].get(f"{base(org)}/{item.id}/new-version"))
    assert soup.find("input", {"name": "effective_date-month"})["value"] == "4"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (files.pdf(), "same.pdf", SAME_AS_CURRENT),
        (files.plain_zip(), "v2.docx", "The selected file is a zip or other compressed archive"),
        (b"", "v2.pdf", "The selected file is empty"),
    ],
)
def test_a_refused_new_version_changes_nothing(clients, org, data, filename, message):
    item = added_item(add(clients[Role.ORG_LEAD], org))
    response = upload_new_version(clients[Role.ORG_LEAD], item, data, filename)
    assert response.status_code == 200
    assert error_summary(page(response))[0].startswith(message)
    assert db.session.query(EvidenceFile).count() == 1


def test_a_new_version_needs_a_file(clients, org):
    item = added_item(add(clients[Role.ORG_LEAD], org))
    url = f"{base(org)}/{item.id}/new-version"
    response = submit(clients[Role.ORG_LEAD], url, {}, content_type="multipart/form-data")
    assert error_summary(page(response)) == ["Select a file to upload"]


def test_links_and_statements_have_no_versions(clients, org):
    item = added_item(add(clients[Role.ORG_LEAD], org, kind="link", url="https://example.org"))
    assert clients[Role.ORG_LEAD].get(f"{base(org)}/{item.id}/new-version").status_code == 404


class RecordingScanner:
    def __init__(self, verdict: str | None = None, error: Exception | None = None) -> None:
        self.verdict, self.error = verdict, error
        self.seen: list[tuple[bytes, str]] = []

    def scan(self, data: bytes, filename: str) -> str | None:
        self.seen.append((data, filename))
        if self.error:
            raise self.error
        return self.verdict


def test_the_scanner_sees_each_file_before_it_is_kept(app, clients, org):
    scanner = RecordingScanner()
    app.extensions["accredit.scanner"] = scanner
    added_item(add(clients[Role.ORG_LEAD], org, filename="../policy.pdf"))
    assert scanner.seen == [(files.pdf(), "policy.pdf")]


def test_the_scanner_can_refuse_a_file(app, clients, org, settings):
    app.extensions["accredit.scanner"] = RecordingScanner("Eicar-Test-Signature FOUND")
    response = add(clients[Role.ORG_LEAD], org)
    assert error_summary(page(response)) == [uploads.SCAN_REFUSED]
    assert db.session.query(EvidenceItem).count() == 0
    assert not (settings.instance_path / "evidence").exists()
    event = db.session.query(AuditEvent).filter_by(action="upload-refused").one()
    assert "Eicar-Test-Signature" in event.detail and event.target == f"organisation:{org.id}"


def test_a_scanner_that_fails_lets_nothing_through(app, clients, org):
    app.extensions["accredit.scanner"] = RecordingScanner(error=ConnectionError("clamd down"))
    response = add(clients[Role.ORG_LEAD], org)
    assert error_summary(page(response)) == [uploads.SCAN_FAILED]
    assert db.session.query(EvidenceItem).count() == 0


def test_the_scanner_is_not_asked_about_files_we_refuse_anyway(app, clients, org):
    scanner = RecordingScanner()
    app.extensions["accredit.scanner"] = scanner
    add(clients[Role.ORG_LEAD], org, data=files.elf())
    assert scanner.seen == []


def _spy_on_detach(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Replace assessments.detach_evidence with a recorder (the module may not exist yet)."""
    calls: list[tuple[int, int]] = []
    try:
        import accredit.services.assessments.assessments as assessments
    except ImportError:
        assessments = types.ModuleType("accredit.services.assessments.assessments")
        monkeypatch.setitem(sys.modules, "accredit.services.assessments.assessments", assessments)
    monkeypatch.setattr(
        assessments,
        "detach_evidence",
        lambda item, actor: calls.append((item.id, actor.id)),
        raising=False,
    )
    return calls


def test_removing_hides_the_item_and_detaches_it(clients, people, org, monkeypatch):
    calls = _spy_on_detach(monkeypatch)
    lead = clients[Role.ORG_LEAD]
    item = added_item(add(lead, org))
    confirm = page(lead.get(f"{base(org)}/{item.id}/remove"))
    assert confirm.h1.get_text() == "Are you sure you want to remove Work experience policy?"
    response = submit(lead, f"{base(org)}/{item.id}/remove", {})
    assert response.status_code == 302 and response.headers["Location"] == base(org)
    assert calls == [(item.id, people[Role.ORG_LEAD].id)]

    db.session.expire_all()
    removed = db.session.get(EvidenceItem, item.id)
    assert removed.removed_at is not None
    assert db.session.query(EvidenceFile).filter_by(item_id=item.id).count() == 1  # history
    library = page(lead.get(base(org)))
    assert "has been removed from the evidence library" in library.get_text()
    assert "There is no evidence in the library yet." in library.get_text()
    for path in ("", "/versions/1/download", "/remove", "/new-version"):
        assert lead.get(f"{base(org)}/{item.id}{path}").status_code == 404
    assert db.session.query(AuditEvent).filter_by(action="evidence-removed").count() == 1


def test_removal_is_undone_when_detaching_fails(clients, org, monkeypatch):
    _spy_on_detach(monkeypatch)
    import accredit.services.assessments.assessments as assessments

    def broken(item, actor):
        raise RuntimeError("rescoring failed")

    monkeypatch.setattr(assessments, "detach_evidence", broken)
    lead = clients[Role.ORG_LEAD]
    item = added_item(add(lead, org))
    assert submit(lead, f"{base(org)}/{item.id}/remove", {}).status_code == 500
    db.session.expire_all()
    assert db.session.get(EvidenceItem, item.id).removed_at is None
    assert db.session.query(AuditEvent).filter_by(action="evidence-removed").count() == 0


def test_removal_takes_the_item_out_of_answers(app, clients, people, org, settings):
    """End to end with the assessments service's detach_evidence (not a spy)."""
    from accredit.data.models import (
        Answer,
        Cohort,
        CohortMembership,
        EvidenceLink,
        Organisation,
        User,
    )
    from accredit.services.assessments import assessments
    from accredit.services.operations.standards import sync_standards

    lead = clients[Role.ORG_LEAD]
    item = added_item(add(lead, org))
    list(sync_standards(settings))
    with unit_of_work():
        cohort = Cohort(
            name="2026 cohort", year=2026, standard_id="weqs", standard_version="2026.1"
        )
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=org.id))
    db.session.expire_all()
    fresh_org = db.session.get(Organisation, org.id)
    assessment = assessments.start(db.session.get(User, people[Role.ORG_LEAD].id), fresh_org)
    key = "1.1/evidence"
    with unit_of_work():
        db.session.add(Answer(assessment_id=assessment.id, key=key, value=[str(item.id)]))
        db.session.add(EvidenceLink(assessment_id=assessment.id, key=key, item_id=item.id))

    details = page(lead.get(f"{base(org)}/{item.id}"))
    assert "1.1 in the 2026 cohort self-assessment" in details.get_text(" ", strip=True)
    confirm = page(lead.get(f"{base(org)}/{item.id}/remove"))
    assert "Removing it takes it out of 1 answer." in confirm.get_text(" ", strip=True)

    assert submit(lead, f"{base(org)}/{item.id}/remove", {}).status_code == 302
    db.session.expire_all()
    assert db.session.query(EvidenceLink).count() == 0
    answer = db.session.query(Answer).filter_by(assessment_id=assessment.id, key=key).one()
    assert answer.value is None
