"""The app factory, settings and the database set-up."""

from __future__ import annotations

from datetime import UTC

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from accredit import create_app
from accredit.config import Settings
from accredit.data.models import User
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db


def test_secret_key_is_generated_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ACCREDIT_SECRET_KEY", raising=False)
    monkeypatch.setenv("ACCREDIT_INSTANCE_PATH", str(tmp_path / "inst"))
    first = Settings.from_env().secret_key
    second = Settings.from_env().secret_key
    assert first == second and len(first) == 64
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o077 == 0


def test_settings_come_from_prefixed_environment_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCREDIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ACCREDIT_SECRET_KEY", "from-env")
    monkeypatch.setenv("ACCREDIT_MAX_UPLOAD_MB", "3")
    monkeypatch.setenv("ACCREDIT_ABSOLUTE_HOURS", "0.5")
    monkeypatch.setenv("ACCREDIT_IDLE_MINUTES", "20")
    settings = Settings.from_env()
    assert settings.secret_key == "from-env"
    assert settings.database_url == f"sqlite:///{tmp_path / 'accredit.db'}"
    assert settings.flask_config()["MAX_CONTENT_LENGTH"] == 3 * 1024 * 1024
    assert settings.flask_config()["PERMANENT_SESSION_LIFETIME"].total_seconds() == 1800
    assert settings.flask_config()["WTF_CSRF_TIME_LIMIT"] == 1800  # never under the idle limit
    assert settings.idle_minutes == 20 and settings.idle_warning_minutes == 2


def test_create_app_takes_overrides(tmp_path):
    app = create_app(
        {
            "instance_path": tmp_path,
            "secret_key": "k",
            "database_url": f"sqlite:///{tmp_path / 'x.db'}",
        }
    )
    assert app.config["SECRET_KEY"] == "k"


def test_sqlite_connections_use_wal_and_foreign_keys(app):
    if db.session.bind.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_foreign_keys_are_enforced(app):
    user = User(
        email="x@example.nhs.uk",
        name="X",
        role=Role.ORG_LEAD,
        organisation_id=424242,
        active=True,
        session_version=1,
    )
    db.session.add(user)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_timestamps_are_timezone_aware(app, people):
    user = db.session.get(User, people[Role.HEE_ADMIN].id)
    db.session.expire_all()
    user = db.session.get(User, people[Role.HEE_ADMIN].id)
    assert user.created_at.tzinfo is UTC and user.updated_at.tzinfo is UTC


def test_constraint_names_follow_the_convention(app):
    from sqlalchemy import inspect

    inspector = inspect(db.session.bind)
    uniques = {u["name"] for u in inspector.get_unique_constraints("users")}
    assert "uq_users_email" in uniques
    fks = {f["name"] for f in inspector.get_foreign_keys("users")}
    assert "fk_users_organisation_id_organisations" in fks


def test_wsgi_module_exposes_an_app(monkeypatch, tmp_path):
    monkeypatch.setenv("ACCREDIT_INSTANCE_PATH", str(tmp_path))
    import importlib

    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "accredit"


def test_cookies_are_secure_by_default_when_served_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCREDIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ACCREDIT_BASE_URL", "https://accredit.example.nhs.uk")
    assert Settings.from_env().flask_config()["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("ACCREDIT_BASE_URL", "http://127.0.0.1:5000")
    assert Settings.from_env().flask_config()["SESSION_COOKIE_SECURE"] is False
