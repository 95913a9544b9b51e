"""Two-factor queries: claiming a time step or a recovery code in one conditional UPDATE.

Both are single statements so that two requests carrying the same code at the same moment
cannot both succeed: the database lets exactly one of them change the row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import CursorResult, delete, func, or_, select, update

from accredit.data.models import RecoveryCode, User
from accredit.extensions import db


def claim_time_step(user_id: int, step: int) -> bool:
    """Record ``step`` as the user's last accepted code, if it is newer than the last one."""
    result = db.session.execute(
        update(User)
        .where(
            User.id == user_id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def spend_recovery_code(user_id: int, code_hash: str, now: datetime) -> bool:
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == code_hash,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def unused_recovery_codes(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(RecoveryCode.id)).where(
                RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def delete_recovery_codes(user_id: int) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))


def users_with_unsealed_keys(prefix: str) -> Sequence[User]:
    """Accounts whose two-factor key was stored before keys were sealed (no ``prefix``)."""
    query = select(User).where(
        User.totp_secret.is_not(None), User.totp_secret.not_like(f"{prefix}%")
    )
    return db.session.scalars(query).all()
