"""The verify page: a genuine pack, an edited copy, a random PDF, fingerprints pasted."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from accredit.data.models import Assessment, User
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.reports import packs
from accredit.services.reports.packs import PackScope
from accredit.services.storage.stores import pack_storage_for, storage_for
from tests.support import files
from tests.support.forms import csrf_token
from tests.support.html import error_summary, page


@pytest.fixture
def made(app, enrol, org, people, settings, printing):
    """A pack made for a Bronze-ready assessment: (pack, its bytes)."""
    with app.app_context():
        lead = db.session.get(User, people[Role.ORG_LEAD].id)
        assessment = seed_stage(enrol(org), lead, Stage.BRONZE)
        pack = packs.make(
            db.session.get(Assessment, assessment.id),
            PackScope.LEVEL,
            storage_for(settings),
            pack_storage_for(settings),
            printing,
        )
        return pack, pack_storage_for(settings).read(pack.file_sha256)


def _verify(client, *, data: bytes | None = None, fingerprint: str = "", name="pack.pdf"):
    form = {"csrf_token": csrf_token(client, "/verify"), "fingerprint": fingerprint}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    response = client.post("/verify", data=form, content_type="multipart/form-data")
    assert response.status_code == 200
    return page(response)


def _verdict(doc) -> str:
    box = doc.select_one("#outcome")
    assert box is not None, doc.get_text(" ", strip=True)[:500]
    return " ".join(box.get_text(" ", strip=True).split())


def test_a_genuine_pack_is_recognised_with_its_organisation_and_date(clients, made, org):
    pack, data = made
    text = _verdict(_verify(clients[Role.HEE_REVIEWER], data=data))
    assert "Genuine: this file is the pack the service made" in text
    assert org.name in text and org.ods_code in text
    assert pack.fingerprint in text
    assert pack.created_at.strftime("%-d %B %Y") in text
    assert "criteria for the level claimed" in text
    assert "The assessment has not changed" in text


def _edited(data: bytes, *, keep_metadata: bool = True) -> bytes:
    """The pack opened and saved again with a page's words changed, as an editor would."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    if not keep_metadata:
        writer.metadata = None
        writer.add_metadata({"/Producer": "Some PDF editor"})
    writer.add_blank_page()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("keep_metadata", [True, False])
def test_an_edited_copy_is_refused_plainly(clients, made, org, keep_metadata):
    pack, data = made
    text = _verdict(
        _verify(clients[Role.HEE_ADMIN], data=_edited(data, keep_metadata=keep_metadata))
    )
    assert "Not genuine: this file has been changed" in text
    assert pack.fingerprint in text  # found in its metadata, or printed on its pages
    assert org.name in text  # whose pack it claims to be
    assert "Genuine:" not in text


def test_a_random_pdf_and_a_non_pdf_are_not_packs(clients, made):
    hee = clients[Role.HEE_REVIEWER]
    assert "Not an evidence pack from this service" in _verdict(_verify(hee, data=files.pdf()))
    assert "Not an evidence pack from this service" in _verdict(
        _verify(hee, data=b"just some text", name="notes.txt")
    )


def test_a_pasted_fingerprint_is_looked_up(clients, made, org):
    pack, _ = made
    hee = clients[Role.HEE_REVIEWER]
    text = _verdict(_verify(hee, fingerprint=pack.fingerprint.upper()))
    assert "This fingerprint belongs to a stored snapshot" in text and org.name in text
    unknown = _verdict(_verify(hee, fingerprint="ab" * 32))
    assert "Not recognised: no assessment has this fingerprint" in unknown


def test_bad_input_gets_a_clear_message(clients):
    hee = clients[Role.HEE_REVIEWER]
    assert error_summary(_verify(hee)) == ["Upload a pack or paste its fingerprint"]
    assert error_summary(_verify(hee, fingerprint="not-a-fingerprint")) == [
        "A fingerprint is 64 characters, each a digit or a letter from a to f"
    ]


def test_organisation_staff_cannot_verify(clients):
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        assert clients[role].get("/verify").status_code == 403


def test_a_pack_larger_than_an_evidence_upload_can_be_verified(clients, made, settings):
    """Packs carry their evidence: the verify page takes files beyond the upload limit."""
    pack, data = made
    padded = data + b"\n%" + b"x" * (settings.max_upload_mb * 1024 * 1024 + 10)
    text = _verdict(_verify(clients[Role.HEE_REVIEWER], data=padded))
    assert "Not genuine: this file has been changed" in text and pack.fingerprint in text


def test_a_file_over_the_pack_limit_is_refused_on_the_form(clients, monkeypatch):
    from accredit.web.verify import routes as verify

    monkeypatch.setattr(verify, "MAX_PACK_BYTES", 64 * 1024)
    hee = clients[Role.HEE_REVIEWER]
    form = {
        "csrf_token": csrf_token(hee, "/verify"),
        "file": (io.BytesIO(b"%PDF-1.7\n" + b"x" * 70 * 1024), "huge.pdf"),
    }
    response = hee.post("/verify", data=form, content_type="multipart/form-data")
    assert response.status_code == 413
    assert error_summary(page(response)) == ["The file must be smaller than 300 MB"]


def test_the_verify_form_still_needs_its_token(clients, made):
    _, data = made
    response = clients[Role.HEE_REVIEWER].post(
        "/verify",
        data={"file": (io.BytesIO(data), "pack.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
