"""The readiness probe's question to the database."""

from __future__ import annotations

from sqlalchemy import text

from accredit.extensions import db


def database_answers() -> bool:
    """True when the database runs a trivial statement. A connection of its own, returned to
    the pool at once, so the probe never leaves a request session half used."""
    if db.engine is None:
        return False
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT 1")).scalar() == 1
