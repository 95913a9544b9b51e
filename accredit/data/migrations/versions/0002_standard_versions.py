"""standard versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 01:51:10.310572
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import accredit.data.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "standard_versions",
        sa.Column("standard_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("criteria_count", sa.Integer(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            accredit.data.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            accredit.data.base.UTCDateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standard_versions")),
        sa.UniqueConstraint(
            "standard_id", "version", name=op.f("uq_standard_versions_standard_id")
        ),
    )
    with op.batch_alter_table("standard_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_standard_versions_content_hash"), ["content_hash"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("standard_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standard_versions_content_hash"))

    op.drop_table("standard_versions")
