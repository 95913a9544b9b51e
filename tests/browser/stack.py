"""The production stack as README's "Production" section describes it, brought up for a test:
a PostgreSQL database of its own, migrated with ``accredit db upgrade`` and loaded with
``accredit init --skip-admin``; two gunicorn masters (two workers each) on their own ports;
one ``accredit worker`` on Redis; every stored file in an S3-compatible bucket (moto). Each
process has its own instance folder, so nothing can be shared through local disk: whatever
works across them goes through the database, Redis or the bucket. All share one secret key.

Every wait is bounded, and every process is stopped (by its own pid) however the test ends.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.support.object_store import KEY_ID, SECRET, ObjectStore, free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
STOP_SECONDS = 5
START_SECONDS = 120  # four app processes importing WeasyPrint on a busy CI machine
# Redis database 6, apart from database 0 that the RQ tests use; the queue name is unique too.
REDIS_DB = 6


@dataclass
class Stack:
    env: dict[str, str]
    urls: list[str]
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def access_log(self, n: int) -> str:
        return (self.logs / f"gunicorn-{n}.access.log").read_text(errors="replace")

    def stop(self) -> None:
        """SIGINT first (gunicorn's quick shutdown; an idle RQ worker stops on it too), then,
        for anything still running after a few seconds, SIGKILL to its whole process group
        (each process was started as a group leader, so its workers and job forks go too)."""
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_SECONDS
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def database_beside(url: str) -> tuple[str, str]:
    """A new database's name and URL on the server of ``url`` (CI has one database, but we
    may create more; the tests' own database is left alone)."""
    name = f"accredit_scale_{uuid.uuid4().hex[:10]}"
    parts = urlsplit(url)
    return name, urlunsplit(parts._replace(path=f"/{name}"))


@contextlib.contextmanager
def own_database(url: str) -> Iterator[str]:
    import psycopg

    name, new_url = database_beside(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield new_url
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_url(host: str = "127.0.0.1", port: int = 6379) -> str:
    return f"redis://{host}:{port}/{REDIS_DB}"


def stack_env(database_url: str, store: ObjectStore, bucket: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ACCREDIT_", "AWS_"))}
    env.update(
        ACCREDIT_DATABASE_URL=database_url,
        ACCREDIT_SECRET_KEY=secrets.token_hex(32),
        ACCREDIT_REDIS_URL=redis_url(),
        ACCREDIT_JOB_QUEUE=f"accredit-scale-{uuid.uuid4().hex[:10]}",
        ACCREDIT_STORAGE_URL=store.url(bucket, "accredit"),
        ACCREDIT_STORAGE_KEY_ID=KEY_ID,
        ACCREDIT_STORAGE_SECRET=SECRET,
        ACCREDIT_LOG_LEVEL="WARNING",
    )
    return env


def run_cli(env: dict[str, str], instance: Path, *args: str) -> str:
    """One ``accredit`` command, as an operator would type it; fails the test if it fails."""
    done = subprocess.run(
        [str(BIN / "accredit"), *args],
        cwd=ROOT,
        env={**env, "ACCREDIT_INSTANCE_PATH": str(instance)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"accredit {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _answers(url: str) -> bool:
    """Whether the server is ready: /readyz (database, Redis and storage answer) says so, or,
    on a build without /readyz, the sign-in page is served."""
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=5) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as error:
        if error.code != 404:
            return False
    except OSError:
        return False
    try:
        with urllib.request.urlopen(f"{url}/sign-in", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def start_stack(env: dict[str, str], root: Path, servers: int = 2) -> Stack:
    """Migrate and load, then start ``servers`` gunicorn masters and one worker."""
    logs = root / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    run_cli(env, root / "instance-setup", "db", "upgrade")
    run_cli(env, root / "instance-setup", "init", "--skip-admin")

    ports = [free_port() for _ in range(servers)]
    stack = Stack(env, [f"http://127.0.0.1:{port}" for port in ports], logs)
    try:
        for n, port in enumerate(ports):
            server_env = {
                **env,
                "ACCREDIT_INSTANCE_PATH": str(root / f"instance-web-{n}"),
                "ACCREDIT_BASE_URL": stack.urls[n],
            }
            command = [
                str(BIN / "gunicorn"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--no-control-socket",
                "--access-logfile",
                str(logs / f"gunicorn-{n}.access.log"),
                "wsgi:app",
            ]
            stack.processes.append(_spawn(command, server_env, logs / f"gunicorn-{n}.log"))
        worker_env = {**env, "ACCREDIT_INSTANCE_PATH": str(root / "instance-worker")}
        stack.processes.append(
            _spawn([str(BIN / "accredit"), "worker"], worker_env, logs / "worker.log")
        )
        deadline = time.monotonic() + START_SECONDS
        waiting = list(stack.urls)
        while waiting and time.monotonic() < deadline:
            for process in stack.processes:
                assert process.poll() is None, f"{process.args} exited:\n{_tails(logs)}"
            waiting = [url for url in waiting if not _answers(url)]
            time.sleep(0.3)
        assert not waiting, f"{waiting} not ready within {START_SECONDS}s:\n{_tails(logs)}"
    except BaseException:
        stack.stop()
        raise
    return stack


def _tails(logs: Path, lines: int = 15) -> str:
    """The end of every process's log, for a failure message that explains itself."""
    parts = []
    for log in sorted(logs.glob("*.log")):
        text = log.read_text(errors="replace").splitlines()[-lines:]
        parts.append(f"== {log.name}\n" + "\n".join(text))
    return "\n".join(parts)


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() can end all of it
        )
