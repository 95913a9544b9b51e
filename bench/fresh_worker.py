"""A web worker as gunicorn starts one, serving its first request: for bench/dashboard.py.

Run as a child process by the bench: ``fresh_worker.py INSTANCE DATABASE_URL COOKIE``. It loads
the app as ``wsgi.py`` does (``create_app`` and then ``warm``), prints ``ready``, and then for
each URL read from stdin forks a new worker from that state (what gunicorn does with
``--preload``; without it each worker gets to the same state by itself), which makes the one
request, signed in with the bench's session cookie, and reports its status and milliseconds.
The forked worker exits after its request, so every request timed is a worker's first.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import make_app


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
