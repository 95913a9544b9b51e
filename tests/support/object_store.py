"""A local S3-compatible server for the tests: moto's server mode in a subprocess on
127.0.0.1 and a free port, with a fresh bucket per test. When moto is not installed or does
not start, tests that need it are skipped with the reason (never silently passed)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HOST = "127.0.0.1"
# moto accepts any key pair; these are set explicitly so no real AWS credentials on the
# machine are ever read or sent.
KEY_ID, SECRET = "testing-key-id", "testing-secret"
START_SECONDS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class ObjectStore:
    endpoint: str
    process: subprocess.Popen[bytes]

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="eu-west-2",
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )

    def new_bucket(self) -> str:
        name = f"accredit-{uuid.uuid4().hex[:16]}"
        self.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
        )
        return name

    def url(self, bucket: str, prefix: str = "accredit") -> str:
        return f"s3://{bucket}/{prefix}?endpoint={self.endpoint}&region=eu-west-2"

    def keys(self, bucket: str) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def start_object_store(log: Path) -> ObjectStore:
    """Start moto_server; skip the calling test (with why) when it cannot start."""
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
    except ImportError as error:
        pytest.skip(
            f"object storage tests need boto3 and moto[server] (pip install -e .[dev]): {error}"
        )
    port = free_port()
    endpoint = f"http://{HOST}:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ACCREDIT_"))}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    store = ObjectStore(endpoint, process)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError):
            socket.create_connection((HOST, port), timeout=0.5).close()
            return store
        time.sleep(0.1)
    store.stop()
    tail = log.read_text(errors="replace")[-800:]
    pytest.skip(f"moto's S3 server did not start on {endpoint}: {tail or 'no output'}")


@pytest.fixture(scope="session", name="object_store")
def object_store_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ObjectStore]:
    store = start_object_store(tmp_path_factory.mktemp("moto") / "moto.log")
    yield store
    store.stop()
