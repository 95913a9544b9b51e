"""The unit tier is pure: any attempt to reach a database or the network fails the test."""

from __future__ import annotations

import socket
import sqlite3

import pytest


class DatabaseBlocked(RuntimeError):
    """A unit test tried to open a database or a socket; it belongs in tests/integration."""


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise DatabaseBlocked("unit tests may not use a database or the network")


@pytest.fixture(autouse=True)
def _block_databases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sqlite3, "connect", _refuse)
    monkeypatch.setattr(sqlite3.dbapi2, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
