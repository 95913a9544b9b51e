"""Driving question pages the way a browser does: open the page, keep its tokens, post."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_BASE = re.compile(r'name="base" value="([^"]+)"')


def open_page(client: FlaskClient, url: str) -> dict[str, str]:
    html = client.get(url).get_data(as_text=True)
    token, base = _TOKEN.search(html), _BASE.search(html)
    assert token and base, f"{url} is not an editable question page"
    return {"csrf_token": token.group(1), "base": base.group(1)}


def post_page(
    client: FlaskClient,
    url: str,
    answers: dict[str, Any],
    *,
    action: str = "continue",
    tokens: dict[str, str] | None = None,
    scripted: bool = True,
) -> TestResponse:
    """Post answers; `scripted` says our page script ran (as in a browser with JavaScript)."""
    fields = tokens or open_page(client, url)
    extra = {"scripted": "yes"} if scripted else {}
    return client.post(url, data={**fields, **answers, "action": action, **extra})
