"""Proof that each level is earned: the fewest of its own criteria an organisation must meet.

`standards check` runs this on every file. It reads only weights, thresholds, `min_met`,
`partly_credit`, mandatory flags and applicability, never answers, so it is a lower bound the
scorer can never beat: for any answers, a level achieved has at least this many of its own
criteria met (a property test holds the two together).

For one organisation profile the worst case is plain arithmetic. Every lower level's criteria are
met (which helps a cumulative level most); the level's answer-gated criteria (all of whose scored
questions an answer can hide) are switched off, unless partly credit above the threshold makes
one worth keeping on; mandatory ones must be met; every other criterion earns partly credit where
an answer can make it partly met. Then the criteria that gain most are met one by one until
the score reaches the threshold, and `min_met` is applied. Profiles are every combination of the
values the `applies_if` conditions tell apart (each choice option, true, false, unset, number
bounds).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from accredit.domain.scoring.conditions import (
    Condition,
    ProfileCondition,
    answer_keys_used,
    compile_condition,
    leaves,
)
from accredit.domain.scoring.standard import (
    ChoiceScoring,
    Criterion,
    LevelRule,
    NumberScoring,
    ProfileFieldType,
    Question,
    QuestionType,
    Standard,
)

#: Beyond this many profile combinations, every criterion with an `applies_if` is treated as
#: possibly not applying (still a lower bound, just a looser one).
MAX_PROFILES = 20_000


@dataclass(frozen=True, slots=True)
class LevelNeed:
    """The worst case for one level: the fewest of its own criteria met that reach it."""

    level: str
    needed: int
    #: Own criteria that apply in the worst case.
    own: int
    #: The share of `own` the standard asks to be needed (`min_own_share`).
    share: float
    percent: float
    threshold: float
    rule: LevelRule
    #: Lower levels counted in the score (cumulative rule), lowest first.
    lower: tuple[str, ...]
    #: The criteria met in the worst case, and how many others are counted as partly met.
    met: tuple[str, ...]
    partly: int
    #: Whether the worst case needs partly credit (else `percent` counts only what is met).
    uses_partly: bool
    #: Own criteria switched off by their answers, and the profile, in the worst case.
    dropped: tuple[str, ...]
    profile: tuple[tuple[str, object], ...]

    @property
    def problem(self) -> bool:
        """Reachable with none of its own criteria, or with fewer than its declared share."""
        return self.needed == 0 or self.needed < self.share * self.own - 1e-9

    def message(self) -> str:
        head = f"{self.level} reachable with {self.needed} of {self.own} {self.level} criteria met"
        if self.needed and self.needed < self.share * self.own - 1e-9:
            head += f" (under min_own_share {_pct(self.share * 100)})"
        return f"{head}: {self._arithmetic()}{self._case()}"

    def _arithmetic(self) -> str:
        if self.own == 0 and not self.lower:
            return f"no {self.level} criterion applies, and nothing to score counts as 100%"
        parts = []
        if self.lower:
            parts.append("+".join(self.lower) + " weights")
        if self.met:
            parts.append(f"{self.level} {', '.join(self.met)} met")
        if self.uses_partly and self.partly:
            others = "the other " if self.met else ""
            parts.append(f"{others}{self.partly} {self.level} criteria partly met")
        if not parts:
            parts.append(f"no {self.level} criterion met")
        given = " and ".join(parts)
        return f"{given} give {_pct(self.percent)} >= {_pct(self.threshold)}"

    def _case(self) -> str:
        details = []
        if self.profile:
            fields = ", ".join(f"{name} {_value(value)}" for name, value in self.profile)
            details.append(f"profile: {fields}")
        if self.dropped:
            verb = "is" if len(self.dropped) == 1 else "are"
            details.append(f"{', '.join(self.dropped)} {verb} switched off by answers")
        return f" ({'; '.join(details)})" if details else ""


def _pct(value: float) -> str:
    return f"{value:.1f}%".replace(".0%", "%")


def _value(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def analyse(standard: Standard) -> tuple[LevelNeed, ...]:
    """Each level's worst case over every profile the standard's conditions tell apart."""
    worst: list[LevelNeed | None] = [None] * len(standard.levels)
    for profile, applicable, droppable in _cases(standard):
        for i, need in enumerate(needs(standard, applicable, droppable, profile)):
            best = worst[i]
            if best is None or need.needed < best.needed:
                worst[i] = need
    return tuple(need for need in worst if need is not None)


def problems(standard: Standard) -> list[LevelNeed]:
    """Every level reachable with too few of its own criteria met."""
    return [need for need in analyse(standard) if need.problem]


def needs_for_profile(standard: Standard, profile: Mapping[str, object]) -> tuple[LevelNeed, ...]:
    """The fewest own criteria met per level for one organisation profile, whatever answers."""
    applicable, droppable = _applicability(standard, profile)
    fields = tuple(sorted(profile.items()))
    return needs(standard, applicable, droppable, fields)


def needs(
    standard: Standard,
    applicable: frozenset[str],
    droppable: frozenset[str],
    profile: tuple[tuple[str, object], ...] = (),
) -> tuple[LevelNeed, ...]:
    """Per level, the worst case when `applicable` criteria apply (and `droppable` ones of them
    may be made not applicable by answers)."""
    by_level: list[list[Criterion]] = [[] for _ in standard.levels]
    for criterion in standard.criteria:
        if criterion.id in applicable:
            by_level[standard.level_index(criterion.level)].append(criterion)
    result = []
    for i, level in enumerate(standard.levels):
        level_rule = standard.rule_for(level)
        lower = range(i) if level_rule is LevelRule.CUMULATIVE else range(0)
        lower_weight = sum(c.weight for j in lower for c in by_level[j])
        own = [c for c in by_level[i] if c.id not in droppable]
        gated = [c for c in by_level[i] if c.id in droppable]
        t = level.threshold / 100.0
        forced = [c for c in own if _must_be_met(standard, c)]
        free = [c for c in own if not _must_be_met(standard, c)]
        base = {c.id: _partly(standard, c) for c in (*free, *gated)}
        # An answer-gated criterion is left on only where its partly credit raises the score
        # (partly credit above the threshold): switched off, it could never lower the count.
        kept = [c for c in gated if not _must_be_met(standard, c) and base[c.id] > t * c.weight]
        den = lower_weight + sum(c.weight for c in (*own, *kept))
        num = lower_weight + sum(c.weight for c in forced)
        num += sum(base[c.id] for c in (*free, *kept))
        met = [c.id for c in forced]
        # Meeting a criterion gains its weight less what it already earns; meeting one that was
        # switched off also adds its weight to the whole, so gains t of it less.
        gains = [(c.weight - base[c.id], False, c) for c in (*free, *kept)]
        gains += [(c.weight * (1.0 - t), True, c) for c in gated if c not in kept]
        for _gain, switched_on, c in sorted(gains, key=lambda g: g[0], reverse=True):
            if _reaches(num, den, level.threshold):
                break
            num += c.weight if switched_on else c.weight - base[c.id]
            den += c.weight if switched_on else 0.0
            met.append(c.id)
        dropped = tuple(c.id for c in gated if c not in kept and c.id not in met)
        needed = max(len(met), min(level.min_met, len(own)))
        partly = sum(1 for c in (*free, *kept) if c.id not in met and base[c.id] > 0)
        bare = lower_weight + sum(c.weight for c in by_level[i] if c.id in met)
        uses_partly = not _reaches(bare, den, level.threshold)
        shown = num if uses_partly else bare
        result.append(
            LevelNeed(
                level=level.id,
                needed=needed,
                own=len(own),
                share=standard.own_share_for(level),
                percent=100.0 * shown / den if den > 0 else 100.0,
                threshold=level.threshold,
                rule=level_rule,
                lower=tuple(standard.levels[j].id for j in lower),
                met=tuple(met),
                partly=partly,
                uses_partly=uses_partly,
                dropped=dropped,
                profile=profile,
            )
        )
    return tuple(result)


def _reaches(num: float, den: float, threshold: float) -> bool:
    """As the scorer decides it, without dividing."""
    return not num * 100.0 < threshold * den - 1e-9 * max(den, 1.0)


def _partly(standard: Standard, criterion: Criterion) -> float:
    """The credit a criterion earns partly met, or 0 when no answer makes it partly met."""
    return (
        standard.readiness.partly_credit * criterion.weight
        if _can_be_partly(standard, criterion)
        else 0.0
    )


def _must_be_met(standard: Standard, criterion: Criterion) -> bool:
    rule = standard.readiness
    return criterion.mandatory and rule.mandatory_must_be_met and not rule.partly_meets_mandatory


def _can_be_partly(standard: Standard, criterion: Criterion) -> bool:
    """Whether some answers make the criterion partly met (so it earns partly credit unmet)."""
    if standard.readiness.partly_credit == 0:
        return False
    if criterion.evidence.required and standard.readiness.evidence_required_for_met:
        return True  # met answers without the evidence
    scored = [q for q in criterion.questions if q.scored]
    return len(scored) > 1 or any(_scores_between(q) for q in scored)


def _scores_between(question: Question) -> bool:
    """Whether one answer to the question can score strictly between 0 and 1."""
    scoring = question.scoring
    if question.type is QuestionType.NUMBER:
        return isinstance(scoring, NumberScoring) and (
            scoring.partly_at_least is not None or scoring.partly_at_most is not None
        )
    if question.type is QuestionType.MULTIPLE_CHOICE:
        if isinstance(scoring, ChoiceScoring) and scoring.method == "count":
            return scoring.partly_at_least is not None
        return any(0 < (o.score or 0.0) < 1 for o in question.options)
    return any(0 < (o.score or 0.0) < 1 for o in question.options)


def _applicability(
    standard: Standard, profile: Mapping[str, object]
) -> tuple[frozenset[str], frozenset[str]]:
    """Criteria that apply to `profile`, and those of them an answer can make not applicable."""
    applicable: set[str] = set()
    droppable: set[str] = set()
    for criterion in standard.criteria:
        if criterion.applies_if is not None and not _holds(criterion.applies_if, profile):
            continue
        sure = maybe = False
        for question in criterion.questions:
            if not question.scored:
                continue
            show_if = question.show_if
            if show_if is None:
                sure = True
            elif answer_keys_used(show_if):
                maybe = True
            elif _holds(show_if, profile):
                sure = True
        if sure or maybe:
            applicable.add(criterion.id)
            if not sure:
                droppable.add(criterion.id)
    return frozenset(applicable), frozenset(droppable)


def _holds(condition: Condition, profile: Mapping[str, object]) -> bool:
    return compile_condition(condition)(profile, {})


def _cases(
    standard: Standard,
) -> Iterator[tuple[tuple[tuple[str, object], ...], frozenset[str], frozenset[str]]]:
    """(profile, applicable, droppable) once per distinct applicability the profiles give."""
    conditions = [c.applies_if for c in standard.criteria if c.applies_if is not None]
    conditions += [
        q.show_if for c in standard.criteria for q in c.questions if q.show_if is not None
    ]
    domains = _domains(standard, conditions)
    size = 1
    for values in domains.values():
        size *= len(values)
    if size > MAX_PROFILES:
        every = frozenset(c.id for c in standard.criteria)
        gated = frozenset(c.id for c in standard.criteria if c.applies_if is not None)
        _, droppable = _applicability(standard, {})
        yield (), every, gated | droppable
        return
    seen: set[tuple[frozenset[str], frozenset[str]]] = set()
    names = list(domains)
    for combo in itertools.product(*(domains[n] for n in names)):
        profile = {n: v for n, v in zip(names, combo, strict=True) if v is not None}
        applicable, droppable = _applicability(standard, profile)
        if (applicable, droppable) in seen:
            continue
        seen.add((applicable, droppable))
        yield tuple(zip(names, combo, strict=True)), applicable, droppable


def _domains(standard: Standard, conditions: Iterable[Condition]) -> dict[str, list[object]]:
    """The values of each profile field the conditions read that they can tell apart."""
    domains: dict[str, list[object]] = {}
    for condition in conditions:
        for leaf in leaves(condition):
            if not isinstance(leaf, ProfileCondition):
                continue
            values = domains.setdefault(leaf.field, [])
            try:
                field = standard.profile_field(leaf.field)
            except KeyError:
                continue
            if field.type is ProfileFieldType.BOOLEAN:
                candidates: list[object] = [True, False]
            elif field.type is ProfileFieldType.CHOICE:
                candidates = [o.value for o in field.options]
            else:
                bounds = leaf.value if isinstance(leaf.value, tuple | list) else (leaf.value,)
                candidates = [
                    v for b in bounds if isinstance(b, int | float) for v in (b - 1, b, b + 1)
                ]
            values.extend(v for v in candidates if v not in values)
    for values in domains.values():
        values.append(None)  # unset
    return domains
