"""What scoring returns: per-criterion statuses with reasons, section and level percentages,
blockers.
A `Result` is plain immutable data plus `to_dict()`, so it can be stored beside the assessment with
the standard id, version and content hash it was computed from, and any report can be reproduced and
explained later. Level blockers are worked out on demand: the scorer runs thousands of times for
dashboards that never look at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from operator import attrgetter
from typing import Any


class Status(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "not_applicable"
    UNANSWERED = "unanswered"


@dataclass(frozen=True, slots=True)
class CriterionResult:
    id: str
    section_id: str
    level: str
    status: Status
    reason: str
    #: Share of the criterion's weight earned: met 1, partly met the rule's partly credit, otherwise
    #: 0.
    credit: float
    #: Mean score of its visible scored questions (a missing answer scores 0); 0 when not
    #: applicable.
    score: float
    weight: float
    mandatory: bool
    #: Whether this criterion satisfies the mandatory rule (always True when not mandatory or not
    #: applicable).
    mandatory_ok: bool
    #: Evidence items attached (the "<id>/evidence" answer plus visible evidence questions).
    evidence: int
    #: Answer keys of visible required questions with no valid answer (completeness, not scoring).
    missing: tuple[str, ...] = ()
    #: Profile fields, still unanswered, that decide whether the criterion applies: until they are
    #: answered it is unanswered ("answer the profile first"), never not applicable.
    awaiting_profile: tuple[str, ...] = ()
    # Set by the scorer for ordering blockers: the criterion's level index and file position.
    # (Results are memoised and shared between assessments, so this is worked out once per
    # distinct judgement, and each level's blocker objects are cached here by the level's weight.)
    _level_index: int = field(default=0, repr=False, compare=False)
    _position: int = field(default=0, repr=False, compare=False)
    _rank: tuple[bool, float, int] = field(init=False, repr=False, compare=False)
    _blocks: bool = field(init=False, repr=False, compare=False)
    _blockers: dict[float, Blocker] = field(
        init=False, default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        shortfall = self.weight * (1.0 - self.credit)
        # Blockers sort by this: mandatory ones first, then the biggest gain (the same order at
        # every level, as a level's gain is shortfall / its total weight), then file order.
        object.__setattr__(self, "_rank", (self.mandatory_ok, -shortfall, self._position))
        blocks = self.applicable and (not self.mandatory_ok or self.credit < 1.0)
        object.__setattr__(self, "_blocks", blocks)

    @property
    def applicable(self) -> bool:
        return self.status is not Status.NOT_APPLICABLE

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True, slots=True)
class SectionResult:
    id: str
    #: Weighted score over applicable criteria at every level; None when nothing in the section
    #: applies.
    percent: float | None
    applicable: int
    met: int


@dataclass(frozen=True, slots=True)
class Blocker:
    criterion_id: str
    reason: str
    #: True when it blocks because it is mandatory and not met (these come first).
    mandatory: bool
    #: Percentage points the level's score would rise by if this criterion were met.
    gain: float


@dataclass(frozen=True, slots=True)
class LevelResult:
    id: str
    name: str
    threshold: float
    #: Weighted score over applicable criteria in scope: the level's own criteria, or this level
    #: and below under the cumulative rule.
    percent: float
    ready: bool
    #: Ready, and every lower level achieved.
    achieved: bool
    mandatory_unmet: int
    #: The lowest lower level that is not ready, which stops this one being achieved whatever its
    #: own readiness (so a ready level with no blockers says why it is not achieved); None when
    #: every lower level is achieved. `achieved` is `ready and held_back_by is None`.
    held_back_by: str | None
    #: The level's own applicable criteria that are met, and how many it needs (`min_met`, capped
    #: at the number that apply).
    met: int = 0
    min_met: int = 0
    #: Weighted score short of the threshold (worked out as `ready` is, without dividing).
    _short: bool = field(default=False, repr=False, compare=False)
    #: The level's index when too few of its own criteria are met (its unmet ones then block).
    _own: int | None = field(default=None, repr=False, compare=False)
    _ranking: Ranking | None = field(default=None, repr=False, compare=False)
    _scope: frozenset[int] = field(default=frozenset(), repr=False, compare=False)  # level indexes
    _weight: float = field(default=0.0, repr=False, compare=False)  # total weight in scope
    _found: tuple[Blocker, ...] | None = field(init=False, default=None, repr=False, compare=False)

    @property
    def blockers(self) -> tuple[Blocker, ...]:
        """Criteria stopping this level being ready, the most useful first.
        Mandatory criteria that are not met come first; when the score is below the threshold every
        other criterion in scope with less than full credit follows (when only `min_met` is short,
        the level's own criteria that are not met). Within each group, bigger gain first, then file
        order. Worked out on first use, from one ordering shared by every level.
        """
        found = self._found
        if found is None:
            found = () if self.ready else self._find()
            object.__setattr__(self, "_found", found)
        return found

    def _find(self) -> tuple[Blocker, ...]:
        scope, weight, short, own = self._scope, self._weight, self._short, self._own
        found: list[Blocker] = []
        ranking = self._ranking
        for c in ranking.ranked() if ranking is not None else ():
            if not short and c.mandatory_ok:
                if own is None:
                    break  # only the mandatory ones block, and they come first
                if c._level_index != own:
                    continue
            elif c._level_index not in scope:
                continue
            blocker = c._blockers.get(weight)
            if blocker is None:
                blocker = _blocker(c, weight)
            found.append(blocker)
        return tuple(found)


class Ranking:
    """Every criterion of one result that could block a level, in blocker order, sorted once on
    first use and shared by all the result's levels: the order is the same at every level, as a
    level's gain is a criterion's shortfall over that level's total weight. Each level then keeps
    the criteria in its scope (and only the mandatory ones when its score is high enough)."""

    __slots__ = ("_criteria", "_ranked")

    def __init__(self, criteria: tuple[CriterionResult, ...]) -> None:
        self._criteria = criteria
        self._ranked: list[CriterionResult] | None = None

    def ranked(self) -> list[CriterionResult]:
        ranked = self._ranked
        if ranked is None:
            ranked = sorted([c for c in self._criteria if c._blocks], key=_RANK)
            self._ranked = ranked
        return ranked


_RANK = attrgetter("_rank")
#: Blocker objects kept per criterion result, one per distinct total weight in scope (levels x
#: the profiles seen: 53 in bench/score.py). Bounded, as a result lives on in the memo.
_BLOCKER_CACHE = 64


def _blocker(c: CriterionResult, weight: float) -> Blocker:
    gain = 100.0 * c.weight * (1.0 - c.credit) / weight if weight else 0.0
    if c.mandatory_ok:
        blocker = Blocker(c.id, c.reason, False, gain)
    else:
        blocker = Blocker(c.id, _mandatory_reason(c), True, gain)
    cache = c._blockers
    if len(cache) >= _BLOCKER_CACHE:
        cache.clear()
    cache[weight] = blocker
    return blocker


def _mandatory_reason(c: CriterionResult) -> str:
    if c.reason.startswith("Mandatory"):
        return c.reason
    lowered = c.reason[:1].lower() + c.reason[1:]
    if c.status in (Status.NOT_MET, Status.UNANSWERED):
        return f"Mandatory and {lowered}"
    return f"Mandatory: {lowered}"


@dataclass(frozen=True, slots=True)
class Result:
    standard_id: str
    standard_version: str
    content_hash: str
    criteria: tuple[CriterionResult, ...]
    sections: tuple[SectionResult, ...]
    levels: tuple[LevelResult, ...]
    #: Weighted score over every applicable criterion.
    percent: float
    #: Id of the highest level achieved, or None.
    highest_level: str | None
    _by_id: dict[str, CriterionResult] | None = field(
        init=False, default=None, repr=False, compare=False
    )

    def criterion(self, criterion_id: str) -> CriterionResult:
        # Pages look criteria up one by one, so index them on first use.
        index = self._by_id
        if index is None:
            index = {c.id: c for c in self.criteria}
            object.__setattr__(self, "_by_id", index)
        return index[criterion_id]

    def section(self, section_id: str) -> SectionResult:
        for result in self.sections:
            if result.id == section_id:
                return result
        raise KeyError(section_id)

    def level(self, level_id: str) -> LevelResult:
        for result in self.levels:
            if result.id == level_id:
                return result
        raise KeyError(level_id)

    @property
    def next_level(self) -> LevelResult | None:
        """The lowest level not yet achieved (what the organisation should aim for next)."""
        return next((lv for lv in self.levels if not lv.achieved), None)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot, including blockers, for storing with the assessment."""
        return {
            "standard": {
                "id": self.standard_id,
                "version": self.standard_version,
                "content_hash": self.content_hash,
            },
            "percent": self.percent,
            "highest_level": self.highest_level,
            "levels": [
                {
                    "id": lv.id,
                    "ready": lv.ready,
                    "achieved": lv.achieved,
                    "held_back_by": lv.held_back_by,
                    "percent": lv.percent,
                    "threshold": lv.threshold,
                    "met": lv.met,
                    "min_met": lv.min_met,
                    "blockers": [
                        {
                            "criterion": b.criterion_id,
                            "reason": b.reason,
                            "mandatory": b.mandatory,
                            "gain": b.gain,
                        }
                        for b in lv.blockers
                    ],
                }
                for lv in self.levels
            ],
            "sections": [
                {"id": s.id, "percent": s.percent, "applicable": s.applicable, "met": s.met}
                for s in self.sections
            ],
            "criteria": [
                {
                    "id": c.id,
                    "status": c.status.value,
                    "reason": c.reason,
                    "credit": c.credit,
                    "score": c.score,
                    "evidence": c.evidence,
                    "missing": list(c.missing),
                    "awaiting_profile": list(c.awaiting_profile),
                }
                for c in self.criteria
            ],
        }
