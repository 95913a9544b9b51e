"""Benchmark: what if a 10,000-assessment cohort moved to a newer version of its standard.

Run from the repository root: `.venv/bin/python bench/simulate.py [--organisations N]`. It seeds
N organisations (10,500 unless told, so the cohort holds at least 10,000 current assessments:
a few have not started) with `accredit seed-bench` into a fresh SQLite database (or the
database ACCREDIT_BENCH_DATABASE_URL names, its tables emptied first), on WEQS 2026.1, and
simulates a move to the newest published WEQS version (the changed test fixture
`tests/unit/fixtures/weqs-2026-changed.yaml` when none is newer). Each figure is the median of
RUNS runs:

- the floor: reading the same assessments and their answers and scoring each under the version
  it is pinned to, with no carry-over (what any rescoring of the cohort costs);
- the simulation (`services.what_if.simulate_cohort`: reading, carrying the answers over and
  scoring under the new version; the level now is the stored summary's): at most 5 s;
- `accredit standards simulate NEW --cohort ID`, end to end with its printed table: at most 5 s;
- the what-if page for an HEE admin (`/cohorts/<id>/what-if?version=`), every organisation
  listed: at most 5 s.

Each is printed beside its target, its ratio to the floor measured in the same run and its CPU
time (the wall clock includes whatever else the machine is doing). Seeding
time is printed too, with no target. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, make_app, prepare, sign_in_hee_admin

ORGANISATIONS = 10_500
ASSESSMENTS = 10_000
RUNS = 3
TARGET_S = 5.0
FIXTURE = ROOT / "tests/unit/fixtures/weqs-2026-changed.yaml"


@dataclass
class Figure:
    label: str
    seconds: float | None  # None: could not be measured
    target: float | None
    note: str = ""
    cpu: float | None = None

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.seconds is not None and self.seconds <= self.target


def _median(work: Callable[[], object]) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of RUNS runs (the machine may be shared: CPU time
    shows what the work itself costs)."""
    times, cpu = [], []
    for _ in range(RUNS):
        started, cpu_started = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - cpu_started)
    return statistics.median(times), statistics.median(cpu)


def _seed(app, organisations: int) -> tuple[Figure, int]:  # type: ignore[no-untyped-def]
    from accredit.data.queries.cohorts.cohorts import cohort_named
    from accredit.extensions import db

    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["seed-bench", str(organisations)])
    seconds = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"bench/simulate.py: seed-bench failed:\n{result.output}")
    with app.app_context():
        cohort = cohort_named(f"Benchmark cohort {organisations}", 2026)
        assert cohort is not None, result.output
        db.remove()
    note = f"{organisations:,} organisations"
    return Figure("seed-bench", seconds, None, note), cohort.id


def _target_version(app, cohort_id: int) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """What to give the command (a loaded version, or the fixture's path) and what it is."""
    from accredit.data.queries.cohorts.cohorts import cohort_by_id
    from accredit.extensions import db
    from accredit.services.cohorts.what_if import newer_versions

    with app.app_context():
        newer = newer_versions(cohort_by_id(cohort_id))
        db.remove()
    if newer:
        return newer[-1].version, f"weqs {newer[-1].version} ({newer[-1].status})"
    return str(FIXTURE), f"{FIXTURE.relative_to(ROOT)} (no newer WEQS version is loaded yet)"


def _measure(app, cohort_id: int, new: str) -> tuple[list[Figure], int]:  # type: ignore[no-untyped-def]
    from accredit.cli.what_if import OPERATOR
    from accredit.data.queries.cohorts.cohorts import cohort_by_id
    from accredit.domain.scoring.questionnaire import profile_for
    from accredit.domain.scoring.scoring import score
    from accredit.extensions import db
    from accredit.services.cohorts.what_if import current_subjects, simulate_cohort, standard_for

    assessed: list[int] = []
    with app.app_context():
        cohort = cohort_by_id(cohort_id)
        standard = standard_for(cohort, new)

        def floor() -> None:
            levels = Counter()
            for subject in current_subjects(OPERATOR, cohort):
                profile = profile_for(subject.org_type, subject.profile, subject.standard)
                levels[score(subject.standard, profile, subject.answers).highest_level] += 1

        def simulation() -> None:
            assessed.append(simulate_cohort(OPERATOR, cohort, standard).simulation.assessed)

        simulation()  # warm: each standard parsed and planned once per process, as in the app
        floor_s, floor_cpu = _median(floor)
        simulate_s, simulate_cpu = _median(simulation)
        db.remove()

    runner = app.test_cli_runner()

    def command() -> None:
        result = runner.invoke(args=["standards", "simulate", new, "--cohort", str(cohort_id)])
        if result.exit_code != 0:
            raise SystemExit(f"bench/simulate.py: the command failed:\n{result.output}")

    command_s, command_cpu = _median(command)
    client = sign_in_hee_admin(app)
    version = standard.version
    url = f"/cohorts/{cohort_id}/what-if?version={version}"
    page_note = ""

    def page() -> None:
        response = client.get(url)
        response.get_data()
        if response.status_code != 200:
            raise LookupError(f"HTTP {response.status_code}")

    page_s: float | None = None
    page_cpu: float | None = None
    try:
        page_s, page_cpu = _median(page)
    except LookupError as error:
        page_note = f"{error}: the page offers only newer published versions"
    figures = [
        Figure("floor: read and score under the pinned version", floor_s, None, cpu=floor_cpu),
        Figure(
            "simulate_cohort (read, carry over, rescore)", simulate_s, TARGET_S, cpu=simulate_cpu
        ),
        Figure("accredit standards simulate (end to end)", command_s, TARGET_S, cpu=command_cpu),
        Figure("what-if page for an HEE admin", page_s, TARGET_S, page_note, cpu=page_cpu),
    ]
    return figures, assessed[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=ORGANISATIONS)
    args = parser.parse_args()
    if args.organisations < 1:
        parser.error("--organisations must be 1 or more")
    from accredit.extensions import db

    with tempfile.TemporaryDirectory(prefix="accredit-bench-") as tmp:
        app, settings = make_app(Path(tmp))
        prepare(app, settings)
        seeded, cohort_id = _seed(app, args.organisations)
        new, described = _target_version(app, cohort_id)
        figures, assessed = _measure(app, cohort_id, new)
        db.dispose()

    floor, floor_cpu = figures[0].seconds, figures[0].cpu
    print(
        f"bench/simulate.py: {assessed:,} current assessments on weqs 2026.1 moved to "
        f"{described}; median of {RUNS} runs"
    )
    missed = checked = 0
    for figure in [seeded, *figures]:
        checked += figure.ok is not None
        missed += figure.ok is False
        if figure.seconds is None:
            shown = "not measured"
        elif figure.label.startswith(("seed", "floor")):
            shown = f"{figure.seconds:.2f} s"
        else:
            shown = f"{figure.seconds:.2f} s, {figure.seconds / floor:.2f}x the floor"
        if figure.cpu is not None:
            shown += f"; CPU {figure.cpu:.2f} s"
            if floor_cpu and not figure.label.startswith(("seed", "floor")):
                shown += f", {figure.cpu / floor_cpu:.2f}x"
        wanted = f"target <= {figure.target:.0f} s" if figure.target else "no target"
        flag = "  MISSED" if figure.ok is False else ""
        note = f"; {figure.note}" if figure.note else ""
        print(f"{figure.label:<48} {shown:<48} ({wanted}{note}){flag}")
    if assessed < ASSESSMENTS and args.organisations == ORGANISATIONS:
        print(f"bench/simulate.py: only {assessed:,} assessments, fewer than {ASSESSMENTS:,}")
        return 1
    if missed:
        print(f"bench/simulate.py: {missed} of {checked} targets missed")
        return 1
    print(f"bench/simulate.py: all {checked} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
