"""The blocks in conftest.py hold, so a unit test that reaches for a database fails."""

from __future__ import annotations

import socket
import sys

import pytest
from sqlalchemy import create_engine, text

from tests.unit.conftest import DatabaseBlocked


def test_sqlite_is_blocked():
    engine = create_engine("sqlite://")
    with pytest.raises(DatabaseBlocked), engine.connect() as conn:
        conn.execute(text("select 1"))


def test_network_databases_are_blocked():
    with pytest.raises(DatabaseBlocked):
        socket.create_connection(("127.0.0.1", 5432), timeout=1)


def test_domain_and_scoring_load_without_flask_or_sqlalchemy():
    import subprocess

    code = (
        "import sys; import accredit.domain.scoring.scoring, accredit.standards.loader, "
        "accredit.domain.accounts.organisations, accredit.domain.accounts.permissions; "
        "bad = [m for m in ('flask', 'sqlalchemy', 'wtforms') if m in sys.modules]; "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
