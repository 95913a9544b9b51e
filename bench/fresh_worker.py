"""A web worker as gunicorn starts one, serving its first request: for the dashboard, report
and pack benches.

A bench makes ``FreshWorkers(app, client)``, which runs this file as a child process
(``fresh_worker.py INSTANCE DATABASE_URL COOKIE``): its ``get(url)`` times one request, its
``pack(assessment_id)`` a whole evidence pack asked for, made by the job and downloaded. The
child loads the app as ``wsgi.py`` does (``create_app`` and then ``warm``), prints ``ready``,
and then for each command read from stdin forks a new worker from that state (what gunicorn
does with ``--preload``; without it each worker gets to the same state by itself), which does
it signed in with the bench's session cookie and reports what it measured. The forked worker
exits afterwards, so every request or pack timed is a worker's first.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import make_app

#: How often the pack's progress is asked for (the page's script asks every second at first).
POLL_SECONDS = 0.1


class FreshWorkers:
    """Requests each served by a new worker, signed in with a bench client's session."""

    def __init__(self, app, client) -> None:  # type: ignore[no-untyped-def]
        import atexit
        import subprocess

        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        settings = app.extensions["accredit.settings"]
        self.master = subprocess.Popen(
            [
                sys.executable,
                __file__,
                str(settings.instance_path),
                settings.database_url,
                cookie.value,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        atexit.register(self.master.kill)
        assert self.master.stdout is not None
        if self.master.stdout.readline().strip() != "ready":
            raise SystemExit("bench/fresh_worker.py did not start")

    def _ask(self, command: str) -> list[str]:
        assert self.master.stdout is not None and self.master.stdin is not None
        self.master.stdin.write(command + "\n")
        self.master.stdin.flush()
        return self.master.stdout.readline().split()

    def get(self, url: str) -> tuple[int, float]:
        """(status, milliseconds) of a new worker's first request, to ``url``."""
        status, took = self._ask(f"GET {url}")
        return int(status), float(took)

    def pack(self, assessment_id: int) -> MadePack:
        """A new worker's first pack, asked for and downloaded as a browser does."""
        said = self._ask(f"PACK {assessment_id}")
        if said[0] != "200":
            raise SystemExit(f"bench/fresh_worker.py: the pack failed: {' '.join(said)}")
        return MadePack(float(said[1]), int(said[2]), int(said[3]), float(said[4]), float(said[5]))


@dataclass
class MadePack:
    """A pack made through the job by a new worker: from the request to the last byte."""

    seconds: float
    pages: int
    size: int
    peak_mib: float
    #: The worker's resident memory before it was asked for the pack.
    at_rest_mib: float


def _get(client, url: str) -> str:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    response = client.get(url)
    response.get_data()
    return f"{response.status_code} {(time.perf_counter() - started) * 1000:.3f}"


def _pack(client, assessment_id: int) -> str:  # type: ignore[no-untyped-def]
    """Ask for the whole pack on the pack page, follow the job's status as the page's script
    does (every POLL_SECONDS here), download it and read its pages back: "200 seconds pages
    bytes peak-MiB at-rest-MiB", or why not."""
    import io
    import resource

    from common import TOKEN
    from pypdf import PdfReader

    at_rest = _resident_mib()
    page = f"/assessments/{assessment_id}/pack"
    token = TOKEN.search(client.get(page).get_data(as_text=True)).group(1)
    started = time.perf_counter()
    asked = client.post(page, data={"csrf_token": token, "scope": "all"})
    if asked.status_code != 302 or "/jobs/" not in asked.headers["Location"]:
        return f"{asked.status_code} no-job"
    status_url = asked.headers["Location"] + "/status"
    while True:
        state = client.get(status_url).get_json()
        if state["status"] == "failed":
            return f"500 {state['error']!r}"
        if state["download"]:
            break
        time.sleep(POLL_SECONDS)
    # The worker's peak from making the pack: the download below is read whole by the test
    # client (a real worker streams the stored file) and then parsed again here.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pdf = client.get(state["download"]).get_data()
    seconds = time.perf_counter() - started
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return f"200 {seconds:.3f} {pages} {len(pdf)} {peak:.1f} {at_rest:.1f}"


def _resident_mib() -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def main() -> int:
    instance, url, cookie = sys.argv[1:4]
    from accredit.extensions import db
    from accredit.services.operations.warm_up import warm

    app, _ = make_app(Path(instance), url)
    warm(app)
    name = app.config["SESSION_COOKIE_NAME"]
    print("ready", flush=True)
    for line in sys.stdin:
        read, write = os.pipe()
        child = os.fork()
        if child == 0:
            os.close(read)
            assert db.engine is not None
            db.engine.dispose(close=False)
            client = app.test_client()
            client.set_cookie(name, cookie)
            verb, argument = line.split()
            said = _pack(client, int(argument)) if verb == "PACK" else _get(client, argument)
            os.write(write, said.encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as answer:
            said = answer.read()
        os.waitpid(child, 0)
        print(said, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
