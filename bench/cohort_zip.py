"""The ZIP of a cohort's evidence packs at 1,000 assessments, made in steps inside the job bound.

Run from the repository root: `.venv/bin/python bench/cohort_zip.py` (`--organisations 60` for
a short run). It seeds a `seed-bench` cohort on a new SQLite file (ACCREDIT_BENCH_DATABASE_URL
for another database, emptied first), asks for the cohort's ZIP of packs as an HEE admin does,
and lets the in-process job backend run it as a deployment without Redis would: each step makes
packs for at most a third of the job bound (`ACCREDIT_JOB_TIMEOUT_SECONDS`, 300 s) and queues the
next. Every step is timed. Then the ZIP is read back: one PDF per assessment, each opened.

Targets: no step over the job bound (and the ratio of the longest step to the bound, whatever
this machine's speed, at most 0.5: a third of the bound plus the pack in hand), every
assessment's pack in the ZIP and readable. Exits 1 when one is missed. The whole run at 1,000
assessments takes 20 to 40 minutes on the 2-core development machine, so `make bench` leaves it
out; run it on its own.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import make_app, prepare

#: The longest step against the job bound: a step stops starting packs at a third of it.
STEP_RATIO_TARGET = 0.5


def _seed(app, settings, organisations: int):  # type: ignore[no-untyped-def]
    from accredit.data.transactions import unit_of_work
    from accredit.domain.accounts.organisations import Role
    from accredit.seed.bench_seed import seed_bench
    from accredit.services.accounts.accounts import create_user

    prepare(app, settings)
    with app.app_context():
        seeded = seed_bench(organisations)
        with unit_of_work():
            admin = create_user(
                email="zip-admin@hee.example.nhs.uk",
                name="Zip Admin",
                role=Role.HEE_ADMIN,
                password=None,
            )
        return seeded.cohort_id, admin.id


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=1042, help="about 96%% assessed")
    args = parser.parse_args(argv)

    from pypdf import PdfReader

    from accredit.data.models import Assessment, Cohort, User
    from accredit.extensions import db
    from accredit.services.cohorts import exports
    from accredit.services.cohorts.exports_packs import STEP_SHARE
    from accredit.services.jobs import backends, jobs

    with tempfile.TemporaryDirectory(prefix="accredit-zip-") as tmp:
        app, settings = make_app(Path(tmp))
        cohort_id, admin_id = _seed(app, settings, args.organisations)
        bound = settings.job_timeout_seconds

        steps: list[float] = []
        run_step = backends.run_step

        def timed_step(job_id: int) -> None:
            began = time.perf_counter()
            try:
                run_step(job_id)
            finally:
                steps.append(time.perf_counter() - began)

        backends.run_step = timed_step  # the thread backend calls it for each step
        with app.app_context():
            cohort = db.session.get(Cohort, cohort_id)
            admin = db.session.get(User, admin_id)
            assert cohort is not None and admin is not None
            assessed = db.session.query(Assessment).filter_by(cohort_id=cohort_id).count()
            submitted = (
                db.session.query(Assessment)
                .filter(Assessment.cohort_id == cohort_id, Assessment.submitted_at.is_not(None))
                .count()
            )
            print(
                f"cohort_zip: {args.organisations} organisations, {assessed} assessments "
                f"({submitted} submitted), job bound {bound} s, a step stops starting packs "
                f"after {bound / STEP_SHARE:.0f} s"
            )
            began = time.perf_counter()
            job = exports.request_packs(cohort, admin)
            db.remove()
            if not backends.drain(timeout=4 * 3600):
                print("cohort_zip: the job was still running after 4 hours: FAILED")
                return 1
            total = time.perf_counter() - began
            done = jobs.wait(job.id, 0)
            if done.status != jobs.DONE or not done.result:
                print(f"cohort_zip: the job ended {done.status}: {done.error}: FAILED")
                return 1
            storage = exports.export_storage_for(settings)
            with storage.open(done.result["sha256"]) as handle:
                data = handle.read()
        readable = 0
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.endswith(".pdf")]
            for name in names:
                reader = PdfReader(io.BytesIO(archive.read(name)))
                readable += len(reader.pages) > 0
        longest = max(steps)
        ratio = longest / bound
        misses = []
        if longest > bound:
            misses.append("a step ran past the job bound")
        if ratio > STEP_RATIO_TARGET:
            misses.append("the longest step is over half the bound")
        if len(names) != assessed or readable != assessed:
            misses.append("packs are missing or unreadable")
        print(f"  steps                {len(steps):>8}")
        print(
            f"  longest step         {longest:>8.1f} s   target <= {bound} s      "
            f"ratio to the bound {ratio:.2f} (target <= {STEP_RATIO_TARGET})"
        )
        print(f"  each step (s)        {', '.join(f'{s:.0f}' for s in steps)}")
        print(f"  packs in the ZIP     {len(names):>8}     target {assessed}")
        print(f"  readable PDFs        {readable:>8}     target {assessed}")
        print(f"  ZIP size             {len(data) / 1e6:>8.1f} MB")
        print(f"  whole job            {total / 60:>8.1f} min ({total / assessed:.2f} s a pack)")
        print(
            f"cohort_zip: {assessed} packs in {len(steps)} steps, longest {longest:.0f} s of "
            f"{bound} s: " + ("FAILED (" + "; ".join(misses) + ")" if misses else "passed")
        )
        return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
