"""Office files that are zip bombs, built small and fast: a real member of compressed zeros,
or a tiny member whose central directory entry declares a gigabyte."""

from __future__ import annotations

import io
import struct
import zipfile

from tests.support.files import _CONTENT_TYPES, _RELS

KINDS = {
    "docx": ("word/document.xml", "wordprocessingml.document"),
    "xlsx": ("xl/workbook.xml", "spreadsheetml.sheet"),
}
GIGABYTE = 1024**3


def _office_zip(kind: str, main_content: bytes) -> bytes:
    main, media = KINDS[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES.format(main=main, kind=media))
        archive.writestr("_rels/.rels", _RELS.format(main=main))
        archive.writestr(main, main_content)
    return buffer.getvalue()


def zeros(kind: str, megabytes: int = 8) -> bytes:
    """An Office file whose main part is ``megabytes`` of zeros, compressed about 1000 to 1."""
    return _office_zip(kind, bytes(megabytes * 1024 * 1024))


def declared(kind: str, size: int = GIGABYTE) -> bytes:
    """An Office file whose main part says it inflates to ``size`` bytes (it does not)."""
    main = KINDS[kind][0].encode()
    data = bytearray(_office_zip(kind, b"<x/>" * 1000))
    # Local header: uncompressed size at offset 22; central directory entry: at offset 24.
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start != -1:
            if data[start + name_at : start + name_at + len(main)] == main:
                struct.pack_into("<I", data, start + offset, size)
            start = data.find(signature, start + 4)
    return bytes(data)
