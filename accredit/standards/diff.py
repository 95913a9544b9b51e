"""What changed between two versions of a standard, in terms an assessor cares about.
Criteria are matched by id. Besides added and removed criteria, each change is classed as rewording
(text only: the meaning should not move), stricter (harder to reach a level: became mandatory, moved
to a lower level, weight or a scoring bound raised, evidence newly required, a threshold raised),
looser (the reverse), or other (questions added or removed, type or applicability changed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accredit.domain.scoring.conditions import describe
from accredit.domain.scoring.standard import (
    ChoiceScoring,
    Criterion,
    Level,
    NumberScoring,
    Question,
    Standard,
)


@dataclass(frozen=True, slots=True)
class CriterionChange:
    criterion_id: str
    title: str
    changes: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.criterion_id} {self.title}: {'; '.join(self.changes)}"


@dataclass(frozen=True, slots=True)
class StandardDiff:
    old: str  # "weqs 2026.1"
    new: str
    added: tuple[Criterion, ...] = ()
    removed: tuple[Criterion, ...] = ()
    reworded: tuple[CriterionChange, ...] = ()
    stricter: tuple[CriterionChange, ...] = ()
    looser: tuple[CriterionChange, ...] = ()
    other: tuple[CriterionChange, ...] = ()
    #: Standard-wide changes (levels, thresholds, readiness rule), each prefixed
    #: stricter/looser/other.
    standard: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.reworded
            or self.stricter
            or self.looser
            or self.other
            or self.standard
        )

    def render(self) -> str:
        lines = [f"{self.old} -> {self.new}"]
        if self.empty:
            lines.append("No changes to criteria, levels or rules.")
            return "\n".join(lines)
        if self.standard:
            lines.append(f"Standard ({len(self.standard)}):")
            lines.extend(f"  {change}" for change in self.standard)
        groups: list[tuple[str, tuple[object, ...]]] = [
            ("Added", tuple(f"{c.id} {c.title} ({c.level})" for c in self.added)),
            ("Removed", tuple(f"{c.id} {c.title} ({c.level})" for c in self.removed)),
            ("Reworded", self.reworded),
            ("Stricter", self.stricter),
            ("Looser", self.looser),
            ("Other changes", self.other),
        ]
        for name, items in groups:
            if items:
                lines.append(f"{name} ({len(items)}):")
                lines.extend(f"  {item}" for item in items)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def diff(old: Standard, new: Standard) -> StandardDiff:
    """Compare two versions (normally of the same standard) criterion by criterion."""
    old_by_id = {c.id: c for c in old.criteria}
    new_by_id = {c.id: c for c in new.criteria}
    old_rank = {lv.id: i for i, lv in enumerate(old.levels)}
    new_rank = {lv.id: i for i, lv in enumerate(new.levels)}
    reworded: list[CriterionChange] = []
    stricter: list[CriterionChange] = []
    looser: list[CriterionChange] = []
    other: list[CriterionChange] = []
    for criterion in new.criteria:
        before = old_by_id.get(criterion.id)
        if before is None:
            continue
        buckets = _compare(before, criterion, old_rank, new_rank)
        for bucket, target in zip(buckets, (reworded, stricter, looser, other), strict=True):
            if bucket:
                target.append(CriterionChange(criterion.id, criterion.title, tuple(bucket)))
    return StandardDiff(
        old=f"{old.id} {old.version}",
        new=f"{new.id} {new.version}",
        added=tuple(c for c in new.criteria if c.id not in old_by_id),
        removed=tuple(c for c in old.criteria if c.id not in new_by_id),
        reworded=tuple(reworded),
        stricter=tuple(stricter),
        looser=tuple(looser),
        other=tuple(other),
        standard=tuple(_standard_changes(old, new)),
    )


def _compare(
    old: Criterion, new: Criterion, old_rank: dict[str, int], new_rank: dict[str, int]
) -> tuple[list[str], list[str], list[str], list[str]]:
    reworded: list[str] = []
    stricter: list[str] = []
    looser: list[str] = []
    other: list[str] = []
    for name in ("title", "guidance"):
        if getattr(old, name) != getattr(new, name):
            reworded.append(name)
    _compare_rules(old, new, old_rank, new_rank, stricter, looser, other)
    if old.applies_if != new.applies_if:
        shown = describe(new.applies_if) if new.applies_if else "every organisation"
        other.append(f"now applies to: {shown}")
    if old.section_id != new.section_id:
        other.append(f"moved from section {old.section_id} to {new.section_id}")
    _compare_questions(old, new, reworded, stricter, looser, other)
    return reworded, stricter, looser, other


def _compare_rules(
    old: Criterion,
    new: Criterion,
    old_rank: dict[str, int],
    new_rank: dict[str, int],
    stricter: list[str],
    looser: list[str],
    other: list[str],
) -> None:
    """What it takes to meet the criterion: mandatory, level, weight and evidence, each change
    sorted into stricter or looser (a move to or from a level missing on one side is neither)."""
    if old.mandatory != new.mandatory:
        (stricter if new.mandatory else looser).append(
            "became mandatory" if new.mandatory else "no longer mandatory"
        )
    if old.level != new.level:
        change = f"moved from {old.level} to {new.level}"
        before, after = old_rank.get(old.level), new_rank.get(new.level)
        if before is None or after is None:
            other.append(change)
        else:
            (stricter if after < before else looser).append(change)
    if old.weight != new.weight:
        change = f"weight {_num(old.weight)} -> {_num(new.weight)}"
        (stricter if new.weight > old.weight else looser).append(change)
    if old.evidence.required != new.evidence.required:
        (stricter if new.evidence.required else looser).append(
            "evidence now required" if new.evidence.required else "evidence no longer required"
        )


def _compare_questions(
    old: Criterion,
    new: Criterion,
    reworded: list[str],
    stricter: list[str],
    looser: list[str],
    other: list[str],
) -> None:
    """Questions removed (in the old order), then added or changed (in the new order)."""
    old_questions = {q.id: q for q in old.questions}
    new_questions = {q.id: q for q in new.questions}
    for q in old.questions:
        if q.id not in new_questions:
            other.append(f"question {q.id} removed")
    for q in new.questions:
        previous = old_questions.get(q.id)
        if previous is None:
            other.append(f"question {q.id} added")
            continue
        _compare_question(previous, q, reworded, stricter, looser, other)


def _compare_question(
    old: Question,
    new: Question,
    reworded: list[str],
    stricter: list[str],
    looser: list[str],
    other: list[str],
) -> None:
    label = f"question {new.id}"
    for name in ("text", "hint"):
        if getattr(old, name) != getattr(new, name):
            reworded.append(f"{label} {name}")
    if old.type != new.type:
        other.append(f"{label} type {old.type} -> {new.type}")
        return
    if old.show_if != new.show_if:
        other.append(f"{label} shown when: {describe(new.show_if) if new.show_if else 'always'}")
    if old.scored != new.scored:
        other.append(f"{label} {'now' if new.scored else 'no longer'} scored")
    if old.answered_by != new.answered_by:
        source = f"answered by the service ({new.answered_by})" if new.answered_by else "typed"
        other.append(f"{label} now {source}")
    old_options = {o.value: o for o in old.options}
    new_options = {o.value: o for o in new.options}
    if old_options.keys() != new_options.keys():
        other.append(f"{label} options changed")
    else:
        for value, option in new_options.items():
            before = old_options[value]
            if before.label != option.label:
                reworded.append(f"{label} option {value} label")
            if before.score != option.score and None not in (before.score, option.score):
                change = f"{label} option {value} score {before.score:g} -> {option.score:g}"
                assert option.score is not None and before.score is not None
                (looser if option.score > before.score else stricter).append(change)
    _compare_scoring(label, old, new, stricter, looser, other)


def _compare_scoring(
    label: str,
    old: Question,
    new: Question,
    stricter: list[str],
    looser: list[str],
    other: list[str],
) -> None:
    a, b = old.scoring, new.scoring
    if a == b:
        return
    if isinstance(a, NumberScoring) and isinstance(b, NumberScoring):
        # A higher "at least" or a lower "at most" bound is harder to reach.
        for name, harder_if_higher in (
            ("met_at_least", True),
            ("partly_at_least", True),
            ("met_at_most", False),
            ("partly_at_most", False),
        ):
            x, y = getattr(a, name), getattr(b, name)
            if x == y:
                continue
            if x is None or y is None:
                other.append(f"{label} scoring changed")
                return
            change = f"{label} {name} {_num(x)} -> {_num(y)}"
            (stricter if (y > x) == harder_if_higher else looser).append(change)
        return
    if (
        isinstance(a, ChoiceScoring)
        and isinstance(b, ChoiceScoring)
        and a.method == b.method == "count"
    ):
        for name in ("met_at_least", "partly_at_least"):
            x, y = getattr(a, name), getattr(b, name)
            if x != y and x is not None and y is not None:
                (stricter if y > x else looser).append(f"{label} {name} {x} -> {y}")
            elif x != y:
                other.append(f"{label} scoring changed")
        return
    other.append(f"{label} scoring changed")


def _standard_changes(old: Standard, new: Standard) -> list[str]:
    changes: list[str] = []
    old_levels = {lv.id: lv for lv in old.levels}
    new_levels = {lv.id: lv for lv in new.levels}
    for level in new.levels:
        before = old_levels.get(level.id)
        if before is None:
            changes.append(f"other: level {level.id} added")
        else:
            changes.extend(_level_changes(old, before, new, level))
    for level in old.levels:
        if level.id not in new_levels:
            changes.append(f"other: level {level.id} removed")
    if [lv.id for lv in old.levels if lv.id in new_levels] != [
        lv.id for lv in new.levels if lv.id in old_levels
    ]:
        changes.append("other: levels reordered")
    a, b = old.readiness, new.readiness
    flags = (
        ("mandatory_must_be_met", True),
        ("partly_meets_mandatory", False),
        ("evidence_required_for_met", True),
    )
    for name, stricter_when_true in flags:
        x, y = getattr(a, name), getattr(b, name)
        if x != y:
            kind = "stricter" if y == stricter_when_true else "looser"
            changes.append(f"{kind}: readiness {name} {str(x).lower()} -> {str(y).lower()}")
    if a.partly_credit != b.partly_credit:
        kind = "stricter" if b.partly_credit < a.partly_credit else "looser"
        changes.append(
            f"{kind}: readiness partly_credit {_num(a.partly_credit)} -> {_num(b.partly_credit)}"
        )
    return changes


def _level_changes(old: Standard, before: Level, new: Standard, level: Level) -> list[str]:
    changes: list[str] = []
    if before.threshold != level.threshold:
        kind = "stricter" if level.threshold > before.threshold else "looser"
        changes.append(
            f"{kind}: level {level.id} threshold "
            f"{_num(before.threshold)} -> {_num(level.threshold)}"
        )
    rule_before, rule = old.rule_for(before), new.rule_for(level)
    if rule_before != rule:
        changes.append(f"other: level {level.id} rule {rule_before} -> {rule}")
    if before.min_met != level.min_met:
        kind = "stricter" if level.min_met > before.min_met else "looser"
        changes.append(f"{kind}: level {level.id} min_met {before.min_met} -> {level.min_met}")
    return changes
