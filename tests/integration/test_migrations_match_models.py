"""The migrations build exactly the schema the models describe (nothing left to autogenerate)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import accredit.data.models  # noqa: F401  (registers every table)
from accredit.data.base import Base
from accredit.data.migrate import downgrade, upgrade


def _differences(url: str) -> list:
    engine = create_engine(url)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_a_fresh_database_at_head_matches_the_models(tmp_path):
    assert _differences(f"sqlite:///{tmp_path / 'fresh.db'}") == []


def test_the_latest_migration_goes_down_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    engine = create_engine(url)
    upgrade(engine)
    downgrade(engine, "0006")
    upgrade(engine)
    assert _differences(url) == []
