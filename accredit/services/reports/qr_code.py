"""QR codes as SVG data URIs: the page's Content-Security-Policy allows ``img-src data:`` but
no inline styles, so an <img> carrying the SVG is the one way to show one without a route
(and the secret it holds then never sits in a URL, a log or a cache)."""

from __future__ import annotations

import base64
import io

import segno


def svg_bytes(text: str) -> bytes:
    """The QR code of ``text`` as an SVG file."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    # A quiet zone of four modules (the standard's minimum) and dark on white, so phones read
    # it in any theme; scale 5 gives a picture about 200 pixels across.
    code.save(out, kind="svg", scale=5, border=4, dark="#000", light="#fff", xmldecl=False)
    return out.getvalue()


def svg_data_uri(text: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg_bytes(text)).decode("ascii")
