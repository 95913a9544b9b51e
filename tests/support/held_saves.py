"""The crash test's WSGI app: the service's own app, whose saves can be held at a known point.

A save whose answer carries ``[hold before-commit N]`` stops right after its answer history is
written, inside its transaction; one carrying ``[hold after-commit N]`` stops after its commit,
before its response. Either way the worker writes its pid to ``N.pid`` in the folder named by
``CRASH_TEST_HOLD_DIR`` and waits there to be killed (once per number). So the crash test kills
a worker exactly while a save is in flight, however fast or slow the machine, instead of hoping
a kill lands at the right moment. Only the gunicorn the crash test starts has the holds, through
``held_app()`` (``tests.support.held_saves:held_app()`` in place of ``wsgi:app``); the service
itself has no such hook.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from accredit import create_app

HOLD = re.compile(r"\[hold (before-commit|after-commit) (\d+)\]")
HOLD_DIR = "CRASH_TEST_HOLD_DIR"
#: A held save that nobody kills gives up after this long (the test then fails on its answer).
WAIT_SECONDS = 60.0

_pending = threading.local()  # a held save's number, between its write and its commit


def marker(point: str, number: int) -> str:
    """The text that holds a save at ``point`` ("before-commit" or "after-commit")."""
    return f"[hold {point} {number}]"


def _wait_to_be_killed(number: str) -> None:
    folder = Path(os.environ[HOLD_DIR])
    if (folder / f"{number}.pid").exists():
        return  # held once already: the next save carries this value as its "before"
    partial = folder / f"{number}.partial"
    partial.write_text(str(os.getpid()))
    partial.rename(folder / f"{number}.pid")  # appears whole: the test never reads half a pid
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
    raise RuntimeError(f"held save {number} was never killed")


def _after_write(
    _conn: Any, _cursor: Any, statement: str, _parameters: Any, context: Any, _many: bool
) -> None:
    if not statement.lstrip().upper().startswith("INSERT INTO ANSWER_CHANGES"):
        return
    # The values as the service gave them (a driver may wrap JSON ones beyond recognition).
    found = HOLD.search(repr(getattr(context, "compiled_parameters", None)))
    if found is None:
        return
    point, number = found.groups()
    if point == "before-commit":
        _wait_to_be_killed(number)  # the answer is written, the transaction still open
    _pending.number = number


def _after_commit(_session: Session) -> None:
    number = getattr(_pending, "number", None)
    _pending.number = None
    if number is not None:
        _wait_to_be_killed(number)  # committed, and the response not yet sent


def _after_rollback(_session: Session) -> None:
    _pending.number = None


def held_app() -> Flask:
    """wsgi.py's app, with the holds in place: gunicorn calls this (``held_saves:held_app()``),
    so a process that only imports this module (the test, for its constants) is left alone."""
    event.listen(Engine, "after_cursor_execute", _after_write)
    event.listen(Session, "after_commit", _after_commit)
    event.listen(Session, "after_rollback", _after_rollback)
    return create_app()
