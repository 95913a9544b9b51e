"""Readiness: can this process serve requests? The database, the job queue (Redis, when one
is configured) and evidence storage must all answer.

Each check reports only "ok" or "failed": the probe is public, so it must never show a URL,
a host name or an error message that could carry a password. The reason goes to the log, as
the exception's type only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from accredit.config import Settings
from accredit.data.queries.operations import health as queries
from accredit.services.storage.storage import sha256_of
from accredit.services.storage.stores import storage_for

log = logging.getLogger("accredit.health")
#: Seconds to wait for Redis before calling it down (a probe must answer quickly).
REDIS_TIMEOUT = 2.0
#: A few known bytes kept in storage: reading them back proves the store answers.
PROBE = b"accredit readiness probe\n"


@dataclass(frozen=True, slots=True)
class Readiness:
    checks: dict[str, str]

    @property
    def ready(self) -> bool:
        return all(outcome == "ok" for outcome in self.checks.values())

    @property
    def failing(self) -> list[str]:
        return [name for name, outcome in self.checks.items() if outcome != "ok"]


def _database(settings: Settings) -> bool:
    return queries.database_answers()


def _redis(settings: Settings) -> bool:
    from redis import Redis

    client = Redis.from_url(
        settings.redis_url or "",
        socket_connect_timeout=REDIS_TIMEOUT,
        socket_timeout=REDIS_TIMEOUT,
    )
    try:
        return bool(client.ping())
    finally:
        client.close()


def _storage(settings: Settings) -> bool:
    """Only the Storage protocol's own methods, so any backend is checked the same way: the
    probe is written once and then only looked for."""
    storage = storage_for(settings)
    digest = sha256_of(PROBE)
    if not storage.exists(digest):
        storage.put(PROBE)
    return storage.exists(digest)


def readiness(settings: Settings) -> Readiness:
    checks: dict[str, Callable[[Settings], bool]] = {"database": _database}
    if settings.redis_url:
        checks["redis"] = _redis
    checks["storage"] = _storage
    outcomes: dict[str, str] = {}
    for name, check in checks.items():
        try:
            outcomes[name] = "ok" if check(settings) else "failed"
        except Exception as error:  # any failure at all means not ready
            log.warning("Readiness check %s failed: %s", name, type(error).__name__)
            outcomes[name] = "failed"
    return Readiness(outcomes)
