"""Evidence as organisations upload it, for the pack benches: typeset PDFs with embedded fonts
and a scanned document whose pages are photographs.

- ``typeset_pdf``: a report or policy of N pages, laid out by WeasyPrint from HTML, so its
  fonts (DejaVu Sans, subset) are embedded as a word processor's export would have them;
- ``scanned_pdf``: N A4 pages scanned in colour at 150 dpi, each one JPEG with the grain of a
  scanner (noise compresses poorly, as real scans do), about ``megabytes`` in all.
"""

from __future__ import annotations

import io
import random

from tests.support.files import pdf_of

WORDS = [
    "placement",
    "students",
    "supervisor",
    "induction",
    "safeguarding",
    "feedback",
    "learning",
    "school",
    "college",
    "apprenticeship",
    "ward",
    "clinic",
    "pharmacy",
    "estates",
    "careers",
    "outreach",
    "evaluation",
    "survey",
    "young",
    "people",
    "employer",
    "volunteer",
    "shadowing",
    "portfolio",
    "reflection",
    "mentor",
    "trust",
    "practice",
]


def typeset_pdf(title: str, pages: int, seed: int = 1) -> bytes:
    """A typeset document of exactly ``pages`` pages."""
    from weasyprint import HTML

    rng = random.Random(seed)
    body = []
    for page in range(1, pages + 1):
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(WORDS) for _ in range(70)).capitalize() + ".</p>"
            for _ in range(6)
        )
        body.append(f"<section><h2>{title}: part {page}</h2>{paragraphs}</section>")
    html = (
        "<style>@page { size: A4; margin: 2cm } body { font-family: 'DejaVu Sans'; "
        "font-size: 10pt } section { break-after: page; height: 24cm; overflow: hidden }"
        "section:last-child { break-after: auto }</style>" + "".join(body)
    )
    return HTML(string=html).write_pdf()


def scanned_pdf(pages: int = 20, megabytes: float = 19.0, seed: int = 1) -> bytes:
    """``pages`` scanned A4 pages, about ``megabytes`` MB: one JPEG image per page."""
    from PIL import Image, ImageDraw

    random.seed(seed)
    per_page = megabytes * 1_000_000 / pages
    images = []
    for page in range(1, pages + 1):
        channels = [Image.effect_noise((1240, 1754), 30 + page % 3 + c) for c in range(3)]
        sheet = Image.merge(
            "RGB", [Image.eval(c, lambda v: min(255, 120 + v // 2)) for c in channels]
        )
        draw = ImageDraw.Draw(sheet)
        for line in range(40):
            box = (120, 200 + line * 36, 1100 - (line * 37) % 300, 212 + line * 36)
            draw.rectangle(box, (30, 30, 40))
        images.append(_at_size(sheet, per_page))
    return _pdf_of_jpegs(images, 1240, 1754)


def _pdf_of_jpegs(images: list[bytes], width: int, height: int) -> bytes:
    """A PDF with one JPEG filling each A4 page, the JPEG bytes embedded as they are (as a
    scanner writes them; Pillow's PDF writer would encode them again)."""
    count = len(images)
    kids = " ".join(f"{3 + 3 * n} 0 R" for n in range(count))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode())
    draw = b"q 595.28 0 0 841.89 0 0 cm /Scan Do Q"
    for n, jpeg in enumerate(images):
        content, image = 4 + 3 * n, 5 + 3 * n
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents {content} 0 R"
            f" /Resources << /XObject << /Scan {image} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(draw), draw))
        objects.append(
            f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height}"
            f" /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode"
            f" /Length {len(jpeg)} >>\nstream\n".encode()
            + jpeg
            + b"\nendstream"
        )
    return pdf_of(objects)


def _at_size(image, wanted: float) -> bytes:  # type: ignore[no-untyped-def]
    """The image as a JPEG of about ``wanted`` bytes (the quality found by halving)."""
    low, high, best = 20, 95, b""
    while low <= high:
        quality = (low + high) // 2
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, subsampling=0)
        best = buffer.getvalue()
        if len(best) > wanted:
            high = quality - 1
        else:
            low = quality + 1
    return best
