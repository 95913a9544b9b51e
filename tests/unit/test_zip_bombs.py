"""Zip bombs inside Office files are spotted from the central directory alone. Pure Python."""

from __future__ import annotations

import io
import zipfile
from typing import NoReturn

from accredit.services.evidence.zip_bombs import (
    MAX_EXPANDED,
    MAX_MEMBERS,
    RATIO_FLOOR,
    TOO_EXPANDED,
    TOO_MANY_PARTS,
    zip_bomb_problem,
)
from tests.support import bombs, files


def _zip(parts: dict[str, bytes], level: int = 9) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_real_documents_pass():
    for data in (files.docx(), files.xlsx(), files.pptx(), files.odt()):
        assert zip_bomb_problem(data) is None


def test_a_large_document_that_compresses_like_a_document_passes():
    prose = b"".join(
        b"<w:t>Placement %d went well; the learner shadowed ward staff.</w:t>" % n
        for n in range(60_000)
    )  # about 4 MB of XML, squeezed about 10 to 1
    assert len(prose) > 2 * RATIO_FLOOR
    assert zip_bomb_problem(_zip({"word/document.xml": prose})) is None


def test_compressed_zeros_are_refused_in_docx_and_xlsx():
    assert zip_bomb_problem(bombs.zeros("docx")) == TOO_EXPANDED
    assert zip_bomb_problem(bombs.zeros("xlsx")) == TOO_EXPANDED


def test_a_declared_gigabyte_is_refused_without_inflating_anything(monkeypatch):
    def inflate(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("a member was opened: the check must read only the directory")

    docx, xlsx = bombs.declared("docx"), bombs.declared("xlsx")
    monkeypatch.setattr(zipfile.ZipFile, "open", inflate)  # read() and extract() go through it
    assert zip_bomb_problem(docx) == TOO_EXPANDED
    assert zip_bomb_problem(xlsx) == TOO_EXPANDED


def test_many_members_that_each_look_harmless_are_refused_in_total():
    data = bombs.declared("xlsx", size=MAX_EXPANDED // 2)
    assert zip_bomb_problem(data) == TOO_EXPANDED  # squeezed far too hard, even alone
    stored = _zip({f"xl/media/image{n}.png": b"\x89PNG" + bytes(100) for n in range(3)}, level=0)
    assert zip_bomb_problem(stored) is None


def test_too_many_members_are_refused():
    parts = {f"xl/worksheets/sheet{n}.xml": b"" for n in range(MAX_MEMBERS + 1)}
    assert zip_bomb_problem(_zip(parts, level=1)) == TOO_MANY_PARTS


def test_what_is_not_a_zip_is_not_this_checks_business():
    assert zip_bomb_problem(b"PK\x03\x04 broken") is None
    assert zip_bomb_problem(files.pdf()) is None
