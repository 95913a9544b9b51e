"""The database handle: one engine and a request-scoped session per app (when it commits is
accredit.data.transactions's rule).

We use SQLAlchemy directly rather than Flask-SQLAlchemy so the same handle works in the
CLI, in RQ workers and in tests without an app-context dance.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # FULL, not NORMAL: in WAL mode NORMAL syncs only at checkpoints, so a power cut (or an
    # OS crash) can lose the last commits after their pages were acknowledged to a user as
    # saved. FULL syncs the WAL on every commit: a save we answer "saved" to stays saved.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    Statement parameters (emails, names, answers) are left out of database errors, whose
    messages reach the application log with a failed request's traceback."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 5}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


class Database:
    """Engine plus a scoped session, bound to an app by ``init_app``."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._sessions: scoped_session[Session] | None = None

    def configure(self, url: str) -> None:
        if self.engine is not None and str(self.engine.url) == url:
            return
        if self.engine is not None:
            self.dispose()
        self.engine = make_engine(url)
        self._sessions = scoped_session(
            sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=True)
        )

    def init_app(self, app: Any, url: str) -> None:
        self.configure(url)
        app.extensions["accredit.db"] = self

        @app.teardown_appcontext
        def _remove_session(exc: BaseException | None) -> None:
            # Closing rolls back whatever is left uncommitted (see accredit.data.transactions).
            self.remove()

    @property
    def session(self) -> Session:
        if self._sessions is None:
            raise RuntimeError("Database is not configured: call init_app first")
        return self._sessions()

    def remove(self) -> None:
        """Close this thread's session (the end of a request, job or test)."""
        if self._sessions is not None:
            self._sessions.remove()

    def dispose(self) -> None:
        if self._sessions is not None:
            self._sessions.remove()
        if self.engine is not None:
            self.engine.dispose()
