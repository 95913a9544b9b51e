"""Durability: a gunicorn worker killed with SIGKILL in the middle of a save, while other saves
stream in, loses no save the service acknowledged, and leaves SQLite intact
(``PRAGMA integrity_check``).

Real processes, real sockets: gunicorn serves the app for this test's database and instance,
three leads each save their own assessment's answer over and over (a save is acknowledged by its
302), and a fourth makes saves that are held in flight (``tests/support/held_saves.py``): one
stops after its answer is written and before its commit, one after its commit and before its
response, each time telling the test which worker holds it. The test kills that worker, so every
kill cuts a save off mid-flight by construction, not by the luck of timing. A save killed before
its commit must leave nothing; one killed after must be kept though never acknowledged; every
acknowledged save must be in the database afterwards with its value.
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
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from tests.integration.conftest import PASSWORD
from tests.support.held_saves import HOLD_DIR, marker

pytestmark = pytest.mark.crash

ROOT = Path(__file__).resolve().parents[2]
LEADS = 4
WORKERS = 3
#: Where each held save is stopped when its worker is killed, in turn.
HOLD_AT = ("before-commit", "after-commit", "before-commit", "after-commit")
#: Bounds that only a broken service (or a stalled machine) reaches: a fresh worker's first
#: pages take seconds on a busy machine (its caches are cold), so these are generous.
TIME_LIMIT = 120.0
REQUEST_SECONDS = 30.0
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
def server(app, settings, tmp_path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
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
    hold_dir = tmp_path / "held"
    hold_dir.mkdir()
    env[HOLD_DIR] = str(hold_dir)
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
            # wsgi.py's app, whose saves can be held in flight for the test to kill.
            "tests.support.held_saves:held_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + TIME_LIMIT
        while True:
            try:
                if requests.get(f"{base}/sign-in", timeout=REQUEST_SECONDS).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert master.poll() is None, (tmp_path / "gunicorn.log").read_text()
            assert time.monotonic() < deadline, f"gunicorn did not start within {TIME_LIMIT} s"
            time.sleep(0.2)
        yield base, master, hold_dir
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
            page = session.get(f"{base}/sign-in", timeout=REQUEST_SECONDS)
            token = _TOKEN.search(page.text)
            assert token, "no CSRF token on the sign-in page"
            done = session.post(
                f"{base}/sign-in",
                data={"csrf_token": token.group(1), "email": email, "password": PASSWORD},
                allow_redirects=False,
                timeout=REQUEST_SECONDS,
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
            html = session.get(url, timeout=REQUEST_SECONDS).text
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
                timeout=REQUEST_SECONDS,
            )
        except requests.RequestException:
            if writer.sent and writer.sent[-1] == value:
                writer.unacknowledged.append(value)
            continue
        if done.status_code == 302 and "/criteria/" not in done.headers.get("Location", ""):
            writer.acknowledged.append(value)
        else:
            writer.unacknowledged.append(value)


def _saves_flow(writers: list[Writer], more: int) -> None:
    """Wait until the writers have had ``more`` saves acknowledged (bounded)."""
    seen = sum(len(w.acknowledged) for w in writers)
    deadline = time.monotonic() + TIME_LIMIT
    while sum(len(w.acknowledged) for w in writers) < seen + more:
        assert time.monotonic() < deadline, "saves stopped flowing"
        time.sleep(0.05)


def _save(base: str, session: requests.Session, writer: Writer, value: str) -> bool:
    """One save of ``value`` (read the page, post it); whether it was acknowledged. A request
    cut off by its worker's death raises ``requests.RequestException``."""
    url = f"{base}/assessments/{writer.assessment_id}/criteria/{CRITERION}"
    html = session.get(url, timeout=REQUEST_SECONDS).text
    token, answered = _TOKEN.search(html), _BASE.search(html)
    assert token and answered, "the question page has no form"
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
        timeout=REQUEST_SECONDS,
    )
    saved = done.status_code == 302 and "/criteria/" not in done.headers.get("Location", "")
    (writer.acknowledged if saved else writer.unacknowledged).append(value)
    return saved


def _held_save(
    base: str, session: requests.Session, writer: Writer, value: str, outcome: list[str]
) -> None:
    try:
        saved = _save(base, session, writer, value)
    except requests.Timeout:
        outcome.append("timed out: the worker was not killed")
    except requests.RequestException as error:
        writer.unacknowledged.append(value)
        outcome.append(f"cut off: {type(error).__name__}")
    else:
        outcome.append("acknowledged" if saved else "answered without saving")


def _held_worker(hold_dir: Path, number: int, poster: threading.Thread, outcome: list[str]) -> int:
    """The pid of the worker holding save ``number``, once it says it holds it."""
    ready = hold_dir / f"{number}.pid"
    deadline = time.monotonic() + TIME_LIMIT
    while not ready.exists():
        assert poster.is_alive(), f"held save {number} never reached its hold: {outcome}"
        assert time.monotonic() < deadline, f"held save {number} never reached its hold"
        time.sleep(0.01)
    return int(ready.read_text())


def test_a_killed_worker_loses_no_acknowledged_save(app, settings, writers, server):
    base, master, hold_dir = server
    held, streaming = writers[0], writers[1:]
    stop = threading.Event()
    threads = [
        threading.Thread(target=_stream, args=(base, w, stop), daemon=True) for w in streaming
    ]
    for thread in threads:
        thread.start()
    session = _sign_in(base, held.email)
    killed: list[int] = []
    try:
        assert _save(base, session, held, f"{held.email} first save")
        _saves_flow(streaming, 3)
        for number, point in enumerate(HOLD_AT, start=1):
            # The save waits at its hold until its worker is killed: the kill lands in flight.
            value = f"{held.email} held save {number} {marker(point, number)}"
            outcome: list[str] = []
            poster = threading.Thread(target=_held_save, args=(base, session, held, value, outcome))
            poster.start()
            victim = _held_worker(hold_dir, number, poster, outcome)
            assert victim in _children(master.pid), f"{victim} is not one of gunicorn's workers"
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)
            poster.join(TIME_LIMIT)
            assert not poster.is_alive() and outcome[0].startswith("cut off"), (
                f"held save {number} ({point}): {outcome}"
            )
            # The service goes on: the held writer's next save, and the others', are saved.
            assert _save(base, session, held, f"{held.email} save after kill {number}")
            _saves_flow(streaming, 3)
        # gunicorn replaces the killed workers.
        deadline = time.monotonic() + TIME_LIMIT
        while len(_children(master.pid) - set(killed)) < WORKERS:
            assert time.monotonic() < deadline, "gunicorn did not replace its workers"
            time.sleep(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not any(thread.is_alive() for thread in threads)
    assert len(_children(master.pid)) == WORKERS

    acknowledged = sum(len(w.acknowledged) for w in writers)
    print(
        f"{acknowledged} saves acknowledged, {len(killed)} workers killed mid-save, "
        f"{sum(len(w.unacknowledged) for w in writers)} saves not acknowledged"
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
        if writer is held:
            # Killed before its commit: nothing of it kept. Killed after: kept, though unanswered.
            for number, point in enumerate(HOLD_AT, start=1):
                value = f"{held.email} held save {number} {marker(point, number)}"
                assert (value in history) == (point == "after-commit"), value
    db.session.rollback()

    assert db.engine is not None
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
