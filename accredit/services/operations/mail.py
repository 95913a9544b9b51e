"""The one outbound mail service.

With ``ACCREDIT_SMTP_HOST`` set, mail goes to that server. Without it, every message is
logged and written to ``instance/outbox/`` so the demo and the tests can follow links.
"""

from __future__ import annotations

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

from accredit.config import Settings
from accredit.domain.service import SERVICE_NAME

log = logging.getLogger("accredit.mail")


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    body: str


def signature(settings: Settings) -> str:
    """Every message ends by saying which service sent it and who runs it: people are told
    to trust mail from the service, so it names itself the same way each time."""
    return f"\n-- \n{SERVICE_NAME}\n{settings.issuer_name}\n"


def _message(settings: Settings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = f"<{uuid.uuid4()}@accredit>"
    message.set_content(mail.body.rstrip("\n") + "\n" + signature(settings))
    return message


def outbox_path(settings: Settings) -> Path:
    return settings.instance_path / "outbox"


def send(settings: Settings, mail: Mail) -> None:
    message = _message(settings, mail)
    if settings.smtp_host:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_use_tls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(message)
        # Never the address, subject or body: they name people and carry sign-in links.
        log.info("Sent a mail via the mail server")
        return
    outbox = outbox_path(settings)
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = outbox / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(bytes(message))
    # The outbox file holds the message; the log says only where (no address, no link).
    log.info("No mail server configured: a mail was saved to %s", path)


def read_outbox(settings: Settings) -> list[EmailMessage]:
    """Messages in the outbox, oldest first."""
    outbox = outbox_path(settings)
    if not outbox.exists():
        return []
    parser = BytesParser(policy=default_policy)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(outbox.glob("*.eml"))]
