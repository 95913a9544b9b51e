"""Issue 18's first finding, repeated in Chromium: a lead stores markup in an evidence
description and an organisation's name holds markup; the HEE admin who opens the pages sees
the text as typed, stays on the page, and no injected element exists."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.organisations import Role
from tests.browser.server import PASSWORD, Live
from tests.browser.support import Site

pytestmark = pytest.mark.browser

DESCRIPTION = (
    '<meta http-equiv="refresh" content="1;url=https://evil.example/phish">'
    "<h2>Your session has expired</h2>"
    '<a href="https://evil.example/login">Sign in again</a>'
    "<script>document.title='owned'</script><img src=x onerror=\"document.title='owned'\">"
    "<svg onload=\"document.title='owned'\"></svg>"
)
ORG_NAME = "<b id=orgxss>Evil</b> <img src=x> Trust"
INJECTED = (
    "meta[http-equiv], a[href*='evil.example'], #orgxss, img[src='x'], img[onerror], svg[onload]"
)


def test_stored_markup_reaches_hee_staff_as_text(open_site, live: Live) -> None:
    organisation = live.make_org(ORG_NAME, ods_code="RX9")
    lead = live.make_user(Role.ORG_LEAD, organisation, email="lead@evil.example.nhs.uk")
    admin = live.make_user(Role.HEE_ADMIN, email="admin@hee.example.nhs.uk", name="Alex Admin")

    writer: Site = open_site()
    writer.sign_in(lead.email, PASSWORD)
    assert writer.page.locator(INJECTED).count() == 0  # the home card names the organisation
    assert ORG_NAME in writer.main_text()
    writer.goto(f"/organisations/{organisation.id}/evidence/new?kind=statement")
    writer.submit(
        {
            "Statement": "We induct every learner.",
            "Title": "Induction",
            "Description (optional)": DESCRIPTION,
        },
        "Add to the library",
    )
    assert writer.heading() == "Induction"
    item_path = writer.path

    reader: Site = open_site()
    reader.sign_in(admin.email, PASSWORD)
    reader.goto(item_path)
    reader.page.wait_for_timeout(2500)  # longer than the refresh's one second
    assert reader.path == item_path, "the page was sent elsewhere"
    assert reader.page.locator(INJECTED).count() == 0
    assert reader.page.locator("main h2", has_text="Your session has expired").count() == 0
    assert reader.page.title() != "owned"
    assert DESCRIPTION in reader.main_text()
    for path in (
        f"/organisations/{organisation.id}",
        f"/organisations/{organisation.id}/activity-returns",
        f"/organisations/{organisation.id}/delete",
        "/organisations/new",
    ):
        reader.goto(path)
        assert reader.page.locator(INJECTED).count() == 0, path
