"""RQ against the real Redis on 127.0.0.1:6379 with real worker processes: settings with a
queue of their own (only its keys are removed afterwards), and a burst worker run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from accredit.config import Settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_answers() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            pass
    except OSError:
        return False
    from redis import Redis

    try:
        return bool(Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=1).ping())
    except Exception:
        return False


@pytest.fixture
def rq_settings(settings: Settings) -> Iterator[Settings]:
    """The test settings on Redis, with a queue of their own; only its keys are removed."""
    if not redis_answers():
        pytest.skip(f"RQ tests need Redis on {REDIS_HOST}:{REDIS_PORT}")
    from redis import Redis

    settings.redis_url = f"redis://{REDIS_HOST}:{REDIS_PORT}/0"
    settings.job_queue = f"accredit-test-{uuid.uuid4().hex[:12]}"
    settings.job_modules = ("tests.support.job_handlers",)
    yield settings
    connection = Redis.from_url(settings.redis_url)
    keys = list(connection.scan_iter(f"*{settings.job_queue}*"))
    if keys:
        connection.delete(*keys)


def worker_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCREDIT_")}
    env.update(
        ACCREDIT_DATABASE_URL=settings.database_url,
        ACCREDIT_INSTANCE_PATH=str(settings.instance_path),
        ACCREDIT_SECRET_KEY=settings.secret_key,
        ACCREDIT_REDIS_URL=settings.redis_url or "",
        ACCREDIT_JOB_QUEUE=settings.job_queue,
        ACCREDIT_JOB_MODULES=",".join(settings.job_modules),
        ACCREDIT_LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def accredit_command() -> str:
    return str(Path(sys.executable).parent / "accredit")


def burst(settings: Settings) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [accredit_command(), "worker", "--burst"],
        cwd=ROOT,
        env=worker_env(settings),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result
