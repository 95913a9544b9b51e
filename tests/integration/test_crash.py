"""Durability: a gunicorn worker killed with SIGKILL in the middle of a stream of concurrent saves
loses no save the service acknowledged, and leaves SQLite intact (``PRAGMA integrity_check``).

Real processes, real sockets: gunicorn serves wsgi.py for this test's database and instance,
four leads each save their own assessment's answer over and over (a save is acknowledged by its
302), and meanwhile workers are killed mid-request. A request whose worker died may or may not
have been saved; every acknowledged one must be in the database afterwards with its value.
Bounded: the stream stops after ``STREAM_SECONDS``; the whole test takes well under a minute.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from sqlalchemy import text

from accredit.data.models import Answer, AnswerChange
from accredit.domain.organisations import Role
from accredit.extensions import db
from tests.integration.conftest import PASSWORD

pytestmark = pytest.mark.crash

ROOT = Path(__file__).resolve().parents[2]
LEADS = 4
WORKERS = 3
STREAM_SECONDS = 8.0
MIN_KILLS = 3
MAX_KILLS = 10
CRITERION = "1.1"
KEY = "1.1/2"  # the free-text question on criterion 1.1 ("q2" on its page)
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_BASE = re.compile(r'name="base" value="([^"]+)"')


@dataclass
class Writer:
    email: str
    assessment_id: int
    acknowledged: list[str] = field(default_factory=list)
    #: Sent but not acknowledged (the worker died, or the page came back without saving).
    unacknowledged: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers), from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


@pytest.fixture
def writers(make_org, make_user, make_assessment) -> list[Writer]:
    """Leads of separate organisations, each with a draft assessment: their saves never
    conflict with one another, so every refusal seen is the crash's doing."""
    made = []
    for n in range(LEADS):
        organisation = make_org(f"Crash Trust {n}")
        lead = make_user(Role.ORG_LEAD, organisation)
        made.append(Writer(lead.email, make_assessment(organisation, lead).id))
    return made


@pytest.fixture
def server(app, settings, tmp_path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    if not Path("/proc/self/stat").exists():
        pytest.skip("finding gunicorn's workers needs /proc (Linux)")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCREDIT_")}
    env.update(
        ACCREDIT_DATABASE_URL=settings.database_url,
        ACCREDIT_INSTANCE_PATH=str(settings.instance_path),
        ACCREDIT_SECRET_KEY=settings.secret_key,
        ACCREDIT_LOG_LEVEL="WARNING",
    )
    log = (tmp_path / "gunicorn.log").open("wb")
    master = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{port}",
            "--timeout=30",
            "--graceful-timeout=5",
            # The app is imported once, then forked: three imports at once would take most of
            # the time bound on a busy machine, and a killed worker is replaced at once.
            "--preload",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/sign-in", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert master.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, "gunicorn did not start within 30 s"
            time.sleep(0.2)
        yield base, master
    finally:
        master.send_signal(signal.SIGINT)  # quick shutdown: the test is over
        try:
            master.wait(15)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait(5)
        log.close()


def _sign_in(base: str, email: str) -> requests.Session:
    """Through the sign-in page, retried: the worker answering may be the one killed."""
    for _attempt in range(10):
        session = requests.Session()
        try:
            page = session.get(f"{base}/sign-in", timeout=10)
            token = _TOKEN.search(page.text)
            assert token, "no CSRF token on the sign-in page"
            done = session.post(
                f"{base}/sign-in",
                data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
                allow_redirects=False,
                timeout=10,
            )
            if done.status_code == 302:
                return session
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"{email} could not sign in")


def _stream(base: str, writer: Writer, stop: threading.Event) -> None:
    session = _sign_in(base, writer.email)
    url = f"{base}/assessments/{writer.assessment_id}/criteria/{CRITERION}"
    n = 0
    while not stop.is_set():
        n += 1
        value = f"{writer.email} save {n}"
        try:
            html = session.get(url, timeout=10).text
            token, answered = _TOKEN.search(html), _BASE.search(html)
            if not (token and answered):
                continue  # an error page from a dying worker: nothing was sent
            writer.sent.append(value)
            done = session.post(
                url,
                data={
                    "csrf_token": token.group(1),
                    "base": answered.group(1),
                    "q1": "yes",
                    "q2": value,
                    "action": "later",
                    "scripted": "yes",
                },
                allow_redirects=False,
                timeout=10,
            )
        except requests.RequestException:
            if writer.sent and writer.sent[-1] == value:
                writer.unacknowledged.append(value)
            continue
        if done.status_code == 302 and "/criteria/" not in done.headers.get("Location", ""):
            writer.acknowledged.append(value)
        else:
            writer.unacknowledged.append(value)


def test_a_killed_worker_loses_no_acknowledged_save(app, settings, writers, server):
    base, master = server
    stop = threading.Event()
    threads = [threading.Thread(target=_stream, args=(base, w, stop)) for w in writers]
    for thread in threads:
        thread.start()
    killed: list[int] = []
    at_last_kill = 0
    started = time.monotonic()
    try:
        # Kill until a save was cut off in flight (each kill lands on a busy worker, but it
        # may be drawing a page rather than saving), at least MIN_KILLS and at most MAX_KILLS.
        while len(killed) < MIN_KILLS or (
            len(killed) < MAX_KILLS and not any(w.unacknowledged for w in writers)
        ):
            # Kill while saves are flowing: wait for new acknowledgements first.
            seen = sum(len(w.acknowledged) for w in writers)
            while sum(len(w.acknowledged) for w in writers) < seen + 3:
                assert time.monotonic() - started < STREAM_SECONDS * 3, "saves stopped flowing"
                time.sleep(0.05)
            workers = _children(master.pid)
            assert len(workers) >= 1, "gunicorn has no workers"
            victim = sorted(workers)[len(killed) % len(workers)]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
            at_last_kill = sum(len(w.acknowledged) for w in writers)
        time.sleep(max(0.0, STREAM_SECONDS - (time.monotonic() - started)))
        # The service recovered: saves are acknowledged again after the last kill.
        while sum(len(w.acknowledged) for w in writers) <= at_last_kill:
            assert time.monotonic() - started < STREAM_SECONDS * 3, "no save after the last kill"
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not any(thread.is_alive() for thread in threads)

    # gunicorn replaced the killed workers, and saves went on being acknowledged after them.
    workers = _children(master.pid)
    assert len(workers) == WORKERS and not workers & set(killed)
    acknowledged = sum(len(w.acknowledged) for w in writers)
    lost_with_worker = sum(len(w.unacknowledged) for w in writers)
    assert lost_with_worker, f"none of {len(killed)} kills cut a save off in flight"
    print(
        f"{acknowledged} saves acknowledged, {lost_with_worker} not, {len(killed)} workers killed"
    )

    db.session.expire_all()
    for writer in writers:
        history = {
            change.after
            for change in db.session.query(AnswerChange).filter_by(
                assessment_id=writer.assessment_id, key=KEY
            )
        }
        lost = [value for value in writer.acknowledged if value not in history]
        assert not lost, f"acknowledged saves missing: {lost}"
        current = (
            db.session.query(Answer).filter_by(assessment_id=writer.assessment_id, key=KEY).one()
        )
        # The last save acknowledged, or one sent after it whose answer was lost with its
        # worker but whose transaction had committed.
        after_last = writer.sent[writer.sent.index(writer.acknowledged[-1]) :]
        assert current.value in after_last
    db.session.rollback()

    assert db.engine is not None
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
