"""The page that refuses unsavable characters, through axe-core in Chromium."""

from __future__ import annotations

import pytest

from tests.browser.support import Site

pytestmark = pytest.mark.browser


def test_the_unsavable_characters_page_explains_and_is_accessible(site: Site) -> None:
    site.goto("/sign-in?next=%00", status=400)  # Site runs axe and the console checks
    assert site.heading() == "The form contains a character that cannot be saved"
    assert "Nothing you entered has been saved." in site.main_text()
    assert "null character" in site.page.locator(".nhsuk-error-summary").inner_text()
