"""The rows of the cohort exports as typed values the CSV and XLSX writers share, and the
table of organisations (the answers table is in ``exports_answers``).

Numbers stay numbers, dates are dates, and every text cell is neutralised against formula
injection as the row is made. Everything comes from the stored summaries: nothing is rescored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from accredit.data.models import Cohort
from accredit.data.queries.cohorts import exports as queries
from accredit.data.queries.scope import Scope
from accredit.domain.cohorts.spreadsheet import neutralise
from accredit.domain.scoring.standard import Standard
from accredit.services.operations.standards import latest_published

#: How an organisation with no assessment in the cohort is described (the site's wording).
NOT_STARTED = "Not started"
#: Organisation rows handed to a writer at a time.
BATCH = 1000
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
PERCENT_FORMAT = "0.0"

Row = tuple[Any, ...]
#: Told (organisations done, organisations in all) after each chunk.
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    #: Excel column width, in characters.
    width: float
    #: An Excel number format for the column's values (numbers and dates); None leaves it.
    number_format: str | None = None


class Codec(Protocol):
    """How a writer encodes cells: consecutive cells of a row, from a 0-based column, as one
    fragment of text. Rows are fragments joined with ``separator`` (a comma in CSV)."""

    separator: str

    def __call__(self, column: int, *values: object) -> str: ...


#: A table's rows, encoded: each item is the rows of one organisation (or one batch).
Rendered = Iterator[list[str]]


@dataclass
class Table:
    """A table to write: its columns, then its rows encoded by the writer's codec a batch at a
    time, read from the database while the file is written (never all held at once)."""

    name: str
    title: str
    columns: tuple[Column, ...]
    render: Callable[[Codec], Rendered]


def typed_rows(batches: Callable[[], Iterator[list[Row]]]) -> Callable[[Codec], Rendered]:
    """Render typed rows a cell at a time (for tables small enough not to need more)."""

    def render(codec: Codec) -> Rendered:
        for batch in batches():
            yield [codec(0, *row) for row in batch]

    return render


def percent(value: float | None) -> float | int | None:
    """A percentage to one decimal place (a whole number without ``.0``), None for blank."""
    if value is None:
        return None
    rounded = round(float(value), 1)
    return int(rounded) if rounded.is_integer() else rounded


def moment(value: datetime | None) -> datetime | None:
    """UTC to the second without a zone: spreadsheets have none, and the header says UTC."""
    if value is None:
        return None
    return value.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def cohort_standard(cohort: Cohort) -> Standard | None:
    found = latest_published(cohort.standard_id, cohort.standard_version)
    return found[0] if found else None


# --- A row per organisation ------------------------------------------------------------


def organisation_table(scope: Scope, cohort: Cohort) -> Table:
    """A row per organisation in the cohort: status, completion, level, readiness per level of
    the cohort's standard and a score per section, from the stored summaries."""
    standard = cohort_standard(cohort)
    levels = standard.levels if standard else ()
    sections = standard.sections if standard else ()
    columns = (
        Column("ODS code", 10),
        Column("Organisation", 40),
        Column("Type", 26),
        Column("Region", 26),
        Column("Status", 20),
        Column("Completion %", 14, PERCENT_FORMAT),
        Column("Level reached", 14),
        *(Column(neutralise(f"{lv.name} readiness %"), 18, PERCENT_FORMAT) for lv in levels),
        *(
            Column(
                neutralise(f"{s.title} score %"),
                min(40, max(14, len(s.title) + 10)),
                PERCENT_FORMAT,
            )
            for s in sections
        ),
        Column("Last activity (UTC)", 20, DATETIME_FORMAT),
        Column("Submitted at (UTC)", 20, DATETIME_FORMAT),
        Column("Deadline", 12, DATE_FORMAT),
    )
    names = {lv.id: lv.name for lv in levels}

    def batches() -> Iterator[list[Row]]:
        batch: list[Row] = []
        for row in queries.organisation_rows(scope, cohort.id):
            reached = row.level_reached
            by_level = row.level_percents or {}
            by_section = row.section_percents or {}
            batch.append(
                (
                    neutralise(row.ods_code),
                    neutralise(row.name),
                    row.org_type.label,
                    neutralise(row.region),
                    row.status.label if row.status is not None else NOT_STARTED,
                    percent(row.completion),
                    neutralise(names.get(reached, reached)) if reached else None,
                    *(percent(by_level.get(lv.id)) for lv in levels),
                    *(percent(by_section.get(s.id)) for s in sections),
                    moment(row.last_activity_at),
                    moment(row.submitted_at),
                    cohort.deadline,
                )
            )
            if len(batch) >= BATCH:
                yield batch
                batch = []
        if batch:
            yield batch

    return Table("organisations", "Organisations", columns, typed_rows(batches))
