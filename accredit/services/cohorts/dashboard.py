"""A cohort's dashboard: tiles, charts and the organisations table, from stored summaries only.

Every figure honours the view's filters, so "North West acute trusts" gets its own tiles and
charts. Charts are drawn by the same charting module as the readiness report, each with a title,
a description and a table of its figures; drawing is cached per set of figures, so a dashboard
seen again costs only its queries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from accredit.data.base import utcnow
from accredit.data.models import Cohort, Region
from accredit.data.queries.accounts.organisations import regions
from accredit.data.queries.cohorts import dashboard as queries
from accredit.data.queries.cohorts.dashboard import Group, TableRow
from accredit.data.queries.scope import Scope
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.cohorts.dashboard import (
    NO_LEVEL,
    PAGE_SIZE,
    Filters,
    RowStatus,
    Tiles,
    page_count,
    tiles,
)
from accredit.domain.scoring.standard import Section, Standard
from accredit.services.operations.standards import latest_published
from accredit.services.reports import charts
from accredit.services.reports.charts import Chart


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Options:
    """What each filter may be set to, for the filter form."""

    regions: tuple[Choice, ...]
    types: tuple[Choice, ...]
    statuses: tuple[Choice, ...]
    levels: tuple[Choice, ...]

    def items(self, kind: str, chosen: str | None, everything: str) -> list[dict[str, object]]:
        """Items for an NHS.UK select: "everything" first, the chosen one selected."""
        choices: tuple[Choice, ...] = getattr(self, kind)
        first: dict[str, object] = {"value": "", "text": everything}
        return [first] + [
            {"value": c.value, "text": c.label, "selected": c.value == chosen} for c in choices
        ]


@dataclass(frozen=True, slots=True)
class Table:
    rows: list[TableRow]
    total: int
    pages: int
    level_names: dict[str, str]
    page_size: int = PAGE_SIZE


@dataclass(frozen=True, slots=True)
class Dashboard:
    cohort: Cohort
    filters: Filters
    options: Options
    tiles: Tiles
    level_names: dict[str, str]
    charts: tuple[Chart, ...]
    table: Table


def standard_of(cohort: Cohort) -> Standard | None:
    found = latest_published(cohort.standard_id, cohort.standard_version)
    return found[0] if found is not None else None


def options(standard: Standard | None, all_regions: list[Region] | None = None) -> Options:
    return Options(
        regions=tuple(Choice(r.code, r.name) for r in (all_regions or regions())),
        types=tuple(Choice(t.value, t.label) for t in OrgType),
        statuses=tuple(Choice(s.value, s.label) for s in RowStatus),
        levels=(
            *(
                Choice(lv.id, f"Highest level: {lv.name}")
                for lv in (standard.levels if standard else ())
            ),
            Choice(NO_LEVEL, "Not yet ready for a level"),
        ),
    )


def read_filters(args: dict[str, str], opts: Options) -> Filters:
    return Filters.parse(
        args,
        regions=[c.value for c in opts.regions],
        org_types=[c.value for c in opts.types],
        levels=[c.value for c in opts.levels],
    )


def table(
    scope: Scope,
    cohort: Cohort,
    filters: Filters,
    standard: Standard | None,
    total: int | None = None,
) -> Table:
    level_ids = [lv.id for lv in standard.levels] if standard else []
    rows, total = queries.table_page(scope, cohort.id, filters, level_ids, total)
    names = {lv.id: lv.name for lv in standard.levels} if standard else {}
    return Table(rows, total, page_count(total), names)


@dataclass(frozen=True, slots=True)
class TableView:
    cohort: Cohort
    filters: Filters
    options: Options
    table: Table


def table_view(scope: Scope, cohort: Cohort, args: dict[str, str]) -> TableView:
    """The organisations table alone (no tiles or charts): the quick page for working down a
    list."""
    standard = standard_of(cohort)
    opts = options(standard)
    filters = read_filters(args, opts)
    return TableView(cohort, filters, opts, table(scope, cohort, filters, standard))


def build(
    scope: Scope, cohort: Cohort, args: dict[str, str], today: date | None = None
) -> Dashboard:
    today = today or utcnow().date()
    standard = standard_of(cohort)
    opts = options(standard)
    filters = read_filters(args, opts)
    levels = list(standard.levels) if standard else []
    sections = list(standard.sections) if standard else []
    groups = queries.figures(scope, cohort.id, filters, [s.id for s in sections])
    counts = [(g.status, g.level, g.count) for g in groups]
    summary = tiles(counts, [lv.id for lv in levels], cohort.deadline, today)
    names = {lv.id: lv.name for lv in levels}
    drawn = [
        _level_chart(summary, names),
        _funnel_chart(counts, summary),
    ]
    heat = _heat_chart(groups, sections)
    if heat is not None:
        drawn.append(heat)
    progress = _progress_chart(cohort, [(lv.id, lv.name) for lv in levels])
    if progress is not None:
        drawn.append(progress)
    return Dashboard(
        cohort=cohort,
        filters=filters,
        options=opts,
        tiles=summary,
        level_names=names,
        charts=tuple(drawn),
        table=table(scope, cohort, filters, standard, total=summary.organisations),
    )


def _share(count: int, total: int) -> float:
    return 100.0 * count / total if total else 0.0


def _counted(chart: Chart, first: str, figures: list[tuple[str, int]], total: int) -> Chart:
    """The chart's table with counts beside each share of the cohort."""
    rows = tuple((label, f"{n} ({_share(n, total):.0f}%)") for label, n in figures)
    return replace(chart, headers=(first, "Organisations (share of those shown)"), rows=rows)


def _level_chart(summary: Tiles, names: dict[str, str]) -> Chart:
    reached = sum(summary.ready.values())
    figures = [("Not yet ready", summary.organisations - reached)] + [
        (f"Ready for {names[level]}", n) for level, n in summary.ready.items()
    ]
    total = summary.organisations
    chart = charts.bar_chart(
        "chart-levels",
        "Readiness level",
        "The share of organisations at each level their stored self-assessment score reaches, "
        "counting each at its highest level.",
        tuple((label, _share(n, total)) for label, n in figures),
        axis_label="Share of organisations (%)",
    )
    return _counted(chart, "Level", figures, total)


def _funnel_chart(counts: list[tuple[RowStatus, str | None, int]], summary: Tiles) -> Chart:
    total = summary.organisations
    started = total - summary.not_started
    ready = sum(n for status, level, n in counts if level and status is not RowStatus.NOT_STARTED)
    accepted = sum(n for status, _, n in counts if status is RowStatus.ACCEPTED)
    figures = [
        ("In the cohort", total),
        ("Started an assessment", started),
        ("Ready for a level", ready),
        ("Submitted", summary.submitted),
        ("Accepted", accepted),
    ]
    chart = charts.bar_chart(
        "chart-funnel",
        "Progress through the assessment",
        "How many organisations have reached each step, from joining the cohort to acceptance.",
        tuple((label, _share(n, total)) for label, n in figures),
        axis_label="Share of organisations (%)",
    )
    return _counted(chart, "Step", figures, total)


def _heat_chart(groups: list[Group], sections: list[Section]) -> Chart | None:
    """Average section score by region, over organisations that have a stored score."""
    sums: dict[str, list[float]] = {}
    counts: dict[str, list[int]] = {}
    for group in groups:
        if group.status is RowStatus.NOT_STARTED:
            continue
        region_sums = sums.setdefault(group.region, [0.0] * len(sections))
        region_counts = counts.setdefault(group.region, [0] * len(sections))
        for i, (total, n) in enumerate(zip(group.section_sums, group.section_counts, strict=True)):
            region_sums[i] += total
            region_counts[i] += n
    if not sections or not sums:
        return None
    rows = [
        (region, [s / n if n else None for s, n in zip(sums[region], counts[region], strict=True)])
        for region in sorted(sums)
    ]
    return charts.heat_map(
        "chart-regions",
        "Average section score by region",
        "Each cell is the average stored score for a section across the organisations of a "
        "region that have started; a dash means no figures.",
        tuple(name for name, _ in rows),
        tuple(s.title for s in sections),
        tuple(tuple(values) for _, values in rows),
        value_label="Average score (%)",
    )


def _progress_chart(cohort: Cohort, levels: list[tuple[str, str]]) -> Chart | None:
    from accredit.services.cohorts.progress import cohort_progress_chart

    return cohort_progress_chart(cohort, levels)
