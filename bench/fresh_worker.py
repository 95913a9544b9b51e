"""A web worker as gunicorn starts one, serving its first request: for the dashboard and report
benches.

A bench calls ``start(app, client)``, which runs this file as a child process
(``fresh_worker.py INSTANCE DATABASE_URL COOKIE``) and answers a function that times one URL.
The child loads the app as ``wsgi.py`` does (``create_app`` and then ``warm``), prints
``ready``, and then for each URL read from stdin forks a new worker from that state (what
gunicorn does with ``--preload``; without it each worker gets to the same state by itself),
which makes the one request, signed in with the bench's session cookie, and reports its status
and milliseconds. The forked worker exits after its request, so every request timed is a
worker's first.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import make_app


def start(app, client):  # type: ignore[no-untyped-def]
    """A function ``get(url) -> (status, ms)`` whose every request is a new worker's first,
    signed in with ``client``'s session on ``app``'s database."""
    import atexit
    import subprocess

    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    settings = app.extensions["accredit.settings"]
    master = subprocess.Popen(
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
    atexit.register(master.kill)
    assert master.stdout is not None and master.stdin is not None
    if master.stdout.readline().strip() != "ready":
        raise SystemExit("bench/fresh_worker.py did not start")

    def get(url: str) -> tuple[int, float]:
        assert master.stdout is not None and master.stdin is not None
        master.stdin.write(url + "\n")
        master.stdin.flush()
        status, took = master.stdout.readline().split()
        return int(status), float(took)

    return get


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
            started = time.perf_counter()
            response = client.get(line.strip())
            response.get_data()
            took = (time.perf_counter() - started) * 1000
            os.write(write, f"{response.status_code} {took:.3f}".encode())
            os._exit(0)
        os.close(write)
        with os.fdopen(read) as answer:
            said = answer.read()
        os.waitpid(child, 0)
        print(said, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
