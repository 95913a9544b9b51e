"""Load test: 50 simulated people on gunicorn for 2 minutes, no failure and every p95 in limit.

The people arrive two a second (each signs in as they arrive, 25 s for 50), then all 50 work
for the 2 minutes; every request from the first sign-in on is counted. Fifty people arriving
in five seconds would be a stampede: 5 s of password hashing (slow on purpose) on 2 cores.

Run from the repository root with `make loadtest` (or `.venv/bin/python bench/loadtest.py`;
`make loadtest LOAD_ARGS="--users 10 --time 20s"` for a short run). It makes a fresh instance in
a temporary folder, on a new SQLite file unless ACCREDIT_LOAD_DATABASE_URL names a database
(whose tables are emptied first); migrates it, loads the standards, seeds a benchmark cohort
(`bench/load_setup.py`: 10,000 organisations unless told), starts gunicorn (gthread) on
127.0.0.1 and a free port, and, with ACCREDIT_LOAD_REDIS_URL, an `accredit worker` for the
evidence packs. Nothing is warmed beyond what a deployment does: each worker warms itself as it
loads `wsgi.py`, and the run starts once every worker has done so (`load_gunicorn.py`), as a
deployment's traffic arrives once its health checks pass. Then Locust (`bench/locustfile.py`)
runs headless; its figures are read back and printed per kind of request (count, failures,
p50/p95/p99 beside its p95 limit: `bench/load_report.py`), ending with one line that says
passed or failed.

Exits 1 on any failed request, error in the simulated users or p95 over its limit, 0 otherwise.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

BIN = Path(sys.executable).parent
READY_SECONDS = 60


def _arguments(argv: list[str]) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument(
        "--time",
        default="2m",
        help="how long all of them work once they have arrived, as Locust reads it (default 2m)",
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=2,
        help="people arriving (signing in) per second before the timed minutes (default 2)",
    )
    parser.add_argument(
        "--organisations", type=int, default=10_000, help="size of the cohort (default 10,000)"
    )
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args(argv)
    if args.users < 2:
        parser.error("--users must be 2 or more (one of them makes evidence packs)")
    return args


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(folder: Path, port: int) -> dict[str, str]:
    """The load instance's settings: its own folder, database, key and queue."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ACCREDIT_")}
    env.update(
        ACCREDIT_INSTANCE_PATH=str(folder),
        ACCREDIT_DATABASE_URL=os.environ.get("ACCREDIT_LOAD_DATABASE_URL")
        or f"sqlite:///{folder / 'load.db'}",
        ACCREDIT_SECRET_KEY=f"load-test-{folder.name}",
        ACCREDIT_BASE_URL=f"http://127.0.0.1:{port}",
        ACCREDIT_STANDARDS_PATH=str(ROOT / "standards"),
        ACCREDIT_LOG_LEVEL="WARNING",
        ACCREDIT_JOB_QUEUE=f"accredit-load-{os.getpid()}",
        # No simulated person is an HEE admin (HEE staff sign in as reviewers), so two-factor
        # enrolment never stands in the way; off all the same, so it stays so if that changes.
        ACCREDIT_ADMIN_TWO_FACTOR="off",
        ACCREDIT_LOAD_PLAN=str(folder / "plan.json"),
    )
    if os.environ.get("ACCREDIT_LOAD_REDIS_URL"):
        env["ACCREDIT_REDIS_URL"] = os.environ["ACCREDIT_LOAD_REDIS_URL"]
    return env


def _prepare(env: dict[str, str], folder: Path, args: argparse.Namespace) -> None:
    """Seed in this process, with the settings gunicorn will read, then let go of the database."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from load_setup import prepare

        from accredit import create_app

        began = time.perf_counter()
        plan = prepare(create_app(), folder, args.organisations, args.users)
        plan.write(folder / "plan.json")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    print(
        f"loadtest: seeded {args.organisations} organisations and {len(plan.leads)} leads, "
        f"{len(plan.reviewers)} reviewers, {len(plan.staff)} HEE staff in "
        f"{time.perf_counter() - began:.1f} s"
    )


def _start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _wait_until_up(
    url: str, server: subprocess.Popen[bytes], log: Path, ready: Path, workers: int
) -> None:
    """Until the sign-in page answers and every worker has loaded the app (gunicorn's
    post_worker_init in `load_gunicorn.py` marks each one)."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped before serving:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/sign-in", timeout=5) as response:
                if response.status == 200 and len(list(ready.iterdir())) >= workers:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn's {workers} workers were not all up within {READY_SECONDS} s")


def _wait_for_rq_worker(env: dict[str, str], worker: subprocess.Popen[bytes], log: Path) -> None:
    """Until the RQ worker has loaded (WeasyPrint included) and registered on its queue."""
    from redis import Redis
    from rq import Queue, Worker

    queue = Queue(env["ACCREDIT_JOB_QUEUE"], connection=Redis.from_url(env["ACCREDIT_REDIS_URL"]))
    deadline = time.monotonic() + READY_SECONDS
    while Worker.count(queue=queue) < 1:
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the RQ worker did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def _children_cpu() -> float:
    """CPU seconds (user and system) of the processes this script has started and reaped."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a process this script started (and its children: gunicorn's workers, RQ's forks)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def main(argv: list[str]) -> int:
    from load_report import report, seconds

    args = _arguments(argv)
    arrival = math.ceil(args.users / args.spawn_rate)
    with tempfile.TemporaryDirectory(prefix="accredit-load-") as tmp:
        folder = Path(tmp)
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        env = _environment(folder, port)
        ready = folder / "ready"
        ready.mkdir()
        env["ACCREDIT_LOAD_READY_DIR"] = str(ready)
        _prepare(env, folder, args)
        started: list[subprocess.Popen[bytes]] = []
        try:
            server_log = folder / "gunicorn.log"
            server = _start(
                [
                    str(BIN / "gunicorn"),
                    f"--bind=127.0.0.1:{port}",
                    f"--workers={args.workers}",
                    "--worker-class=gthread",
                    f"--threads={args.threads}",
                    "--timeout=120",
                    # Longer than any pause a simulated person takes. With gunicorn's 2 s default
                    # a request sent just as gunicorn closes the idle connection is reset: a
                    # browser resends it unseen, Locust counts a failure. (A proxy in front of
                    # gunicorn keeps its connections open the same way.)
                    "--keep-alive=30",
                    "--no-control-socket",
                    f"--config={ROOT / 'bench' / 'load_gunicorn.py'}",
                    "wsgi:app",
                ],
                env,
                server_log,
            )
            started.append(server)
            if "ACCREDIT_REDIS_URL" in env:
                started.append(_start([str(BIN / "accredit"), "worker"], env, folder / "rq.log"))
                _wait_for_rq_worker(env, started[-1], folder / "rq.log")
            _wait_until_up(url, server, server_log, ready, args.workers)
            print(
                f"loadtest: gunicorn on {url} ({args.workers} workers x {args.threads} threads), "
                f"{args.users} users arriving {args.spawn_rate:g} a second over "
                f"{arrival} s, then {args.time} with all of them"
                + (", packs on an RQ worker" if "ACCREDIT_REDIS_URL" in env else "")
            )
            before = _children_cpu()
            locust = subprocess.run(
                [
                    str(BIN / "locust"),
                    f"--locustfile={ROOT / 'bench' / 'locustfile.py'}",
                    "--headless",
                    f"--users={args.users}",
                    f"--spawn-rate={args.spawn_rate}",
                    f"--run-time={arrival + seconds(args.time)}s",
                    f"--host={url}",
                    "--only-summary",
                    "--stop-timeout=10",
                    f"--csv={folder / 'load'}",
                    f"--logfile={folder / 'locust.log'}",
                    "--loglevel=WARNING",
                ],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            locust_cpu = _children_cpu() - before
        finally:
            for process in reversed(started):
                _stop(process)
        print(
            f"loadtest: CPU seconds over the run: Locust {locust_cpu:.0f}, the server and its "
            f"workers {_children_cpu() - before - locust_cpu:.0f}, on {os.cpu_count()} cores"
        )
        return report(
            folder / "load", args.users, f"{arrival + seconds(args.time)}s", locust.returncode,
            server_log,
        )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
