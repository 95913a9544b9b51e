"""Locust users for `make loadtest` (bench/loadtest.py starts the server and runs this).

Four kinds of people, each signed in through the sign-in page with an account of their own from
the plan that `bench/load_setup.py` wrote (ACCREDIT_LOAD_PLAN):

- TrustLead: the task list, answering questions (GET the page, POST its form with the CSRF and
  base tokens, follow the redirect and check what it says), uploading a small PDF as evidence,
  the readiness report.
- Reviewer: readiness reports of organisations across the cohort.
- HeeStaff: the cohort dashboard, filtered, and its organisation table.
- PackUser (exactly one): changes an answer, asks for an evidence pack, polls the job until it
  is done and downloads the PDF.

Requests are named by pattern ("/assessments/[id]/criteria/[c]"), so the figures are per kind
of request. Anything but the expected status, or a page that does not say what it should (a
saved answer without its success banner), is a failure: the run then exits 1.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task
from locust.exception import RescheduleTask

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_pages import (
    QUESTION_PAGE,
    SAVED,
    answer_form,
    comes_back_later,
    criterion_for,
    request_name,
    token,
)

PLAN = json.loads(Path(os.environ["ACCREDIT_LOAD_PLAN"]).read_text())
PACK_WAIT_SECONDS = 120


class Accounts:
    """Hands each simulated user an account no other one has (gevent: one thread)."""

    def __init__(self, entries: list[Any]) -> None:
        self._entries = iter(entries)

    def take(self, kind: str) -> Any:
        try:
            return next(self._entries)
        except StopIteration:
            raise RuntimeError(f"the plan has no {kind} account left: seed more") from None


LEADS = Accounts(PLAN["leads"])
PACKERS = Accounts(PLAN["packers"])
REVIEWERS = Accounts(PLAN["reviewers"])
STAFF = Accounts(PLAN["staff"])
SAVES = itertools.count()


class Person(HttpUser):
    """Signs in as its own account first; checks every response it gets."""

    abstract = True
    wait_time = between(1, 3)

    signed_in = False

    def sign_in(self, email: str) -> None:
        """Sign in now; should that fail (it is counted), the next task tries again first."""
        self.email = email
        with contextlib.suppress(RescheduleTask):
            self.ready()

    def ready(self) -> None:
        if self.signed_in:
            return
        page = self.expect("GET", "/sign-in", 200)
        self.expect(
            "POST",
            "/sign-in",
            302,
            data={"csrf_token": token(page), "email": self.email, "password": PLAN["password"]},
            name="/sign-in (post)",
        )
        self.signed_in = True

    def expect(
        self,
        method: str,
        url: str,
        status: int,
        *,
        name: str | None = None,
        shows: str | None = None,
        **kwargs: Any,
    ) -> str:
        """The response body; a failure unless the status (and text) is what was expected."""
        with self.client.request(
            method,
            url,
            name=name or url,
            allow_redirects=False,
            catch_response=True,
            **kwargs,
        ) as response:
            body = response.text if "text" in response.headers.get("Content-Type", "") else ""
            self.location = response.headers.get("Location", "")
            if not response.status_code:
                response.failure(f"no response: {response.error!r}")
            elif response.status_code != status:
                response.failure(f"{response.status_code}, expected {status}")
            elif shows is not None and shows not in body:
                response.failure(f"the page does not show {shows!r}")
            else:
                response.success()
                return body
        # The rest of this task would only fail for this one reason again, and be counted twice.
        raise RescheduleTask()


def answer(person: Person, assessment: int, n: int) -> None:
    """Open a question page, save its form, follow the redirect and check where it lands."""
    url = f"/assessments/{assessment}/criteria/{criterion_for(n)}"
    page = person.expect("GET", url, 200, name=request_name(url))
    person.expect("POST", url, 302, name=f"{request_name(url)} (save)", data=answer_form(page, n))
    # Back later: the task list with the success banner. Continue: the next page to answer.
    landing = person.location
    shows = SAVED if comes_back_later(n) else QUESTION_PAGE
    person.expect("GET", landing, 200, name=request_name(landing), shows=shows)


class TrustLead(Person):
    """An organisation lead working through their own self-assessment."""

    weight = 8

    def on_start(self) -> None:
        account = LEADS.take("lead")
        self.assessment, self.organisation = account["assessment"], account["organisation"]
        self.evidence = Path(PLAN["evidence_pdf"]).read_bytes()
        self.sign_in(account["email"])

    @task(2)
    def task_list(self) -> None:
        self.ready()
        self.expect(
            "GET", f"/assessments/{self.assessment}", 200, name="/assessments/[id]",
            shows="Self-assessment",
        )  # fmt: skip

    @task(5)
    def answer_question(self) -> None:
        self.ready()
        answer(self, self.assessment, next(SAVES))

    @task(1)
    def upload_evidence(self) -> None:
        self.ready()
        url = f"/organisations/{self.organisation}/evidence/new"
        page = self.expect("GET", url, 200, name="/organisations/[id]/evidence/new")
        n = next(SAVES)
        self.expect(
            "POST",
            url,
            302,
            name="/organisations/[id]/evidence/new (upload)",
            data={"csrf_token": token(page), "kind": "file", "title": f"Register extract {n}"},
            files={"file": (f"register-extract-{n}.pdf", self.evidence, "application/pdf")},
        )
        self.expect(
            "GET",
            self.location,
            200,
            name="/organisations/[id]/evidence/[item]",
            shows="has been added to the evidence library",
        )

    @task(2)
    def readiness_report(self) -> None:
        self.ready()
        self.expect(
            "GET", f"/assessments/{self.assessment}/report", 200,
            name="/assessments/[id]/report", shows="Readiness report",
        )  # fmt: skip


class Reviewer(Person):
    """An HEE reviewer reading the readiness reports of the cohort's organisations."""

    weight = 1

    def on_start(self) -> None:
        self.sign_in(REVIEWERS.take("reviewer"))

    @task
    def report(self) -> None:
        self.ready()
        assessment = random.choice(PLAN["reports"])
        self.expect(
            "GET", f"/assessments/{assessment}/report", 200,
            name="/assessments/[id]/report (reviewer)", shows="Readiness report",
        )  # fmt: skip


class HeeStaff(Person):
    """HEE staff following the cohort. Reviewers assigned to it: HEE admins may have to enrol
    a second factor to sign in, and the dashboard reads are the same for both."""

    weight = 1

    def on_start(self) -> None:
        self.sign_in(STAFF.take("staff"))
        self.cohort = PLAN["cohort_id"]

    @task(2)
    def dashboard(self) -> None:
        self.ready()
        self.expect("GET", f"/cohorts/{self.cohort}", 200, name="/cohorts/[id]")

    @task(2)
    def filtered_dashboard(self) -> None:
        self.ready()
        view = {"region": random.choice(PLAN["regions"]), "type": random.choice(PLAN["types"])}
        self.expect(
            "GET", f"/cohorts/{self.cohort}", 200, name="/cohorts/[id]?region&type", params=view
        )

    @task(1)
    def organisation_table(self) -> None:
        self.ready()
        view = {"page": random.randint(1, 4), "sort": random.choice(["name", "completion"])}
        self.expect(
            "GET",
            f"/cohorts/{self.cohort}/organisations",
            200,
            name="/cohorts/[id]/organisations",
            params=view,
            shows="Organisations",
        )


class PackUser(Person):
    """One lead making evidence packs: each pack follows a change, so each is really made."""

    fixed_count = 1
    wait_time = between(5, 10)

    def on_start(self) -> None:
        account = PACKERS.take("pack")
        self.assessment = account["assessment"]
        self.sign_in(account["email"])

    @task
    def make_pack(self) -> None:
        self.ready()
        answer(self, self.assessment, next(SAVES))
        base = f"/assessments/{self.assessment}/pack"
        page = self.expect("GET", base, 200, name="/assessments/[id]/pack")
        began = time.monotonic()
        self.expect(
            "POST",
            base,
            302,
            name="/assessments/[id]/pack (make)",
            data={"csrf_token": token(page), "scope": "all"},
        )
        download = self.location if "/download" in self.location else self.wait_for_job()
        if download:
            self.fetch_pdf(download)
            # The whole wait as one figure: from asking for the pack to having the PDF.
            self.environment.events.request.fire(
                request_type="JOB",
                name="evidence pack, asked to downloaded",
                response_time=(time.monotonic() - began) * 1000,
                response_length=0,
                exception=None,
                context={},
            )

    def wait_for_job(self) -> str | None:
        status_url = f"{self.location}/status"
        deadline = time.monotonic() + PACK_WAIT_SECONDS
        while time.monotonic() < deadline:
            with self.client.get(
                status_url, name="/assessments/[id]/pack/jobs/[job]/status", catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}, expected 200")
                    return None
                state = response.json()
                if state["status"] == "failed":
                    response.failure(f"the pack job failed: {state['error']}")
                    return None
                response.success()
            if state["status"] == "done" and state["download"]:
                return str(state["download"])
            time.sleep(1)
        self.environment.events.request.fire(
            request_type="JOB",
            name="evidence pack, asked to downloaded",
            response_time=PACK_WAIT_SECONDS * 1000,
            response_length=0,
            exception=RuntimeError(f"the pack was not made within {PACK_WAIT_SECONDS} s"),
            context={},
        )
        return None

    def fetch_pdf(self, url: str) -> None:
        with self.client.get(
            url, name="/assessments/[id]/packs/[pack]/download", catch_response=True
        ) as response:
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                response.failure(f"{response.status_code}: not a PDF")
            else:
                response.success()
