"""What if a cohort moved to another version of its standard: every assessment rescored under
the new version with the answers the next cycle would carry over (`carry`), against the level it
reaches now under the version it is pinned to (its stored summary's, when the caller has one for
that text, as the dashboard shows it). Pure: the caller reads the assessments and shows the
table; nothing is written.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from accredit.domain.scoring.known_answers import ServiceFacts, known_answers
from accredit.domain.scoring.questionnaire import profile_for
from accredit.domain.scoring.scoring import score
from accredit.domain.scoring.standard import Standard
from accredit.standards.carry import carry_over

T = TypeVar("T")

#: What the table calls an assessment below the first level.
NO_LEVEL = "No level"


@dataclass(frozen=True, slots=True)
class Subject(Generic[T]):
    """One current assessment: who it belongs to (`organisation`, opaque here), the
    organisation's type and stored profile, the version it is pinned to and its answers."""

    organisation: T
    org_type: str
    profile: Mapping[str, object]
    standard: Standard
    answers: Mapping[str, object]
    #: Ids of the organisation's evidence still in its library (None: keep every id).
    live_evidence: Container[str] | None = None
    #: The level its stored score summary records for this very text (what the dashboard
    #: shows), when there is one: then it is not scored again under its own version.
    stored: bool = False
    stored_level: str | None = None
    #: What the service would know for the organisation's next cycle (its answers to the new
    #: version's `answered_by` questions); None: nothing is known, they stay unanswered.
    facts: ServiceFacts | None = None


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """One row of the table: the organisations going from one level to another."""

    before: str | None  # level id, None for no level
    before_name: str
    after: str | None
    after_name: str
    #: "up", "down" or "same" (levels compared by their place in the new version).
    direction: str
    organisations: tuple[T, ...]
    #: How many of them have not answered every profile question the new version asks.
    awaiting_profile: int = 0

    @property
    def count(self) -> int:
        return len(self.organisations)


@dataclass(frozen=True, slots=True)
class Simulation(Generic[T]):
    new: Standard
    changes: tuple[Change[T], ...]  # levels that move first (down, then up), then the same
    #: Each profile question of the new version that some have not answered (its label), with
    #: how many: criteria gated on an unanswered one wait for it, so they are not met here.
    unanswered: tuple[tuple[str, int], ...] = ()

    @property
    def awaiting_profile(self) -> int:
        return sum(change.awaiting_profile for change in self.changes)

    @property
    def assessed(self) -> int:
        return sum(change.count for change in self.changes)

    @property
    def moved(self) -> tuple[Change[T], ...]:
        return tuple(c for c in self.changes if c.direction != "same")

    @property
    def unchanged(self) -> tuple[Change[T], ...]:
        return tuple(c for c in self.changes if c.direction == "same")

    def count(self, direction: str) -> int:
        return sum(c.count for c in self.changes if c.direction == direction)


def simulate(subjects: Iterable[Subject[T]], new: Standard) -> Simulation[T]:
    """Group the subjects by the level they reach now and the level they would reach under
    `new` with their answers carried over."""
    groups: dict[tuple[str | None, str | None], list[T]] = defaultdict(list)
    awaiting: Counter[tuple[str | None, str | None]] = Counter()
    unanswered: Counter[str] = Counter()
    asked = [f for f in new.profile_fields if f.id != "org_type"]  # org_type: from the record
    names: dict[str | None, str] = {None: NO_LEVEL}
    for subject in subjects:
        old = subject.standard
        # One stored profile serves both versions: profile_for keeps what each one asks.
        if subject.stored:
            before = subject.stored_level
        else:
            profile = profile_for(subject.org_type, subject.profile, old)
            before = score(old, profile, subject.answers).highest_level
        carried = carry_over(old, new).answers(subject.answers, subject.live_evidence)
        if subject.facts is not None:
            carried |= known_answers(new, subject.facts)
        after = score(new, profile_for(subject.org_type, subject.profile, new), carried)
        groups[before, after.highest_level].append(subject.organisation)
        missing = [f.id for f in asked if subject.profile.get(f.id) is None]
        if missing:
            awaiting[before, after.highest_level] += 1
            unanswered.update(missing)
        if before not in names:
            names[before] = _level_name(old, before)
    for level in new.levels:
        names[level.id] = level.name
    order = _order(new, names)
    changes = [
        Change(
            before,
            names[before],
            after,
            names[after],
            _direction(order, before, after),
            tuple(organisations),
            awaiting[before, after],
        )
        for (before, after), organisations in groups.items()
    ]
    changes.sort(
        key=lambda c: (
            {"down": 0, "up": 1, "same": 2}[c.direction],
            -order[c.before],
            order[c.after],
        )
    )
    labels = tuple((f.label, unanswered[f.id]) for f in asked if unanswered[f.id])
    return Simulation(new, tuple(changes), labels)


def _level_name(standard: Standard, level: str | None) -> str:
    if level is None:
        return NO_LEVEL
    return next((lv.name for lv in standard.levels if lv.id == level), level)


def _order(new: Standard, names: Mapping[str | None, str]) -> dict[str | None, int]:
    """Each level's place: no level first, then the new version's levels, then any level only
    an old version had."""
    order: dict[str | None, int] = {None: -1}
    for n, level in enumerate(new.levels):
        order[level.id] = n
    for level_id in names:
        order.setdefault(level_id, len(order))
    return order


def _direction(order: Mapping[str | None, int], before: str | None, after: str | None) -> str:
    if before == after:
        return "same"
    return "up" if order[after] > order[before] else "down"
