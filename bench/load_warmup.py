"""Warm every gunicorn worker before the timed run.

A fresh worker pays once for what it reads and imports on first use (the standard, the chart
library for the dashboard, templates): half a second to a few seconds a page on a busy machine.
That is start-up, not load, so it is paid here with accounts Locust never uses: enough requests
at once that each worker very likely gets each kind of page. Nothing here is counted.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import requests

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ROUNDS = 1


def _session(url: str, email: str, password: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{url}/sign-in", timeout=60).text
    found = TOKEN.search(page)
    response = session.post(
        f"{url}/sign-in",
        data={"csrf_token": found.group(1) if found else "", "email": email, "password": password},
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise SystemExit(
            f"loadtest: the warm-up account {email} could not sign in ({response.status_code})"
        )
    return session


def warm_up(url: str, plan: dict[str, Any], concurrency: int) -> None:
    """Read each kind of page `concurrency` times at once, ROUNDS times over."""
    lead, staff = plan["warm_lead"], plan["warm_staff"]
    as_lead = _session(url, lead["email"], plan["password"])
    as_staff = _session(url, staff, plan["password"])
    assessment, organisation, cohort = lead["assessment"], lead["organisation"], plan["cohort_id"]
    pages = [
        (as_lead, f"/assessments/{assessment}"),
        (as_lead, f"/assessments/{assessment}/criteria/1.1"),
        (as_lead, f"/assessments/{assessment}/report"),
        (as_lead, f"/assessments/{assessment}/pack"),
        (as_lead, f"/organisations/{organisation}/evidence/new"),
        (as_staff, f"/cohorts/{cohort}"),
        (as_staff, f"/cohorts/{cohort}/organisations"),
        (as_staff, f"/assessments/{plan['reports'][0]}/report"),
        (requests, "/sign-in"),
    ]

    def read(job: tuple[Any, str]) -> None:
        client, path = job
        client.get(f"{url}{path}", timeout=120, allow_redirects=False).raise_for_status()

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for _ in range(ROUNDS):
            for page in pages:
                list(pool.map(read, [page] * concurrency))
