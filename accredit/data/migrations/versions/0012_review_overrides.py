"""criterion_reviews.override_reason: a reviewer's reason for counting a criterion as met
when the standard's rules do not

A reviewer may mark a criterion met only where the scoring engine finds it met, or by an
override with a reason, which the readiness report, the evidence pack and the moderation
figures show as an override. Judgements made before this revision have no reason.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 06:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("criterion_reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("override_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("criterion_reviews", schema=None) as batch_op:
        batch_op.drop_column("override_reason")
