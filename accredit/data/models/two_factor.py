"""The recovery codes of two-factor sign-in. Re-exported by ``accredit.data.models``.

Only a keyed hash of each code is kept (accredit.services.accounts.two_factor says why), and a code
is spent by setting ``used_at``, so the audit trail and the account page can tell how many are
left without any code being recoverable from the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from accredit.data.base import Entity, UTCDateTime


class RecoveryCode(Entity):
    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
