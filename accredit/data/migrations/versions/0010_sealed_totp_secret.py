"""room for sealed two-factor keys: users.totp_secret holds a Fernet token (143 characters)

Keys stored before are read as they are and sealed when next used
(accredit.services.accounts.secret_box).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret",
            existing_type=sa.String(length=64),
            type_=sa.String(length=255),
            existing_nullable=True,
        )


def downgrade() -> None:
    # A sealed key does not fit the old column: two-factor is set up again after a downgrade.
    op.execute("UPDATE users SET totp_secret = NULL, two_factor_enabled_at = NULL")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret",
            existing_type=sa.String(length=255),
            type_=sa.String(length=64),
            existing_nullable=True,
        )
