"""Which evidence PDFs a pack can reproduce: every page is copied into a scratch document first,
so a damaged file is listed instead of stopping the pack. No Flask, no database."""

from __future__ import annotations

from accredit.services.reports.pdf_pages import reproducible_pages
from tests.support.files import pdf


def test_a_sound_pdf_gives_its_page_count():
    assert reproducible_pages(pdf("Policy", 3)) == 3


def test_an_empty_page_box_is_refused():
    data = pdf("Policy").replace(b"/MediaBox [0 0 612 792]", b"/MediaBox [0 0 000 000]")
    assert reproducible_pages(data) is None


def test_a_missing_resource_is_refused():
    good = pdf("Policy")
    data = good.replace(b"/F1 5 0 R", b"/F1 9 0 R")
    assert data != good and reproducible_pages(data) is None


def test_an_unsupported_stream_filter_is_refused():
    data = pdf("Policy").replace(b"<< /Length ", b"<< /Filter /NoSuchDecode /Length ")
    assert reproducible_pages(data) is None


def test_garbage_and_encrypted_files_are_refused():
    assert reproducible_pages(b"%PDF-1.4\nnot really a pdf") is None
    assert reproducible_pages(b"") is None
    encrypted = pdf("Policy").replace(
        b"/Root 1 0 R",
        b"/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>",
    )
    assert reproducible_pages(encrypted) is None
