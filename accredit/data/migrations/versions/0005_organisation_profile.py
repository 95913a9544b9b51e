"""organisation profile as data: the three profile booleans become a JSON profile

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:10:35.900166
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = ("offers_under_16", "offers_clinical_placements", "offers_t_level")


def _organisations() -> sa.TableClause:
    return sa.table(
        "organisations",
        sa.column("id", sa.Integer),
        sa.column("profile", sa.JSON),
        *(sa.column(name, sa.Boolean) for name in FIELDS),
    )


def upgrade() -> None:
    # The three profile booleans become answers in a profile that the standard defines.
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile", sa.JSON(), nullable=True))
    bind = op.get_bind()
    organisations = _organisations()
    columns = [getattr(organisations.c, name) for name in FIELDS]
    for row in bind.execute(sa.select(organisations.c.id, *columns)).all():
        bind.execute(
            organisations.update()
            .where(organisations.c.id == row.id)
            .values(profile={name: bool(getattr(row, name)) for name in FIELDS})
        )
    bind.execute(organisations.update().where(organisations.c.profile.is_(None)).values(profile={}))
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column("profile", existing_type=sa.JSON(), nullable=False)
        for name in FIELDS:
            batch_op.drop_column(name)


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        for name in FIELDS:
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
            )

    # Put the answers back into the columns before the profile goes.
    bind = op.get_bind()
    organisations = _organisations()
    rows = bind.execute(sa.select(organisations.c.id, organisations.c.profile)).all()
    for row in rows:
        profile = row.profile or {}
        bind.execute(
            organisations.update()
            .where(organisations.c.id == row.id)
            .values(**{name: bool(profile.get(name)) for name in FIELDS})
        )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_column("profile")
