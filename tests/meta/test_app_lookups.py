"""Settings are read once at start-up and handed down: below the web layer, only the jobs
capability's entry points look up the app they run in, through ``services/jobs/running_app``
(a job has no request to be handed them by)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"accredit/services/jobs/running_app.py"}


def test_no_service_or_query_reads_the_running_app():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("services", "data", "domain", "standards", "forms")
        for path in sorted((ROOT / "accredit" / folder).rglob("*.py"))
        if path.relative_to(ROOT).as_posix() not in ALLOWED
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "current_app" in line
    ]
    assert found == [], "hand settings down instead of reading current_app:\n" + "\n".join(found)
