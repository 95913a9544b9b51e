"""The dashboard's queries filtered by status follow each organisation to its newest
assessment on SQLite, rather than walking every assessment of that status for each
organisation (16 s for one table page at 10,000 organisations; see data/queries/planner.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, text

from accredit.data.queries.cohorts.dashboard import _base
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import Role
from accredit.domain.cohorts.dashboard import Filters, RowStatus
from accredit.extensions import db


@pytest.mark.parametrize("status", [s for s in RowStatus if s is not RowStatus.NOT_STARTED])
def test_a_status_filter_never_walks_assessments_by_status(app, status):
    assert db.engine is not None
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL plans from its own statistics")
    filters = Filters(status=status, region="london")
    query = _base(Scope(0, Role.HEE_ADMIN, None), 1, filters, func.count())
    sql = str(query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with app.app_context():
        plan = [row[3] for row in db.session.execute(text("EXPLAIN QUERY PLAN " + sql))]
    assert not [step for step in plan if "ix_assessments_status" in step], plan
    assert any("SEARCH assessments USING INTEGER PRIMARY KEY" in step for step in plan), plan
