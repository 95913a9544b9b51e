"""Evidence PDFs' pages drawn onto pages the pack reserved for them.

The pack is laid out by WeasyPrint with one reserved page per evidence page, carrying the
running header and footer (organisation, fingerprint, page X of Y) and a tagged caption. Just
before WeasyPrint writes the file, ``draw_evidence`` (its "finisher") turns each evidence page
into a form XObject, copied from the evidence file with pypdf, and draws it scaled into the
reserved page's frame, marked as an artifact (the caption is its accessible description).

Nothing else in the document changes: the structure tree, outline, language, title and
metadata are WeasyPrint's own, written once. pypdf only reads the evidence files.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pydyf
from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
)

log = logging.getLogger("accredit.pdf")
MM = 72 / 25.4
#: Keys never copied from an evidence file: they would drag its page tree, links or tags along.
_SKIPPED = {"/Parent", "/Annots", "/B", "/StructParents", "/StructParent", "/Length"}


@dataclass(frozen=True, slots=True)
class Frame:
    """Where evidence is drawn on a reserved page, in points from the bottom left."""

    left: float
    bottom: float
    right: float
    top: float


@dataclass(frozen=True, slots=True)
class Placement:
    #: The reserved page's element id in the pack's HTML (found on its page after layout).
    anchor: str
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
    except Exception as error:  # pypdf raises many kinds on damaged files
        log.info("Evidence PDF cannot be read: %s", type(error).__name__)
        return None


def reproducible_pages(data: bytes) -> int | None:
    """How many pages a PDF has when every one of them can be drawn into a pack; None when it
    cannot be read or any page cannot be copied (damaged, encrypted, an unsupported filter, an
    empty page box). Each page is copied into a scratch document, exactly as the pack will, so
    one bad file is listed instead of stopping the whole pack."""
    pages = page_count(data)
    if pages is None:
        return None
    try:
        reader = PdfReader(io.BytesIO(data))
        copier = _Copier(pydyf.PDF())
        for page in reader.pages:
            copier.form_xobject(page, "check")
            _fit(page, Frame(0, 0, 100, 100))
    except Exception as error:  # whatever pypdf raises for this file, the answer is "no"
        log.info("Evidence PDF cannot be reproduced: %s", type(error).__name__)
        return None
    return pages


Finisher = Callable[[Any, Any], None]


def draw_evidence(placements: list[Placement], sources: dict[str, bytes], frame: Frame) -> Finisher:
    """A WeasyPrint finisher drawing each placement on its reserved page, found by the
    placement's anchor among the laid-out document's pages."""

    def finish(document: Any, pdf: pydyf.PDF) -> None:
        where = {name: index for index, page in enumerate(document.pages) for name in page.anchors}
        kids = pdf.pages["Kids"][::3]
        copier = _Copier(pdf)
        readers: dict[str, PdfReader] = {}
        for number, placement in enumerate(placements):
            reader = readers.get(placement.source)
            if reader is None:
                reader = readers[placement.source] = PdfReader(
                    io.BytesIO(sources[placement.source])
                )
            evidence = reader.pages[placement.source_page]
            form = copier.form_xobject(evidence, placement.source)
            page = pdf.objects[kids[where[placement.anchor]]]
            _draw(pdf, page, f"AccreditEvidence{number}", form, _fit(evidence, frame))

    return finish


def _fit(page: PageObject, frame: Frame) -> bytes:
    """The ``cm`` operator that scales the page's box into the frame, centred."""
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    if width <= 0 or height <= 0:
        raise ValueError("the page has an empty box")
    frame_w, frame_h = frame.right - frame.left, frame.top - frame.bottom
    scale = min(frame_w / width, frame_h / height)
    tx = frame.left + (frame_w - width * scale) / 2 - float(box.left) * scale
    ty = frame.bottom + (frame_h - height * scale) / 2 - float(box.bottom) * scale
    return b"%.5f 0 0 %.5f %.3f %.3f cm" % (scale, scale, tx, ty)


def _draw(pdf: pydyf.PDF, page: pydyf.Dictionary, name: str, form: bytes, fit: bytes) -> None:
    """Two more content streams around the page's own: one saving the graphics state before
    it (WeasyPrint's page content leaves its coordinate flip in place), one restoring it and
    drawing the form XObject as an artifact."""
    before = pydyf.Stream([b"q"])
    drawing = pydyf.Stream([b"Q q /Artifact BMC", fit, b"/" + name.encode(), b"Do EMC Q"])
    pdf.add_object(before)
    pdf.add_object(drawing)
    contents = page["Contents"]
    page["Contents"] = pydyf.Array(
        [
            before.reference,
            *(contents if isinstance(contents, list) else [contents]),
            drawing.reference,
        ]
    )
    resources = _resolve(pdf, page["Resources"])
    xobjects = _resolve(pdf, resources.setdefault("XObject", pydyf.Dictionary()))
    xobjects[name] = form


_MARKED = re.compile(rb"<<\s*/MCID\s+\d+\s*>>\s*BDC")


def _untagged(content: bytes) -> bytes:
    """A tagged evidence file's marked content ids point into its own structure tree, not
    ours: inside our artifact they become plain marked content."""
    return _MARKED.sub(b"BMC", content)


def _resolve(pdf: pydyf.PDF, value: Any) -> Any:
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


class _Raw(pydyf.Object):
    """An object copied from an evidence file, already serialised."""

    def __init__(self) -> None:
        super().__init__()
        self.payload = b""

    @property
    def data(self) -> bytes:
        return self.payload

    @property
    def compressible(self) -> bool:
        return False


class _Copier:
    """Copies evidence pages' objects into the pack, renumbered, each at most once per file."""

    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        self.copied: dict[tuple[str, int, int], int] = {}

    def form_xobject(self, page: PageObject, source: str) -> bytes:
        """The evidence page as a form XObject; returns its reference."""
        if page.rotation:
            page.transfer_rotation_to_content()
        contents = page.get_contents()
        box = page.cropbox
        extra = {
            "Type": "/XObject",
            "Subtype": "/Form",
            "BBox": pydyf.Array(
                [float(box.left), float(box.bottom), float(box.right), float(box.top)]
            ),
        }
        if "/Resources" in page:
            extra["Resources"] = self._bytes(page.raw_get("/Resources"), source)
        content = contents.get_data() if contents is not None else b""
        form = pydyf.Stream([_untagged(content)], extra, compress=True)
        self.pdf.add_object(form)
        return form.reference

    def _bytes(self, obj: object, source: str) -> bytes:
        """The object written out, its references renumbered into the pack."""
        if isinstance(obj, IndirectObject):
            key = (source, obj.idnum, obj.generation)
            number = self.copied.get(key)
            if number is None:
                raw = _Raw()
                self.pdf.add_object(raw)
                number = self.copied[key] = raw.number
                raw.payload = self._bytes(obj.get_object(), source)  # cycles end at the key
            return b"%d 0 R" % number
        if isinstance(obj, StreamObject):
            head = self._dictionary(obj, source, extra=b"/Length %d" % len(obj._data))
            return head + b"\nstream\n" + obj._data + b"\nendstream"
        if isinstance(obj, DictionaryObject):
            return self._dictionary(obj, source)
        if isinstance(obj, ArrayObject):
            return b"[" + b" ".join(self._bytes(v, source) for v in obj) + b"]"
        if not isinstance(obj, PdfObject):
            raise ValueError(f"cannot copy {type(obj).__name__} from an evidence file")
        out = io.BytesIO()
        obj.write_to_stream(out)
        return out.getvalue()

    def _dictionary(self, obj: DictionaryObject, source: str, extra: bytes = b"") -> bytes:
        parts = [extra] if extra else []
        for key, value in obj.items():
            if key in _SKIPPED:
                continue
            parts.append(self._bytes(key, source) + b" " + self._bytes(value, source))
        return b"<<" + b" ".join(parts) + b">>"
