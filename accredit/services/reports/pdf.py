"""HTML to PDF with WeasyPrint: the only module that imports it.

Rendering is locked down. WeasyPrint fetches stylesheets and images through ``SafeFetcher``,
which answers only ``accredit:`` URLs: the app's own static files (``accredit:static/...``,
resolved inside the static folder) and the resources the caller hands over for this one
document (``accredit:resource/<name>``: generated images and evidence images, by name). Nothing
comes from the network or the file system, whatever an answer's text says: user content is
escaped by the template, and even a URL that slipped through would be refused here.

Documents are tagged PDF/UA-1 (structure tree, language, title, bookmarks from headings).
"""

from __future__ import annotations

import io
import logging
import mimetypes
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

# WeasyPrint narrates every step at INFO ("Fetching and parsing CSS"), starting as it is
# imported: quiet it first.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

log = logging.getLogger("accredit.pdf")

SCHEME = "accredit:"
STATIC = SCHEME + "static/"
RESOURCE = SCHEME + "resource/"
BASE_URL = SCHEME + "document/"
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True, slots=True)
class Resource:
    data: bytes
    media_type: str


class SafeFetcher(URLFetcher):
    """Serves the app's static files and the document's own resources; refuses the rest,
    keeping a list of what it refused (tests read it; the log says it too)."""

    def __init__(self, static_root: Path, resources: Mapping[str, Resource] | None = None) -> None:
        super().__init__(
            timeout=1, allowed_protocols={"accredit"}, allow_redirects=False, fail_on_errors=False
        )
        self.static_root = static_root.resolve()
        self.resources = dict(resources or {})
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        found = self._find(url)
        if found is None:
            self.refused.append(url)
            log.warning("PDF rendering refused a resource: %.200s", url)
            raise ValueError("This document may only use the service's own files")
        self.served.append(url)
        return URLFetcherResponse(url, body=found.data, headers={"Content-Type": found.media_type})

    def _find(self, url: str) -> Resource | None:
        if url.startswith(RESOURCE):
            return self.resources.get(url[len(RESOURCE) :])
        if url.startswith(STATIC):
            relative = url[len(STATIC) :].split("?", 1)[0].split("#", 1)[0]
            path = (self.static_root / relative).resolve()
            if not path.is_relative_to(self.static_root) or not path.is_file():
                return None
            media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return Resource(path.read_bytes(), media_type)
        return None


@dataclass
class Rendered:
    data: bytes
    pages: int
    #: Element id -> 0-based page index, for every id in the document (where things landed).
    anchors: dict[str, int] = field(default_factory=dict)


def render(
    html: str, fetcher: SafeFetcher, finisher: Callable[[Any, Any], None] | None = None
) -> Rendered:
    """Lay out and write the document (tagged PDF/UA-1). ``finisher(document, pdf)`` may add
    to the PDF's objects just before they are written (see pdf_pages.draw_evidence)."""
    out = io.BytesIO()
    pages, anchors = render_into(out, html, fetcher, finisher)
    return Rendered(out.getvalue(), pages, anchors)


def render_into(
    target: IO[bytes],
    html: str,
    fetcher: SafeFetcher,
    finisher: Callable[[Any, Any], None] | None = None,
) -> tuple[int, dict[str, int]]:
    """``render`` written straight into ``target`` (a file, so a large pack is never held
    whole in memory): its page count and anchors."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
        pdf_variant=PDF_VARIANT
    )
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    document.write_pdf(target, pdf_variant=PDF_VARIANT, finisher=finisher)
    return len(document.pages), anchors


def plain(html: str, fetcher: SafeFetcher) -> bytes:
    """The same HTML through WeasyPrint alone, nothing added (the benchmark's yardstick)."""
    data = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT
    )
    assert data is not None
    return data
