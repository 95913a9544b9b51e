"""invitations.emailed_at: when the invitation's email went out from a background job

A cohort import's invitations are emailed by a background job, which gives each a fresh link as
it sends it (the link's raw token is never stored, not even in the job's parameters) and marks
it sent, so a job run again after a failure emails only those still to go. Invitations made
before this revision, and those sent straight from a form, have none.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 20:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from accredit.data.base import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("emailed_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invitations", schema=None) as batch_op:
        batch_op.drop_column("emailed_at")
