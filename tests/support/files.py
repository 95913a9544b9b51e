"""Real files, made in the test: the smallest documents each format allows, built byte by byte
so the type detection is tested on what people upload, not on hand-picked magic numbers."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib


def pdf(text: str = "Work experience policy", pages: int = 1) -> bytes:
    """A PDF of `pages` US Letter pages (page n says "<text>, page n"), with a cross-reference
    table whose offsets are right."""
    kids = " ".join(f"{3 + 2 * n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids.encode(), pages),
    ]
    font = 3 + 2 * pages
    for n in range(pages):
        label = text if pages == 1 else f"{text}, page {n + 1}"
        stream = f"BT /F1 24 Tf 72 700 Td ({label}) Tj ET".encode()
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R"
            b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * n, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return pdf_of(objects)


def pdf_of(objects: list[bytes]) -> bytes:
    """A PDF of these numbered objects (the first the catalog), with a cross-reference table
    whose offsets are right."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{main}"/></Relationships>'
)
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{main}" ContentType="application/vnd.openxmlformats-'
    'officedocument.{kind}.main+xml"/></Types>'
)


def _ooxml(main: str, kind: str, body: str, *, content_types_first: bool = True) -> bytes:
    parts = [
        ("[Content_Types].xml", _CONTENT_TYPES.format(main=main, kind=kind)),
        ("_rels/.rels", _RELS.format(main=main)),
        (main, body),
    ]
    if not content_types_first:  # as some tools write them: libmagic alone misses these
        parts = parts[1:] + parts[:1]
    return _zip(parts)


def _zip(parts: list[tuple[str, str | bytes]]) -> bytes:
    """Deflated, with fixed timestamps so the same parts always give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts:
            info = zipfile.ZipInfo(name, date_time=(2025, 4, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def docx(*, content_types_first: bool = True) -> bytes:
    body = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Induction checklist</w:t></w:r></w:p></w:body></w:document>"
    )
    return _ooxml(
        "word/document.xml",
        "wordprocessingml.document",
        body,
        content_types_first=content_types_first,
    )


def xlsx() -> bytes:
    body = (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheets><sheet name="Placements" sheetId="1"/></sheets></workbook>'
    )
    return _ooxml("xl/workbook.xml", "spreadsheetml.sheet", body)


def pptx() -> bytes:
    body = '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    return _ooxml("ppt/presentation.xml", "presentationml.presentation", body)


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The OpenDocument rule: "mimetype" first and stored uncompressed.
        stamp = (2025, 4, 1, 9, 0, 0)
        archive.writestr(
            zipfile.ZipInfo("mimetype", stamp), "application/vnd.oasis.opendocument.text"
        )
        archive.writestr(zipfile.ZipInfo("content.xml", stamp), "<office:document-content/>")
    return buffer.getvalue()


def png() -> bytes:
    """A 1x1 grey pixel."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def elf() -> bytes:
    """The 64-byte header of an x86-64 Linux executable."""
    ident = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8
    return ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, 0x401000, 64, 0, 0, 64, 56, 0, 64, 0, 0)


def pe() -> bytes:
    """A DOS stub pointing at a PE header for a 32-bit Windows program."""
    stub = b"MZ" + b"\x00" * 58 + struct.pack("<I", 64)
    return stub + b"PE\x00\x00" + struct.pack("<HH", 0x14C, 1) + b"\x00" * 200


def plain_zip() -> bytes:
    return _zip([("minutes.txt", "Board minutes, March"), ("photo.png", png())])


def csv() -> bytes:
    return b"placement,department,days\n1,Radiology,5\n2,Pharmacy,3\n3,Estates,2\n"
