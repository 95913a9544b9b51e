"""score(standard, profile, answers) -> Result: pure, deterministic, and fast.

The rules are documented in standards/README.md ("How a criterion's status is computed", "How levels
are computed"). Everything that depends only on the standard is compiled once into a plan (see
`accredit.domain.scoring.plan`), so scoring one assessment is a single pass over its answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from accredit.domain.scoring.answers import evidence_count
from accredit.domain.scoring.conditions import decide
from accredit.domain.scoring.plan import HIDDEN, Judgement, Plan, PlannedCriterion, plan_for
from accredit.domain.scoring.results import (
    Blocker,
    CriterionResult,
    LevelResult,
    Ranking,
    Result,
    SectionResult,
    Status,
)
from accredit.domain.scoring.standard import Standard

__all__ = [
    "Blocker",
    "CriterionResult",
    "LevelResult",
    "Result",
    "SectionResult",
    "Status",
    "rescore_levels",
    "score",
    "visible_keys",
]


def score(
    standard: Standard, profile: Mapping[str, object], answers: Mapping[str, object]
) -> Result:
    """Score one assessment against `standard` for an organisation with `profile`.

    `answers` maps "<criterion id>/<question id>" to a value (see standards/README.md for the value
    of each question type) and "<criterion id>/evidence" to evidence references or a count. Never
    raises on odd answers: an invalid value counts as missing.
    """
    plan = plan_for(standard)
    n_levels, n_sections = len(standard.levels), len(standard.sections)
    level_num = [0.0] * n_levels
    level_den = [0.0] * n_levels
    level_unmet = [0] * n_levels
    level_met = [0] * n_levels
    level_count = [0] * n_levels
    section_num = [0.0] * n_sections
    section_den = [0.0] * n_sections
    section_count = [0] * n_sections
    section_met = [0] * n_sections
    results: list[CriterionResult] = []
    visible: dict[str, object] = {}
    get = answers.get

    # Profile fields that decide applicability but nobody has answered: criteria reading them
    # wait for the profile (unknown is never "no"). Usually none, and then nothing more is done.
    unknown = frozenset(f for f in plan.gating if profile.get(f) is None)

    for c in plan.criteria:
        if c.applies is not None:
            if unknown and not unknown.isdisjoint(c.gating):
                decided = decide(c.criterion.applies_if, profile)  # type: ignore[arg-type]
                if decided is None:
                    judgement = c.awaiting(unknown)
                elif not decided:
                    results.append(c.not_applicable.result)
                    continue
                else:
                    judgement = _judge(c, profile, get, visible)
            elif not c.applies(profile, visible):
                results.append(c.not_applicable.result)
                continue
            else:
                judgement = _judge(c, profile, get, visible)
        else:
            judgement = _judge(c, profile, get, visible)
        results.append(judgement.result)
        if not judgement.applicable:
            continue
        i, s, weight = c.level_index, c.section_index, c.weight
        level_num[i] += judgement.weighted
        level_den[i] += weight
        level_count[i] += 1
        section_num[s] += judgement.weighted
        section_den[s] += weight
        section_count[s] += 1
        if not judgement.mandatory_ok:
            level_unmet[i] += 1
        if judgement.met:
            level_met[i] += 1
            section_met[s] += 1

    return _result(
        standard,
        plan,
        tuple(results),
        (level_num, level_den, level_unmet, level_met, level_count),
        (section_num, section_den, section_count, section_met),
    )


#: Per level: weighted credit, weight, mandatory criteria failing, own criteria met, applicable.
ByLevel = tuple[list[float], list[float], list[int], list[int], list[int]]


def _result(
    standard: Standard,
    plan: Plan,
    criteria: tuple[CriterionResult, ...],
    by_level: ByLevel,
    by_section: tuple[list[float], list[float], list[int], list[int]],
) -> Result:
    """The result from the criteria and their totals per level and per section."""
    level_num, level_den = by_level[0], by_level[1]
    section_num, section_den, section_count, section_met = by_section
    sections = tuple(
        SectionResult(
            id=section.id,
            percent=_ratio(section_num[i], section_den[i]) if section_den[i] > 0 else None,
            applicable=section_count[i],
            met=section_met[i],
        )
        for i, section in enumerate(standard.sections)
    )
    levels = _levels(standard, plan, criteria, by_level)
    achieved = [lv.id for lv in levels if lv.achieved]
    return Result(
        standard_id=standard.id,
        standard_version=standard.version,
        content_hash=standard.content_hash,
        criteria=criteria,
        sections=sections,
        levels=levels,
        percent=_ratio(sum(level_num), sum(level_den)),
        highest_level=achieved[-1] if achieved else None,
    )


def rescore_levels(
    standard: Standard, result: Result, criteria: tuple[CriterionResult, ...]
) -> Result:
    """``result`` with its criteria replaced and its sections and levels worked out again from
    them by the same rules (HEE review changes criterion statuses, not answers). Applicability
    and weights are the standard's, so only credit and the mandatory rule can move."""
    plan = plan_for(standard)
    level_num = [0.0] * len(standard.levels)
    level_den = [0.0] * len(standard.levels)
    level_unmet = [0] * len(standard.levels)
    level_met = [0] * len(standard.levels)
    level_count = [0] * len(standard.levels)
    section_num = [0.0] * len(standard.sections)
    section_den = [0.0] * len(standard.sections)
    section_met = [0] * len(standard.sections)
    for c, planned in zip(criteria, plan.criteria, strict=True):
        if not c.applicable:
            continue
        i, s, weight = planned.level_index, planned.section_index, planned.weight
        level_num[i] += weight * c.credit
        level_den[i] += weight
        section_num[s] += weight * c.credit
        section_den[s] += weight
        level_unmet[i] += 0 if c.mandatory_ok else 1
        level_count[i] += 1
        met = c.status is Status.MET
        level_met[i] += 1 if met else 0
        section_met[s] += 1 if met else 0
    section_count = [old.applicable for old in result.sections]
    return _result(
        standard,
        plan,
        criteria,
        (level_num, level_den, level_unmet, level_met, level_count),
        (section_num, section_den, section_count, section_met),
    )


def _judge(
    c: PlannedCriterion,
    profile: Mapping[str, object],
    get: Callable[[str], object],
    visible: dict[str, object],
) -> Judgement:
    """Observe a criterion's answers and judge them (memoised per observation)."""
    raw_evidence = get(c.evidence_key)
    evidence = 0 if raw_evidence is None else evidence_count(raw_evidence)
    if c.simple is not None:
        try:
            # dict.get on an unhashable answer (a list given to a yes/no question) raises
            # TypeError; the general path below then treats it as invalid.
            observed = tuple([t.get(get(k)) for k, t in c.simple])  # type: ignore[call-overload]
        except TypeError:
            observed = _observe(c, profile, get, visible)
    else:
        observed = _observe(c, profile, get, visible)
    return c.judge(observed, evidence)


def _observe(
    c: PlannedCriterion,
    profile: Mapping[str, object],
    get: Callable[[str], object],
    visible: dict[str, object],
) -> tuple[object, ...]:
    """Per question: HIDDEN, None (missing or invalid), its score, or True when answered but
    unscored (evidence questions: their evidence count). Records answers later conditions read."""
    observed: list[object] = []
    for q in c.questions:
        if q.show_if is not None and not q.show_if(profile, visible):
            observed.append(HIDDEN)
            continue
        raw = get(q.key)
        if raw is None:
            observed.append(None)
            continue
        table = q.table
        if table is not None:
            seen = table.get(raw) if isinstance(raw, str) else None
            observed.append(seen)
            if q.store and seen is not None:
                visible[q.key] = raw
            continue
        value = q.normalise(raw)
        if value is None:
            observed.append(None)
            continue
        if q.store:
            visible[q.key] = value
        if q.score is not None:
            observed.append(q.score(value))
        else:
            observed.append(value if q.is_evidence else True)
    return tuple(observed)


def _ratio(num: float, den: float) -> float:
    return 100.0 * num / den if den > 0 else 100.0


def _levels(
    standard: Standard,
    plan: Plan,
    criteria: tuple[CriterionResult, ...],
    by_level: ByLevel,
) -> tuple[LevelResult, ...]:
    level_num, level_den, level_unmet, level_met, level_count = by_level
    levels: list[LevelResult] = []
    held_back_by: str | None = None  # the lowest level not ready so far
    ranking = Ranking(criteria)  # blocker order, shared by the levels and sorted only if asked
    for i, level in enumerate(standard.levels):
        scope = plan.scopes[i]
        num = den = 0.0
        unmet = 0
        for j in scope:
            num, den, unmet = num + level_num[j], den + level_den[j], unmet + level_unmet[j]
        # Compare without dividing, so that 4/5 of the weight is exactly 80%.
        short = num * 100.0 < level.threshold * den - 1e-9 * max(den, 1.0)
        needed = min(plan.min_met[i], level_count[i])
        few = level_met[i] < needed
        ready = unmet == 0 and not short and not few
        levels.append(
            LevelResult(
                id=level.id,
                name=level.name,
                threshold=level.threshold,
                percent=_ratio(num, den),
                ready=ready,
                achieved=ready and held_back_by is None,
                mandatory_unmet=unmet,
                held_back_by=held_back_by,
                met=level_met[i],
                min_met=needed,
                _short=short,
                _own=i if few else None,
                _ranking=ranking,
                _scope=scope,
                _weight=den,
            )
        )
        if not ready and held_back_by is None:
            held_back_by = level.id
    return tuple(levels)


def visible_keys(
    standard: Standard, profile: Mapping[str, object], answers: Mapping[str, object]
) -> tuple[str, ...]:
    """Answer keys of the questions to show, in file order (none for criteria that do not apply)."""
    plan = plan_for(standard)
    visible: dict[str, object] = {}
    keys: list[str] = []
    for c in plan.criteria:
        if c.applies is not None and not c.applies(profile, visible):
            continue
        for q in c.questions:
            if q.show_if is not None and not q.show_if(profile, visible):
                continue
            keys.append(q.key)
            raw = answers.get(q.key)
            value = None if raw is None else q.normalise(raw)
            if value is not None:
                visible[q.key] = value
    return tuple(keys)
