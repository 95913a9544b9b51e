"""The load test's figures, read back from Locust's CSV files: a table per kind of request, each
p95 beside its limit, and one closing line. Kept apart from `loadtest.py` so the reading can be
tested on files alone.

Limits (p95, ms): the dashboard 1 s, an evidence pack from asking for it to having the PDF 10 s,
signing in 3 s (its password hash is slow on purpose, about a second of CPU), every other page,
save and upload 300 ms. A kind of request over its limit fails the run.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

TIMESPAN = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
PAGE_LIMIT_MS = 300.0
#: Request names (as the locustfile gives them) with a limit of their own.
LIMITS_MS = {
    "/cohorts/[id]": 1000.0,
    "/cohorts/[id]?region&type": 1000.0,
    "evidence pack, asked to downloaded": 10_000.0,
    "/sign-in (post)": 3000.0,
}


def limit_for(name: str) -> float:
    """The p95 limit of a kind of request, in milliseconds."""
    return LIMITS_MS.get(name, PAGE_LIMIT_MS)


@dataclass(frozen=True)
class Row:
    kind: str
    name: str
    count: int
    failures: int
    p50: float
    p95: float
    p99: float


def seconds(timespan: str) -> int:
    """Locust's run time ("2m", "90s", "1h30m" or a plain number of seconds) in seconds."""
    text = timespan.strip()
    if text.isdigit():
        return int(text)
    found = TIMESPAN.match(text)
    if not text or found is None:
        raise ValueError(f"not a run time: {timespan!r} (say 2m, 90s or 1h30m)")
    hours, minutes, secs = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + secs


def read_rows(prefix: Path) -> tuple[list[Row], Row | None]:
    """Each kind of request, and the total (Locust's "Aggregated" row) when there is one."""
    rows, total = [], None
    path = prefix.with_name(prefix.name + "_stats.csv")
    if not path.exists():
        return [], None
    with path.open(newline="") as handle:
        for record in csv.DictReader(handle):
            row = Row(
                kind=record["Type"],
                name=record["Name"],
                count=int(record["Request Count"]),
                failures=int(record["Failure Count"]),
                p50=_number(record["50%"]),
                p95=_number(record["95%"]),
                p99=_number(record["99%"]),
            )
            if row.name == "Aggregated":
                total = row
            else:
                rows.append(row)
    return rows, total


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:  # "N/A" when a kind has no timings
        return 0.0


def problems(prefix: Path) -> tuple[list[str], list[str]]:
    """What went wrong: failed requests by cause, and errors raised in the simulated users."""
    found, errors = [], []
    failures = prefix.with_name(prefix.name + "_failures.csv")
    if failures.exists():
        with failures.open(newline="") as handle:
            for record in csv.DictReader(handle):
                found.append(
                    f"{record['Occurrences']} x {record['Method']} {record['Name']}: "
                    f"{record['Error']}"
                )
    exceptions = prefix.with_name(prefix.name + "_exceptions.csv")
    if exceptions.exists():
        with exceptions.open(newline="") as handle:
            for record in csv.DictReader(handle):
                message = record["Message"].strip().splitlines()
                errors.append(f"{record['Count']} x {message[-1] if message else '?'}")
    return found, errors


def over_limit(rows: list[Row]) -> list[Row]:
    """The kinds of request whose p95 is over their limit."""
    return [row for row in rows if row.count and row.p95 > limit_for(row.name)]


def table(rows: list[Row], total: Row | None) -> list[str]:
    width = max([len(f"{r.kind} {r.name}") for r in rows] + [20])
    lines = [
        f"{'request':<{width}} {'count':>7} {'failed':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'limit':>8}"
    ]
    for row in sorted(rows, key=lambda r: (r.name, r.kind)):
        over = "  OVER" if row in over_limit([row]) else ""
        lines.append(
            _line(f"{row.kind} {row.name}", row, width) + f" {limit_for(row.name):>8.0f}{over}"
        )
    if total is not None:
        lines.append(_line("all requests", total, width))
    return lines


def _line(label: str, row: Row, width: int) -> str:
    return (
        f"{label:<{width}} {row.count:>7} {row.failures:>7} {row.p50:>8.0f} {row.p95:>8.0f} "
        f"{row.p99:>8.0f}"
    )


def report(prefix: Path, users: int, timespan: str, locust_status: int, server_log: Path) -> int:
    """Print the figures and the closing line; 1 when anything failed (or nothing ran)."""
    rows, total = read_rows(prefix)
    found, errors = problems(prefix)
    for line in table(rows, total):
        print(line)
    requests = total.count if total else 0
    failures = total.failures if total else 0
    slow = over_limit(rows)
    failed = bool(failures or found or errors or locust_status != 0 or requests == 0 or slow)
    if slow:
        print("Over their p95 limit:")
        for row in slow:
            print(
                f"  {row.kind} {row.name}: p95 {row.p95:.0f} ms (limit {limit_for(row.name):.0f})"
            )
    if found or errors:
        print("What failed:")
        for problem in [*found, *(f"error in a simulated user: {e}" for e in errors)]:
            print(f"  {problem}")
    if errors or (locust_status != 0 and not found):
        print(f"Locust ended with status {locust_status}; its log and the server's end:")
        for log in (prefix.parent / "locust.log", server_log):
            print(f"-- {log.name}")
            print(log.read_text()[-3000:] if log.exists() else "(no log)")
    p95 = total.p95 if total else 0.0
    print(
        f"loadtest: {users} users, {seconds(timespan)} s, {requests} requests, "
        f"{failures} failures{f', {len(errors)} user errors' if errors else ''}, p95 {p95:.0f} ms,"
        f" {len(slow)} over their limit: " + ("FAILED" if failed else "passed")
    )
    return 1 if failed else 0
