"""Benchmark: the public register as the public meets it, at 10,000 organisations.

Run from the repository root: `.venv/bin/python bench/public.py [--organisations N]`. It seeds
N organisations (10,000 unless told) with `accredit seed-bench` (accepted assessments get their
awards) into a fresh SQLite database, and into a fresh schema of the PostgreSQL database too
when ACCREDIT_TEST_POSTGRES_URL is set. Nobody signs in. It times, each SAMPLES times after
WARM_UP, with the inputs drawn from a fixed seed:

- **register search**: words from a name on the register, an ODS code's start, or none, with a
  region, type or level filter or none, on page 1 to 3; p95 at most 30 ms;
- **an organisation's page**: a random organisation on the register; p95 at most 15 ms;
- **a badge**: a random organisation's SVG badge; p95 at most 5 ms;
- **the full register as JSON**: a few downloads; at most 1 s each.

Each request is followed by its floor: a bare public page through the same middleware, for an
anonymous visitor (for the badge and the download too: there is no lighter request through
the app). Each p95 is printed beside its target and its ratio to the floor's p95 beside a ratio
target; the bench exits 1 when any target is missed. The API's organisations page (issue 22)
is not built yet, so it is not measured.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboard
from common import make_app
from floors import Paired

ORGANISATIONS = 10_000
SAMPLES = 200
WARM_UP = 20
DOWNLOADS = 5
PUBLIC_FLOOR = "/bench/public-floor"
#: (p95 target in ms, ratio target to the bare public page's p95). The ratios are runs' on the
#: 2-core development machine (10,000 organisations, SQLite / PostgreSQL: search 3.4x / 6.0x,
#: organisation page 1.9x / 2.0x, badge 1.0x / 1.4x, JSON 3.6x / 4.3x) with headroom.
TARGETS = {
    "register search": (30.0, 7.0),
    "organisation page": (15.0, 3.0),
    "badge": (5.0, 2.0),
    "full register JSON": (1000.0, 6.0),
}


@dataclass
class Line:
    label: str
    shown: str
    ok: bool


def install_public_floor(app) -> None:  # type: ignore[no-untyped-def]
    from flask import Blueprint, render_template_string

    from accredit.web.access import public

    floors = Blueprint("bench_public_floor", __name__)

    @floors.route(PUBLIC_FLOOR)
    @public
    def public_floor() -> str:
        return render_template_string(
            '{% extends "layouts/base.html" %}{% block title %}Floor{% endblock %}'
            "{% block main_content %}<h1>Floor</h1>{% endblock %}"
        )

    app.register_blueprint(floors)


def _listed(app) -> tuple[list[tuple[str, str]], list[str], list[str], list[str]]:  # type: ignore[no-untyped-def]
    """(ODS code, name) of every organisation on the register; regions, types and levels."""
    from accredit.data.base import utcnow
    from accredit.data.queries.register import listing
    from accredit.extensions import db

    with app.app_context():
        entries = listing.everyone(utcnow().date())
        db.remove()
    return (
        [(e.ods_code, e.name) for e in entries],
        sorted({e.region for e in entries}),
        sorted({e.org_type.value for e in entries}),
        sorted({e.level for e in entries}),
    )


def _searches(app, listed, org_types, levels, rng: random.Random) -> list[str]:  # type: ignore[no-untyped-def]
    from accredit.data.queries.accounts.organisations import regions
    from accredit.extensions import db

    with app.app_context():
        codes = [r.code for r in regions()]
        db.remove()
    urls = []
    for _ in range(WARM_UP + SAMPLES):
        ods, name = rng.choice(listed)
        words = rng.choice(["", name.split()[0][:5].lower(), ods[:3], name.split()[-1].lower()])
        args = {"q": words, "page": str(rng.choice([1, 1, 2, 3]))}
        kind = rng.choice(["region", "type", "level", "none"])
        if kind == "region":
            args["region"] = rng.choice(codes)
        elif kind == "type":
            args["type"] = rng.choice(org_types)
        elif kind == "level":
            args["level"] = rng.choice(levels)
        urls.append("/register?" + "&".join(f"{k}={v}" for k, v in args.items() if v))
    return urls


def _timed(client, urls: list[str], warm_up: int) -> Paired:  # type: ignore[no-untyped-def]
    result = Paired("", [], [])
    for i, url in enumerate(urls):
        started = time.perf_counter()
        response = client.get(url)
        response.get_data()
        middle = time.perf_counter()
        floor = client.get(PUBLIC_FLOOR)
        floor.get_data()
        ended = time.perf_counter()
        assert response.status_code == 200, (url, response.status_code)
        if i >= warm_up:
            result.real.append((middle - started) * 1000)
            result.floor.append((ended - middle) * 1000)
    return result


def _line(label: str, case: str, result: Paired, percentile: int = 95) -> Line:
    target, ratio_target = TARGETS[case]
    p50 = result.p(result.real, 50)
    if percentile == 100:  # a handful of downloads: the slowest of them
        p95, floor95 = max(result.real), max(result.floor)
    else:
        p95, floor95 = result.p(result.real, percentile), result.p(result.floor, percentile)
    ratio = p95 / floor95
    absolute_ok, ratio_ok = p95 <= target, ratio <= ratio_target
    name = "p95" if percentile == 95 else "max"
    shown = (
        f"p50 {p50:7.1f} ms  {name} {p95:7.1f} ms (<= {target:.0f} ms)"
        f"{'' if absolute_ok else ' MISSED'};  floor {floor95:5.2f} ms, ratio {ratio:5.2f}x"
        f" (<= {ratio_target:.1f}x){'' if ratio_ok else ' MISSED'}"
    )
    return Line(f"{label} {case}", shown, absolute_ok and ratio_ok)


def measure(label: str, url: str | None, organisations: int) -> list[Line]:
    with tempfile.TemporaryDirectory(prefix="accredit-bench-") as tmp:
        app, settings = make_app(Path(tmp), url)
        install_public_floor(app)
        dashboard._prepare(app, settings)
        dashboard._seed(app, organisations)
        listed, _regions, org_types, levels = _listed(app)
        if not listed:
            raise SystemExit("bench/public.py: seed-bench made no award to list")
        rng = random.Random(2026)
        client = app.test_client()
        pick: Callable[[], str] = lambda: rng.choice(listed)[0]  # noqa: E731
        count = WARM_UP + SAMPLES
        lines = [
            _line(label, "register search", _timed(client, _searches(app, listed, org_types,
                                                                     levels, rng), WARM_UP)),
            _line(label, "organisation page",
                  _timed(client, [f"/register/{pick()}" for _ in range(count)], WARM_UP)),
            _line(label, "badge",
                  _timed(client, [f"/register/{pick()}/badge.svg" for _ in range(count)],
                         WARM_UP)),
            _line(label, "full register JSON",
                  _timed(client, ["/register/download.json"] * (DOWNLOADS + 1), 1), 100),
        ]  # fmt: skip
        dashboard._close()
    print(f"({label}: {organisations:,} organisations, {len(listed):,} awards on the register)")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=ORGANISATIONS)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    lines = measure("sqlite", None, args.organisations) if args.only != "postgresql" else []
    postgres = os.environ.get("ACCREDIT_TEST_POSTGRES_URL")
    if postgres and args.only != "sqlite":
        try:
            lines += measure("postgresql", dashboard._fresh_schema(postgres), args.organisations)
        finally:
            dashboard._drop_schema(postgres)
    elif args.only != "sqlite":
        print("(PostgreSQL skipped: set ACCREDIT_TEST_POSTGRES_URL to measure it too)")
    print(
        f"bench/public.py: anonymous requests, {SAMPLES} per line after {WARM_UP} "
        f"({DOWNLOADS} downloads of the JSON, the slowest shown), each followed by its floor"
    )
    for line in lines:
        print(f"{line.label:<32} {line.shown}")
    missed = sum(not line.ok for line in lines)
    print(f"bench/public.py: {missed} of {len(lines)} lines missed a target")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
