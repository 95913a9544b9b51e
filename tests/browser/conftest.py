"""Browser tier: the real app on a live server, driven by headless Debian Chromium.

* No Chromium at /usr/bin/chromium: every browser test is skipped, saying how to get it.
  Playwright never downloads a browser of its own here.
* One live server per pytest session (tests/browser/server.py), on a random port, over a
  fresh SQLite database made by the Alembic migrations. Its Settings carry base_url = that
  server, so the links in the emails written to the outbox point at it.
* Each test gets a freshly created app (``create_app`` re-points the module-global
  ``accredit.extensions.db`` at the browser database, even if integration tests moved it
  in the same run), empty tables, the regions, an empty outbox and a new browser context.
* Tests move around through ``Site`` (tests/browser/support.py), which runs axe-core and
  the asset and console checks on every page it lands on.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from accredit import create_app
from accredit.data.models import Organisation, User
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.operations.mail import outbox_path
from accredit.services.operations.reference import sync_regions
from tests.browser.server import Live, LiveServer, start_live_server
from tests.browser.support import Site
from tests.support import compiled_once
from tests.support.database import empty_tables

compiled_once.install()  # every test makes an app: compile its URL rules and templates once

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = (
    f"browser tests need Debian's Chromium at {CHROMIUM}, which is missing: "
    "run `make browser` (or `sudo apt-get install chromium`) to install it"
)
TIMEOUT_MS = 10_000

# -- the live server ------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_live_server(tmp_path_factory.mktemp("browser"))
    yield server
    server.stop()


@pytest.fixture
def live(live_server: LiveServer) -> Iterator[Live]:
    app = create_app(live_server.settings)  # not TESTING: errors render as they do for users
    live_server.dispatcher.app = app
    assert db.engine is not None
    assert db.engine.url.database == live_server.settings.database_url.removeprefix("sqlite:///")
    empty_tables(db.engine)
    shutil.rmtree(outbox_path(live_server.settings), ignore_errors=True)
    with app.app_context():
        sync_regions()
    yield Live(live_server, app)


# -- the browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.when == "call":  # type: ignore[attr-defined]
        item.stash[_FAILED] = report.failed  # type: ignore[attr-defined]
    return report


@pytest.fixture
def open_site(
    chromium: Any, live: Live, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], Site]]:
    """Open another browser (a new context: its own cookies and history) on the service."""
    sites: list[Site] = []
    contexts: list[Any] = []

    def open_one() -> Site:
        context = chromium.new_context(base_url=live.url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        site = Site(context.new_page(), live.url)
        sites.append(site)
        return site

    yield open_one
    failed = request.node.stash.get(_FAILED, True)
    try:
        if failed:
            for n, site in enumerate(sites):
                shot = tmp_path / f"page-{n}.png"
                with contextlib.suppress(Exception):  # only a diagnostic
                    site.page.screenshot(path=str(shot), full_page=True)
                    print(f"screenshot of {site.page.url}: {shot}")
        else:
            for site in sites:
                site.watch.assert_all_checked()
                site.watch.assert_clean()
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def site(open_site: Callable[[], Site]) -> Site:
    return open_site()


@pytest.fixture
def page(site: Site) -> Any:
    """The raw Playwright page behind ``site`` (navigate through ``site`` so pages are checked)."""
    return site.page


# -- people ---------------------------------------------------------------------------


@pytest.fixture
def organisation(live: Live) -> Organisation:
    return live.make_org("Northgate Hospitals NHS Foundation Trust", ods_code="RX1")


@pytest.fixture
def hee_admin(live: Live) -> User:
    return live.make_user(Role.HEE_ADMIN, email="alex.admin@hee.example.nhs.uk", name="Alex Admin")


@pytest.fixture
def org_lead(live: Live, organisation: Organisation) -> User:
    return live.make_user(
        Role.ORG_LEAD, organisation, email="lee.lead@northgate.example.nhs.uk", name="Lee Lead"
    )
