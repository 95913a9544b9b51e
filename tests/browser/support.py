"""The browser tier's helpers: a page wrapper that checks every page it lands on.

``Site`` is how tests move around. Each of its navigations (``goto``, ``follow``,
``submit``, ``navigation``, ``go_back``, ``wait_for_heading``) waits for the new page to load
and then calls ``check_page``, which fails the test when:

* axe-core finds a serious or critical WCAG 2.2 A/AA violation;
* the NHS.UK stylesheet is not applied, or our JavaScript did not start;
* any stylesheet, script, image or other asset answered 4xx/5xx or failed to load;
* the console logged an error (a CSP refusal, a script exception, ...).

``PageWatch`` also counts every document the page loads, so a navigation made behind
the helper's back (a plain ``page.click`` on a link) is caught at teardown as a page that
was visited but never checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Locator, Page, Request, Response, Route, expect

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
NHSUK_CSS = "vendor/app.css"
NHS_BLUE = "rgb(0, 94, 184)"
# The NHS.UK stylesheet declares the Frutiger web font on the NHS CDN. We never load from a
# CDN: our Sass build (accredit/static/scss/app.scss) leaves its @font-face rules out, and
# any attempt is recorded here (and fails the page as an external request or console error).
NHS_FONTS = "https://assets.nhs.uk/fonts/"

_axe = Axe()


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    url: str
    nodes: list[tuple[str, str]]  # (CSS target, HTML snippet)

    def describe(self) -> str:
        lines = [f"{self.rule} ({self.impact}) on {self.url}: {self.help}"]
        for target, html in self.nodes[:5]:
            lines.append(f"    {target}: {html}")
        if len(self.nodes) > 5:
            lines.append(f"    ... and {len(self.nodes) - 5} more")
        return "\n".join(lines)


def axe_violations(page: Page) -> list[Violation]:
    """Serious and critical axe-core violations on the page as it is now."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    found = []
    for violation in results["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        nodes = [
            (", ".join(map(str, node["target"])), " ".join(node["html"].split()))
            for node in violation["nodes"]
        ]
        found.append(
            Violation(violation["id"], violation["impact"], violation["help"], page.url, nodes)
        )
    return found


def check_accessibility(page: Page, *, allow: frozenset[str] = frozenset()) -> None:
    """Fail listing every serious or critical violation (rules in ``allow`` are skipped)."""
    problems = [v for v in axe_violations(page) if v.rule not in allow]
    assert not problems, "accessibility violations:\n" + "\n".join(p.describe() for p in problems)


@dataclass
class PageWatch:
    """Listens to one page: asset failures, console errors, and documents loaded."""

    page: Page
    asset_failures: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    loads: int = 0
    checked_loads: int = 0
    loaded_urls: list[str] = field(default_factory=list)
    asset_statuses: dict[str, int] = field(default_factory=dict)
    refused_fonts: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("response", self._on_response)
        self.page.on("requestfailed", self._on_request_failed)
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))
        self.page.on("domcontentloaded", self._on_document)

    def _on_document(self, page: Page) -> None:
        self.loads += 1
        self.loaded_urls.append(page.url)

    def _on_response(self, response: Response) -> None:
        request = response.request
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            return  # the page itself may be a 401, 404, 410 or 429 on purpose
        self.asset_statuses[response.url] = response.status
        if response.status >= 400:
            self.asset_failures.append(f"{response.status} {request.resource_type} {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        failure = request.failure or "failed"
        if request.url.startswith(NHS_FONTS):
            self.refused_fonts.append(request.url)
        if request.url in self.external:
            return  # reported by assert_clean as an external request
        if request.resource_type in {"document", "fetch", "xhr", "other"} and (
            "ERR_ABORTED" in failure
        ):
            # A navigation superseded by the next one, a page's status check cut short
            # because the page was left, or the favicon (type "other"), which Chromium asks
            # for after the page has loaded and drops when the test has already moved on
            # (the browser aborts it; nothing failed to load: a missing one answers 404).
            return
        self.asset_failures.append(f"{failure}: {request.resource_type} {request.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # "Failed to load resource" repeats what _on_response saw, and is expected for an
        # error page's own document; asset failures are reported from there instead.
        if message.text.startswith("Failed to load resource"):
            return
        where = message.location.get("url", "") if message.location else ""
        self.console_errors.append(f"{message.text} ({where})")

    def assert_clean(self) -> None:
        problems = [f"asset failed: {a}" for a in self.asset_failures]
        problems += [
            f"request to another origin: {url}"
            for url in self.external
            if not url.startswith(NHS_FONTS)
        ]
        self.external = [url for url in self.external if url.startswith(NHS_FONTS)]
        problems += [f"console error: {c}" for c in self.console_errors]
        self.asset_failures.clear()
        self.console_errors.clear()
        assert not problems, "the page had problems:\n" + "\n".join(problems)

    def assert_all_checked(self) -> None:
        unchecked = self.loaded_urls[self.checked_loads :]
        assert self.loads == self.checked_loads, (
            "pages were visited without the accessibility and asset checks "
            f"(navigate with Site.goto/follow/submit/navigation/go_back): {unchecked}"
        )


class Site:
    """A person using the service in one browser tab; every page it reaches is checked."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self.watch = PageWatch(page)
        page.route(lambda url: not url.startswith(self.base_url + "/"), self._refuse_external)
        self.visited: list[tuple[str, int | None]] = []
        self._last_status: int | None = None
        page.on("response", self._remember_document_status)

    # -- navigation -------------------------------------------------------------------

    def _refuse_external(self, route: Route) -> None:
        # The tests never reach the internet: the service must work from its own origin.
        self.watch.external.append(route.request.url)
        route.abort("blockedbyclient")

    def _remember_document_status(self, response: Response) -> None:
        request = response.request
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            self._last_status = response.status

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base_url + path

    def goto(self, path: str, *, status: int = 200) -> Page:
        """Open ``path`` (after any redirects the final page must answer ``status``)."""
        self.page.goto(self.url(path), wait_until="load")
        return self._arrived(status)

    @contextmanager
    def navigation(self, *, status: int = 200) -> Iterator[None]:
        """Wrap an action that loads a new page (a click, Enter in a form); then check it."""
        with self.page.expect_navigation(wait_until="load"):
            yield
        self._arrived(status)

    def follow(self, target: Locator | str, *, status: int = 200) -> Page:
        """Click a locator, or the link or button with exactly this accessible name."""
        if isinstance(target, str):
            link = self.page.get_by_role("link", name=target, exact=True)
            target = link.or_(self.page.get_by_role("button", name=target, exact=True))
        locator = target
        with self.navigation(status=status):
            locator.click()
        return self.page

    def submit(
        self, fields: dict[str, str], button: str, *, status: int = 200, choose: str | None = None
    ) -> Page:
        """Fill labelled fields, optionally choose a radio, press the named button."""
        for label, value in fields.items():
            self.page.get_by_label(label, exact=True).fill(value)
        if choose is not None:
            self.page.get_by_label(choose, exact=True).check()
        return self.follow(self.page.get_by_role("button", name=button, exact=True), status=status)

    def wait_for_heading(self, heading: str, *, timeout: float = 60_000) -> Page:
        """Wait until the page shows ``heading``, through the reloads the page makes itself
        (a job's page reloads when the job ends), then check the page it ended on. Opening the
        page again instead would race the page's own navigation."""
        expect(self.page.locator("h1")).to_have_text(heading, timeout=timeout)
        return self._arrived(200)

    def go_back(self, *, status: int = 200) -> Page:
        self.page.go_back(wait_until="load")
        return self._arrived(status)

    def _arrived(self, status: int) -> Page:
        self.page.wait_for_load_state("load")
        assert self._last_status == status, (
            f"{self.page.url} answered {self._last_status}, expected {status}"
        )
        self.check_page()
        return self.page

    def sign_in(self, email: str, password: str, *, status: int = 200) -> Page:
        self.goto("/sign-in")
        return self.submit({"Email address": email, "Password": password}, "Sign in", status=status)

    def sign_out(self) -> Page:
        return self.follow(self.page.get_by_role("button", name="Sign out"))

    # -- checks ---------------------------------------------------------------------

    def check_page(self) -> None:
        """Styles applied, scripts started, assets loaded, no console errors, axe clean."""
        page = self.page
        self.visited.append((urlsplit(page.url).path, self._last_status))
        styled = page.evaluate(
            """(css) => {
                const sheet = [...document.styleSheets].find(s => (s.href || '').endsWith(css));
                const header = document.querySelector('.nhsuk-header');
                return {
                    sheet: !!sheet && sheet.cssRules.length > 0,
                    header: header ? getComputedStyle(header).backgroundColor : null,
                    // initAll() marks each component it starts with data-<module>-init
                    modules: [...document.querySelectorAll('[data-module]')].map(
                        el => [el.dataset.module, el.hasAttribute(`data-${el.dataset.module}-init`)]
                    ),
                };
            }""",
            NHSUK_CSS,
        )
        assert styled["sheet"], f"{NHSUK_CSS} is not applied on {page.url}"
        assert styled["header"] == NHS_BLUE, f"the NHS header is not styled on {page.url}"
        not_started = [name for name, started in styled["modules"] if not started]
        assert styled["modules"], f"no NHS.UK components on {page.url}"
        assert not not_started, f"JavaScript did not start {not_started} on {page.url}"
        self.watch.assert_clean()
        check_accessibility(page)
        self.watch.checked_loads = self.watch.loads

    # -- reading the page -------------------------------------------------------------

    @property
    def path(self) -> str:
        return urlsplit(self.page.url).path

    def heading(self) -> str:
        return self.page.locator("h1").inner_text().strip()

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()

    def body_text(self) -> str:
        return self.page.locator("body").inner_text()

    def error_summary(self) -> list[str]:
        summary = self.page.locator(".nhsuk-error-summary")
        if summary.count() == 0:
            return []
        return [t.strip() for t in summary.locator("a").all_inner_texts()]

    def focused(self, script: str = "el => el") -> Any:
        return self.page.evaluate(f"() => ({script})(document.activeElement)")


def focus_is_visible(page: Page) -> bool:
    """Whether the focused element draws a focus indicator (outline or box-shadow)."""
    style = page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow};
        }"""
    )
    outline = style["outline"] != "none" and style["width"] not in ("0px", "")
    return outline or style["shadow"] not in ("none", "")


LINK = re.compile(r"https?://\S+")


def links_in(body: str) -> list[str]:
    return LINK.findall(body)
