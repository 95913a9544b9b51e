"""Parsed pages, with the checks every page should pass."""

from __future__ import annotations

from bs4 import BeautifulSoup
from werkzeug.test import TestResponse


def page(response: TestResponse) -> BeautifulSoup:
    """Parse a response and fail on the mistakes any of our pages could make."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.title is not None and soup.title.string, "every page has a title"
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, f"a page has exactly one h1, found {len(h1s)}"
    assert soup.find("main", id="maincontent"), "the skip link needs #maincontent"
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    text = soup.get_text()
    assert "ChainableUndefined" not in text and "Undefined" not in text.split(), "template typo"
    return soup


def error_summary(soup: BeautifulSoup) -> list[str]:
    box = soup.select_one(".nhsuk-error-summary")
    return [a.get_text(strip=True) for a in box.select("a")] if box else []
