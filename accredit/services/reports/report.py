"""The readiness report: what the page and the PDF pack both show, built once from a workspace.

Levels and their readiness, the section scores (as a chart and a table), what blocks the next
level with its guidance and any action planned for it, strengths (criteria already met at levels
above the one reached) and, when the assessment carried on from an earlier cycle, what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from accredit.config import Settings
from accredit.data.models import Action, Assessment
from accredit.data.queries.assessments.actions import actions_of
from accredit.data.queries.scope import Scope
from accredit.domain.assessments.actions import ActionStatus, is_overdue
from accredit.domain.scoring.questionnaire import applies
from accredit.domain.scoring.results import LevelResult, Result, Status
from accredit.domain.scoring.standard import Criterion, Level, Standard
from accredit.extensions import db
from accredit.services.assessments.workspace import Workspace, load
from accredit.services.reports.benchmark import Benchmark
from accredit.services.reports.benchmark import build as build_benchmark
from accredit.services.reports.charts import Chart, Marker, bar_chart
from accredit.services.review.review_overrides import Override, overrides


@dataclass(frozen=True, slots=True)
class ActionLine:
    action: Action
    criterion: Criterion
    status: ActionStatus
    overdue: bool


@dataclass(frozen=True, slots=True)
class BlockerLine:
    criterion: Criterion
    reason: str
    mandatory: bool
    #: Percentage points the next level's score would rise by if this criterion were met.
    gain: float
    action: ActionLine | None


@dataclass(frozen=True, slots=True)
class SectionLine:
    id: str
    title: str
    percent: float | None
    applicable: int
    met: int


@dataclass(frozen=True, slots=True)
class Movement:
    title: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class Comparison:
    """This cycle against the assessment it carried on from."""

    previous: Assessment
    previous_version: str
    level_before: str | None
    level_now: str | None
    percent_before: float
    percent_now: float
    sections: list[Movement]
    newly_met: list[Criterion]
    no_longer_met: list[Criterion]


@dataclass
class Report:
    ws: Workspace
    levels: tuple[LevelResult, ...]
    reached: Level | None
    next_level: LevelResult | None
    blockers: list[BlockerLine]
    strengths: list[Criterion]
    sections: list[SectionLine]
    chart: Chart
    actions: list[ActionLine]
    comparison: Comparison | None
    today: date = field(default_factory=date.today)
    #: Section scores beside the peers' medians; built only when a scope is given (the page).
    benchmark: Benchmark | None = None
    #: Criteria the last decided review counted as met against the standard's rules.
    overrides: list[Override] = field(default_factory=list)

    @property
    def standard(self) -> Standard:
        return self.ws.standard

    def needs_first(self, level: LevelResult) -> str | None:
        """The name of the lower level that must be reached before this one, if any."""
        return self.standard.level(level.held_back_by).name if level.held_back_by else None

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.actions if line.overdue)


def build(
    ws: Workspace,
    *,
    today: date | None = None,
    scope: Scope | None = None,
    settings: Settings | None = None,
) -> Report:
    today = today or date.today()
    standard, result = ws.standard, ws.result
    actions = _actions(ws, actions_of(ws.assessment), today)
    by_criterion = {line.criterion.id: line for line in actions}
    next_line = result.next_level
    blockers: list[BlockerLine] = []
    if next_line is not None:
        for b in next_line.blockers:
            criterion = standard.criterion(b.criterion_id)
            blockers.append(
                BlockerLine(
                    criterion, b.reason, b.mandatory, b.gain, by_criterion.get(criterion.id)
                )
            )
    sections = _sections(standard, result)
    return Report(
        ws=ws,
        levels=result.levels,
        reached=standard.level(result.highest_level) if result.highest_level else None,
        next_level=next_line,
        blockers=blockers,
        strengths=_strengths(standard, result),
        sections=sections,
        chart=section_chart(standard, sections),
        actions=actions,
        comparison=_comparison(ws),
        today=today,
        benchmark=(
            _benchmark(settings, scope, ws, sections)
            if scope is not None and settings is not None
            else None
        ),
        overrides=overrides(ws),
    )


def _benchmark(
    settings: Settings, scope: Scope, ws: Workspace, sections: list[SectionLine]
) -> Benchmark | None:
    applicable = [(s.id, s.title, s.percent) for s in sections if s.applicable]
    return build_benchmark(settings, scope, ws, applicable)


def _sections(standard: Standard, result: Result) -> list[SectionLine]:
    lines = []
    for section in standard.sections:
        found = result.section(section.id)
        lines.append(
            SectionLine(section.id, section.title, found.percent, found.applicable, found.met)
        )
    return lines


def section_chart(standard: Standard, sections: list[SectionLine]) -> Chart:
    shown = [s for s in sections if s.applicable]
    scored = [s for s in shown if s.percent is not None]
    lowest = min(scored, key=lambda s: s.percent or 0.0, default=None)
    highest = max(scored, key=lambda s: s.percent or 0.0, default=None)
    description = f"Bar chart of the score in each of {len(shown)} sections, from 0 to 100%."
    if lowest is not None and highest is not None:
        description += (
            f" Highest: {highest.title} at {highest.percent:.0f}%."
            f" Lowest: {lowest.title} at {lowest.percent:.0f}%."
        )
    description += " Dashed lines mark each level's threshold. The table gives every figure."
    return bar_chart(
        "section-scores",
        "Score by section",
        description,
        tuple((s.title, s.percent) for s in shown),
        headers=("Section", "Score"),
        markers=tuple(Marker(level.name, level.threshold) for level in standard.levels),
    )


def _strengths(standard: Standard, result: Result) -> list[Criterion]:
    """Criteria met at a level above the one reached (above the first level before any is
    reached): what the organisation already does towards the higher levels."""
    floor = standard.level_index(result.highest_level) if result.highest_level else 0
    return [
        standard.criterion(c.id)
        for c in result.criteria
        if c.status is Status.MET and standard.level_index(c.level) > floor
    ]


def _actions(ws: Workspace, actions: Sequence[Action], today: date) -> list[ActionLine]:
    lines = []
    for action in actions:
        try:
            criterion = ws.standard.criterion(action.criterion_id)
        except KeyError:  # pragma: no cover - criteria are never removed from a pinned version
            continue
        status = ActionStatus(action.status)
        lines.append(
            ActionLine(action, criterion, status, is_overdue(action.due_date, status, today))
        )
    return lines


def _comparison(ws: Workspace) -> Comparison | None:
    previous_id = ws.assessment.previous_id
    if previous_id is None:
        return None
    previous = db.session.get(Assessment, previous_id)
    if previous is None:
        return None
    before = load(previous)
    old, new = before.result, ws.result
    titles = {s.id: s.title for s in ws.standard.sections}
    old_sections = {s.id: s.percent for s in old.sections}
    sections = [
        Movement(titles[s.id], old_sections.get(s.id), s.percent)
        for s in new.sections
        if s.applicable
    ]
    met_before = {c.id for c in old.criteria if c.status is Status.MET}
    met_now = {c.id for c in new.criteria if c.status is Status.MET}
    asked_now = {c.id for c in new.criteria if applies(c)}
    level_name = ws.standard.level
    old_level_name = before.standard.level
    return Comparison(
        previous=previous,
        previous_version=before.standard.version,
        level_before=old_level_name(old.highest_level).name if old.highest_level else None,
        level_now=level_name(new.highest_level).name if new.highest_level else None,
        percent_before=old.percent,
        percent_now=new.percent,
        sections=sections,
        newly_met=[ws.standard.criterion(i) for i in sorted(met_now - met_before, key=_order(ws))],
        no_longer_met=[
            ws.standard.criterion(i)
            for i in sorted((met_before - met_now) & asked_now, key=_order(ws))
        ],
    )


def _order(ws: Workspace) -> Callable[[str], int]:
    position = {c.id: n for n, c in enumerate(ws.standard.criteria)}
    return lambda criterion_id: position.get(criterion_id, 0)
