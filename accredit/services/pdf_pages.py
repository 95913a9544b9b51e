"""Evidence PDFs' pages drawn onto pages the pack reserved for them (pypdf).

The pack is laid out by WeasyPrint with one reserved page per evidence page, carrying the
running header and footer (organisation, fingerprint, page X of Y) and a tagged caption. Each
evidence page is then scaled into the reserved page's frame. The pack's own objects are kept as
they are (structure tree, outline, language, title, metadata), since evidence is drawn onto
existing pages rather than added as new ones; the drawn content is marked as an artifact, the
caption being its accessible description.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import DecodedStreamObject, NameObject

log = logging.getLogger("accredit.pdf")
MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class Frame:
    """Where evidence is drawn on a reserved page, in points from the bottom left."""

    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True, slots=True)
class Placement:
    page_index: int
    #: Which evidence file (its SHA-256): each is read once however many pages it gives.
    source: str
    source_page: int


def page_count(data: bytes) -> int | None:
    """How many pages a PDF has, or None when it cannot be read (damaged, or encrypted)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        log.info("Evidence PDF cannot be read: %s", type(error).__name__)
        return None


def place(
    pack: bytes, placements: list[Placement], sources: dict[str, bytes], frame: Frame
) -> bytes:
    if not placements:
        return pack
    original = PdfReader(io.BytesIO(pack))
    writer = PdfWriter(clone_from=original)
    writer.pdf_header = original.pdf_header  # keep the version PDF/UA asked for (1.7)
    readers: dict[str, PdfReader] = {}
    for placement in placements:
        reader = readers.get(placement.source)
        if reader is None:
            reader = readers[placement.source] = PdfReader(io.BytesIO(sources[placement.source]))
        evidence = reader.pages[placement.source_page]
        if evidence.rotation:
            evidence.transfer_rotation_to_content()
        _fit_as_artifact(evidence, frame)
        writer.pages[placement.page_index].merge_page(evidence, over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _fit_as_artifact(page: object, frame: Frame) -> None:
    """Scale and centre the page's content in the frame, wrapped as an artifact."""
    from pypdf import PageObject

    assert isinstance(page, PageObject)
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    frame_w, frame_h = frame.right - frame.left, frame.top - frame.bottom
    scale = min(frame_w / width, frame_h / height)
    tx = frame.left + (frame_w - width * scale) / 2 - float(box.left) * scale
    ty = frame.bottom + (frame_h - height * scale) / 2 - float(box.bottom) * scale
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    stream = DecodedStreamObject()
    stream.set_data(
        b"/Artifact BMC q %.5f 0 0 %.5f %.3f %.3f cm\n" % (scale, scale, tx, ty)
        + data
        + b"\nQ EMC\n"
    )
    # Set directly: the page belongs to the evidence file's reader, and merge_page copies it.
    page[NameObject("/Contents")] = stream
    # Links and form fields of the evidence are not carried over: they would point nowhere.
    if "/Annots" in page:
        del page["/Annots"]
