"""Hostile uploads: disguised types, zip bombs inside Office files, files over the limit, odd
names, and unsavable characters in the fields around the file. Every refusal says why on the
form and keeps nothing; every accepted file is stored under its hash with a safe name."""

from __future__ import annotations

import hashlib

import pytest

from accredit.data.models import EvidenceFile, EvidenceItem
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.evidence import filetypes, zip_bombs
from accredit.web.input_guard import MESSAGE as UNSAVABLE
from tests.integration.evidence_helpers import add, added_item, base, upload_new_version
from tests.support import bombs, files
from tests.support.html import error_summary, page

MiB = 1024 * 1024


def _stored(settings) -> list:
    root = settings.instance_path / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _refused(response, message: str) -> None:
    assert response.status_code in (200, 413), response.status_code
    soup = page(response)
    assert error_summary(soup) == [message]
    assert soup.title.string.startswith("Error: ")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (files.pe(), "report.pdf", filetypes.PROGRAM),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script>", "report.pdf", None),
        (b"<html><head><title>x</title></head></html>", "notes.docx", None),
        (bombs.zeros("docx"), "induction.docx", zip_bombs.TOO_EXPANDED),
        (bombs.zeros("xlsx"), "placements.xlsx", zip_bombs.TOO_EXPANDED),
        (bombs.declared("docx"), "induction.docx", zip_bombs.TOO_EXPANDED),
        (bombs.declared("xlsx"), "placements.xlsx", zip_bombs.TOO_EXPANDED),
    ],
    ids=[
        "exe-as-pdf",
        "html-as-pdf",
        "html-as-docx",
        "zeros-docx",
        "zeros-xlsx",
        "declared-gigabyte-docx",
        "declared-gigabyte-xlsx",
    ],
)
def test_disguised_files_and_zip_bombs_are_refused_and_nothing_is_kept(
    clients, org, settings, data, filename, message
):
    response = add(clients[Role.ORG_LEAD], org, data=data, filename=filename)
    _refused(response, message or filetypes.UNRECOGNISED)
    assert db.session.query(EvidenceItem).count() == 0
    assert _stored(settings) == []


def test_a_zip_bomb_is_refused_as_a_new_version_too(clients, org, settings):
    client = clients[Role.ORG_LEAD]
    item = added_item(add(client, org))
    response = upload_new_version(client, item, bombs.declared("docx"), "policy v2.docx")
    _refused(response, zip_bombs.TOO_EXPANDED)
    db.session.expire_all()
    assert db.session.query(EvidenceFile).filter_by(item_id=item.id).count() == 1
    assert len(_stored(settings)) == 1


def test_a_pdf_named_docx_is_kept_as_the_pdf_it_is(clients, org, settings):
    item = added_item(add(clients[Role.ORG_LEAD], org, filename="policy.docx"))
    row = db.session.query(EvidenceFile).filter_by(item_id=item.id).one()
    assert (row.filename, row.media_type) == ("policy.pdf", "application/pdf")


def test_a_file_over_the_limit_is_answered_on_the_form_and_nothing_is_kept(
    app, clients, org, settings
):
    app.extensions["accredit.settings"].max_upload_mb = 1
    app.config["MAX_CONTENT_LENGTH"] = MiB
    client = clients[Role.ORG_LEAD]
    response = add(client, org, data=b"%PDF-1.7\n" + bytes(5 * MiB), filename="scan.pdf")
    assert response.status_code == 413
    assert error_summary(page(response)) == ["The selected file must be 1MB or smaller"]
    item = added_item(add(client, org))
    response = upload_new_version(client, item, b"x" * (3 * MiB), "big.txt")
    assert response.status_code == 413
    assert error_summary(page(response)) == ["The selected file must be 1MB or smaller"]
    assert len(_stored(settings)) == 1


@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        ("../../x.pdf", "x.pdf"),
        ("/etc/../../x.pdf", "x.pdf"),
        ("pol\x00icy.pdf", "policy.pdf"),
        ("evil\u202efdp.exe", "evilfdp.pdf"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
        ("....", "evidence.pdf"),
        (".", "evidence.pdf"),
        ("CON.pdf", "evidence-CON.pdf"),
        ("lpt1.tar.pdf", "evidence-lpt1.tar.pdf"),
        ("📄 policy 😀.pdf", "📄 policy 😀.pdf"),
        ("<img src=x onerror=alert(1)>.pdf", "_img src=x onerror=alert(1)_.pdf"),
    ],
)
def test_odd_names_are_made_safe_stored_under_the_hash_and_shown_escaped(
    clients, org, settings, filename, stored
):
    client = clients[Role.ORG_LEAD]
    item = added_item(add(client, org, filename=filename))
    row = db.session.query(EvidenceFile).filter_by(item_id=item.id).one()
    assert row.filename == stored
    assert row.sha256 == hashlib.sha256(files.pdf()).hexdigest()
    (path,) = _stored(settings)
    assert path.name.startswith(row.sha256[:12]) or row.sha256 in str(path)
    html = client.get(f"{base(org)}/{item.id}").get_data(as_text=True)
    assert "<img src=x" not in html and "\u202e" not in html
    download = client.get(f"{base(org)}/{item.id}/versions/1/download")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("field", ["title", "description"])
@pytest.mark.parametrize("value", ["Policy\x00", "\x00"])
def test_unsavable_characters_around_a_file_are_refused_with_a_message(
    clients, org, settings, field, value
):
    response = add(clients[Role.ORG_LEAD], org, **{field: value})
    assert response.status_code == 400
    soup = page(response)
    assert UNSAVABLE in soup.select_one(".nhsuk-error-summary").get_text(" ", strip=True)
    assert db.session.query(EvidenceItem).count() == 0
    assert _stored(settings) == []
