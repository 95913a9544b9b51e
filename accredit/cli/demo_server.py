"""gunicorn settings for ``make run`` (``--config python:accredit.cli.demo_server``): once every
worker has loaded the app, print the address and the demo sign-ins in a box.

A newcomer's first question is how to sign in, and the answer used to scroll away among install
and start-up lines. Printed from the last worker to be ready, the box comes after everything
gunicorn and the app say while starting, so it is the last thing on the screen until requests
arrive. Production runs gunicorn without this file.
"""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import textwrap
from pathlib import Path
from typing import Any

#: Workers that have loaded the app, across processes: the config is loaded in gunicorn's
#: master and its workers are forked from it, so they share this counter.
_ready = multiprocessing.Value("i", 0)

MIN_WIDTH = 60
NO_SIGN_INS = (
    "No demo sign-ins: the database had accounts before the demo was seeded.\n"
    "Add one with: .venv/bin/accredit create-user"
)


def sign_in_box(url: str, sign_ins: str | None, width: int = 100) -> str:
    """The address and the sign-ins (the text of instance/demo-sign-ins.txt, or None when
    there is none), framed in plain ASCII so any terminal shows it, and no wider than ``width``
    so the terminal never wraps it: a long line continues, indented, on the next."""
    text = [f"accredit is running at {url}", ""]
    text += (sign_ins or NO_SIGN_INS).rstrip().splitlines()
    text += ["", "Press Ctrl-C to stop."]
    room = max(width, MIN_WIDTH) - 4  # "| " and " |"
    lines: list[str] = []
    for line in text:
        indent = " " * (len(line) - len(line.lstrip()) + 4)
        # Emails and passwords hold no spaces and are never split (nor at their hyphens).
        wrapped = textwrap.wrap(
            line, room, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False
        )
        lines += wrapped or [""]
    inner = max(len(line) for line in lines)
    rule = "+" + "-" * (inner + 2) + "+"
    return "\n".join([rule, *(f"| {line:<{inner}} |" for line in lines), rule])


def read_sign_ins(path: Path) -> str | None:
    try:
        return path.read_text()
    except FileNotFoundError:
        return None


def post_worker_init(worker: Any) -> None:
    """gunicorn hook, run in each worker once it has loaded the app."""
    with _ready.get_lock():
        _ready.value += 1
        last = _ready.value == worker.cfg.workers
    if not last:
        return  # an earlier worker, or a replacement for one that died
    from accredit.config import Settings
    from accredit.seed.demo import sign_ins_file

    url = ", ".join(str(listener) for listener in worker.sockets)
    columns = shutil.get_terminal_size((100, 24)).columns
    box = sign_in_box(url, read_sign_ins(sign_ins_file(Settings.from_env())), columns - 1)
    print("\n" + box + "\n", file=sys.stdout, flush=True)
