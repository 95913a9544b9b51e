"""The live server the browser tier drives, and helpers that write to its database."""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from accredit import create_app
from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Invitation, Organisation, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.services.accounts.passwords import hash_password
from accredit.services.operations.mail import read_outbox
from tests.browser.support import links_in
from tests.support import profiles
from tests.support.database import reset_schema_once

PASSWORD = "granite-tulip-harbour-47"


class _Dispatcher:
    """The WSGI callable the server runs; each test points it at a freshly created app."""

    def __init__(self) -> None:
        self.app: Flask | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        assert self.app is not None, "no app is being served"
        return self.app(environ, start_response)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class LiveServer:
    url: str
    settings: Settings
    dispatcher: _Dispatcher
    server: BaseWSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        self.server.server_close()


def start_live_server(root: Path) -> LiveServer:
    """Migrate a new SQLite database under ``root`` and serve the app on a free port."""
    database_url = f"sqlite:///{root / 'accredit.db'}"
    reset_schema_once(database_url)  # accredit.data.migrate.upgrade on a new engine
    dispatcher = _Dispatcher()
    server = make_server("127.0.0.1", 0, dispatcher, threaded=True, request_handler=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    settings = Settings(
        instance_path=root / "instance",
        database_url=database_url,
        secret_key=secrets.token_hex(32),
        base_url=url,
        sign_in_attempts=5,
        sign_in_window_minutes=15,
        log_level="WARNING",
        # Admins sign in with a password alone; test_two_factor sets up a code voluntarily.
        admin_two_factor=False,
    )
    dispatcher.app = create_app(settings)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    return LiveServer(url, settings, dispatcher, server, thread)


@dataclass
class Live:
    """The live server as one test sees it, with helpers that write straight to its database."""

    server: LiveServer
    app: Flask
    _counter: Iterator[int] = field(default_factory=lambda: iter(range(1, 10_000)))

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def settings(self) -> Settings:
        return self.server.settings

    def make_org(
        self,
        name: str = "Northgate Hospitals NHS Foundation Trust",
        *,
        ods_code: str | None = None,
        org_type: OrgType = OrgType.ACUTE_TRUST,
        region: str = "north-east-yorkshire",
    ) -> Organisation:
        from accredit.data.queries.accounts.organisations import region_by_code

        n = next(self._counter)
        with self.app.app_context(), unit_of_work() as session:
            organisation = Organisation(
                name=name,
                ods_code=ods_code or f"R{n:02d}",
                org_type=org_type,
                region=region_by_code(region),
                profile=profiles.answered(),
            )
            session.add(organisation)
        return organisation

    def make_user(
        self,
        role: Role,
        organisation: Organisation | None = None,
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = PASSWORD,
    ) -> User:
        n = next(self._counter)
        with self.app.app_context(), unit_of_work() as session:
            user = User(
                email=email or f"{role.value.replace('_', '.')}{n}@example.nhs.uk",
                name=name or f"{role.label} {n}",
                role=role,
                organisation_id=organisation.id if organisation else None,
                password_hash=_hash(password),
                active=True,
                session_version=1,
            )
            session.add(user)
        return user

    def assign_reviewer(self, reviewer: User, *organisations: Organisation) -> None:
        """Put the organisations in a cohort of their own and give it to the reviewer, who sees
        only the cohorts they are assigned."""
        from accredit.data.models import Cohort, CohortMembership, CohortReviewer

        n = next(self._counter)
        with self.app.app_context(), unit_of_work() as session:
            cohort = Cohort(
                name=f"Reviewed cohort {n}",
                year=2026,
                standard_id="weqs",
                standard_version="2026.1",
            )
            session.add(cohort)
            session.flush()
            session.add(CohortReviewer(cohort_id=cohort.id, user_id=reviewer.id))
            for organisation in organisations:
                session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))

    def make_invitation(
        self,
        organisation: Organisation,
        *,
        expired: bool = False,
        email: str = "new@example.nhs.uk",
    ) -> str:
        """An invitation for an organisation lead; returns the token its link carries."""
        token = secrets.token_urlsafe(32)
        expires = utcnow() + (timedelta(days=-1) if expired else timedelta(days=7))
        with self.app.app_context(), unit_of_work() as session:
            session.add(
                Invitation(
                    email=email,
                    name="Sam Newcomer",
                    role=Role.ORG_LEAD,
                    organisation_id=organisation.id,
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    expires_at=expires,
                )
            )
        return token

    def outbox(self) -> list[EmailMessage]:
        return read_outbox(self.settings)

    def link_mailed_to(self, email: str) -> str:
        """The one link in the newest message to ``email``; it must point at this server."""
        messages = [m for m in self.outbox() if m["To"] == email]
        assert messages, f"no mail to {email}; outbox has {[m['To'] for m in self.outbox()]}"
        links = links_in(messages[-1].get_content())
        assert len(links) == 1, f"expected one link in the mail, found {links}"
        assert links[0].startswith(self.url + "/"), f"{links[0]} does not point at {self.url}"
        return links[0]


_HASHES: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]
