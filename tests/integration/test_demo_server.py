"""``make run``'s gunicorn settings (``accredit/cli/demo_server.py``): the demo sign-ins come in a
box after gunicorn is listening and every worker has booted, the last thing it prints.

A real gunicorn on a free port, against a temporary instance folder holding a sign-ins file.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
#: Only a broken start reaches this: the workers import the app, seconds on a busy machine.
START_SECONDS = 120
SIGN_INS = (
    "Demo sign-ins (also kept in instance/demo-sign-ins.txt, never in the code):\n"
    "  HEE admin                  admin@hee.example.nhs.uk             "
    "amber-orbit-willow-12  (HEE)\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_sign_ins_box_is_printed_last_once_gunicorn_is_ready(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "demo-sign-ins.txt").write_text(SIGN_INS)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCREDIT_")}
    env.update(
        ACCREDIT_INSTANCE_PATH=str(instance),
        ACCREDIT_DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}",
        ACCREDIT_SECRET_KEY="x" * 32,
        ACCREDIT_LOG_FORMAT="text",
        COLUMNS="200",
    )
    output = tmp_path / "gunicorn.out"
    with output.open("wb") as sink:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config=python:accredit.cli.demo_server",
                f"--bind=127.0.0.1:{port}",
                f"--workers={WORKERS}",
                "--no-control-socket",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_SECONDS
            while "Press Ctrl-C to stop." not in output.read_text():
                assert server.poll() is None, output.read_text()
                assert time.monotonic() < deadline, output.read_text()
                time.sleep(0.2)
            time.sleep(1)  # anything printed after the box would show up now
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(30)
    lines = output.read_text().splitlines()
    box_top = next(i for i, line in enumerate(lines) if line.startswith("+---"))
    box_bottom = max(i for i, line in enumerate(lines) if line.startswith("+---"))
    box = "\n".join(lines[box_top : box_bottom + 1])
    assert f"accredit is running at http://127.0.0.1:{port}" in box
    assert "admin@hee.example.nhs.uk             amber-orbit-willow-12  (HEE)" in box
    before = lines[:box_top]
    assert any(f"Listening at: http://127.0.0.1:{port}" in line for line in before)
    assert sum("Booting worker" in line for line in before) == WORKERS
    # After the box, only the shutdown this test asked for.
    after = [line for line in lines[box_bottom + 1 :] if line.strip()]
    assert all(
        "Handling signal" in line or "Shutting down" in line or "Worker exiting" in line
        for line in after
    ), after
