"""The sign-in throttle's counts of failed attempts (accredit.domain.accounts.sign_in_throttle).

Every count reads one account's or one address's rows of the audit trail through its
(action, target, created_at) index, and none grows without bound: the per-account count
stops at the ceiling, because refused attempts are recorded under another action.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select

from accredit.data.models import AuditEvent
from accredit.domain.accounts import sign_in_throttle as throttle
from accredit.domain.accounts.sign_in_throttle import Failures
from accredit.extensions import db


def failures(account: str, ip: str | None, address_target: str, since: datetime) -> Failures:
    """Failed attempts counted for the next one on ``account`` (an email) from ``ip``:

    - on the account from ``ip``, since ``since`` and since the account last signed in from
      there (a success from an address disregards that address's earlier failures);
    - from ``ip`` on any account (recorded against ``address_target``) since ``since``;
    - on the account from anywhere since it last signed in or had its password reset.
    """
    signed_in_here = _latest((throttle.SIGNED_IN,), account, _from(ip), _since(since))
    here_since = max(since, signed_in_here) if signed_in_here is not None else since
    restarted = _latest((throttle.SIGNED_IN, throttle.PASSWORD_RESET), account)
    anywhere = _failed(account)
    if restarted is not None:
        anywhere = anywhere.where(AuditEvent.created_at > restarted)
    return Failures(
        account_at_address=_count(_failed(account).where(_from(ip), _since(here_since))),
        address=_count(_failed(address_target).where(_since(since))),
        account=_count(anywhere),
    )


def _failed(target: str) -> Select[int]:
    return select(func.count(AuditEvent.id)).where(
        AuditEvent.action == throttle.FAILED, AuditEvent.target == target
    )


def _from(ip: str | None) -> ColumnElement[bool]:
    return AuditEvent.ip_address.is_(None) if ip is None else AuditEvent.ip_address == ip


def _since(moment: datetime) -> ColumnElement[bool]:
    return AuditEvent.created_at >= moment


def _count(query: Select[int]) -> int:
    return db.session.scalar(query) or 0


def _latest(
    actions: tuple[str, ...], account: str, *conditions: ColumnElement[bool]
) -> datetime | None:
    return db.session.scalar(
        select(func.max(AuditEvent.created_at)).where(
            AuditEvent.action.in_(actions), AuditEvent.target == account, *conditions
        )
    )
