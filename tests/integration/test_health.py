"""``/healthz`` and ``/readyz``: public, cheap, no cookies, and honest about what is down
without saying where it is."""

from __future__ import annotations

import socket

import pytest

from accredit import create_app
from accredit.extensions import db


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def broken_app(settings, app):
    """A second app whose database is a PostgreSQL server that is not there; the shared
    database handle is pointed back at the test database afterwards."""
    url = f"postgresql://accredit:s3cret-pw@127.0.0.1:{_closed_port()}/accredit"
    broken = create_app(settings.model_copy(update={"database_url": url}))
    broken.config.update(TESTING=True)
    yield broken
    db.configure(settings.database_url)


def test_healthz_says_ok_without_cookies(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers
    assert response.headers["X-Request-ID"]


def test_readyz_checks_database_and_storage(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "storage": "ok"},
    }
    assert "Set-Cookie" not in response.headers
    # The storage probe is an ordinary stored file, written once.
    assert (settings.instance_path / "evidence").is_dir()


def test_probes_need_no_sign_in_and_are_never_throttled(client, clients):
    from accredit.domain.accounts.organisations import Role

    for _ in range(60):
        assert client.get("/healthz").status_code == 200
    for _ in range(20):
        assert client.get("/readyz").status_code == 200
    assert clients[Role.ORG_LEAD].get("/readyz").status_code == 200


def test_a_database_that_does_not_answer_makes_readyz_503_but_not_healthz(broken_app):
    client = broken_app.test_client()
    assert client.get("/healthz").status_code == 200  # no database touched
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["failing"] == ["database"]
    assert body["checks"]["storage"] == "ok"
    text = response.get_data(as_text=True)
    for secret in ("s3cret-pw", "127.0.0.1", "postgresql", "accredit:"):
        assert secret not in text
    assert "Set-Cookie" not in response.headers


def test_redis_that_does_not_answer_makes_readyz_503(app, settings):
    closed = f"redis://:hunter2@127.0.0.1:{_closed_port()}/4"
    app.extensions["accredit.settings"] = settings.model_copy(update={"redis_url": closed})
    try:
        response = app.test_client().get("/readyz")
    finally:
        app.extensions["accredit.settings"] = settings
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"] == {"database": "ok", "redis": "failed", "storage": "ok"}
    assert body["failing"] == ["redis"]
    assert "hunter2" not in response.get_data(as_text=True)


def test_storage_that_cannot_be_written_makes_readyz_503(app, settings):
    blocked = settings.instance_path / "blocked"
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_text("a file where the storage folder should be")
    app.extensions["accredit.settings"] = settings.model_copy(update={"instance_path": blocked})
    try:
        response = app.test_client().get("/readyz")
    finally:
        app.extensions["accredit.settings"] = settings
    assert response.status_code == 503
    assert response.get_json()["failing"] == ["storage"]
