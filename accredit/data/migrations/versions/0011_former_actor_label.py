"""audit_events.actor_label: who acted, once their account went with a deleted organisation

Deleting an organisation deletes its people's accounts and empties actor_id on what they did;
the label keeps their role and the organisation's ODS code (no name or email), so the trail
still says who, in general terms. Events emptied before this revision stay unlabelled.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_label", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("actor_label")
