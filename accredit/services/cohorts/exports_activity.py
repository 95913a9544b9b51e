"""The cohort export of annual activity returns: a row per organisation and financial year,
drafts included (their status says so), with every figure of the return as a number."""

from __future__ import annotations

from collections.abc import Iterator

from accredit.data.models import Cohort
from accredit.data.queries.assessments.activity_returns import export_rows
from accredit.data.queries.scope import Scope
from accredit.domain.assessments.activity_return import FIELDS, SUBMITTED, year_label
from accredit.domain.cohorts.spreadsheet import neutralise
from accredit.services.cohorts.exports_rows import (
    BATCH,
    DATETIME_FORMAT,
    Column,
    Row,
    Table,
    moment,
    typed_rows,
)


def activity_table(scope: Scope, cohort: Cohort) -> Table:
    columns = (
        Column("Organisation", 40),
        Column("ODS code", 10),
        Column("Region", 26),
        Column("Type", 26),
        Column("Financial year", 14),
        Column("Status", 12),
        Column("Submitted at (UTC)", 20, DATETIME_FORMAT),
        *(Column(neutralise(field.label), min(40, max(12, len(field.label) + 2)), "0")
          for field in FIELDS),
    )  # fmt: skip

    def batches() -> Iterator[list[Row]]:
        batch: list[Row] = []
        for row in export_rows(scope, cohort.id):
            figures = row.figures or {}
            batch.append(
                (
                    neutralise(row.name),
                    neutralise(row.ods_code),
                    neutralise(row.region),
                    row.org_type.label,
                    year_label(row.year),
                    "Submitted" if row.status == SUBMITTED else "Draft",
                    moment(row.submitted_at),
                    *(_number(figures.get(field.name)) for field in FIELDS),
                )
            )
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    return Table("activity", "Activity returns", columns, typed_rows(batches))


def _number(value: object) -> int | None:
    """A stored figure as a whole number; anything else (never written by the service) blank."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
