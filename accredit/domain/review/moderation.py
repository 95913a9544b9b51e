"""Moderation figures: how often reviewers agreed with organisations' own judgements, per
criterion and per section, so HEE sees which criteria organisations most often misjudge.
Overrides (a criterion counted as met against the standard's rules) are counted on their own,
apart from agreements and disagreements. Pure Python over counts of judgements (from decided
reviews)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from accredit.domain.review.review import Agreement


@dataclass(frozen=True, slots=True)
class Agreeing:
    """Judgements of one criterion or section."""

    key: str
    title: str
    agree: int
    disagree: int
    needs_evidence: int
    #: Judgements counting the criterion as met against the standard's rules.
    override: int = 0

    @property
    def judged(self) -> int:
        return self.agree + self.disagree + self.needs_evidence + self.override

    @property
    def percent(self) -> float | None:
        """Share of judgements that agreed with the organisation; None when none were made."""
        return 100.0 * self.agree / self.judged if self.judged else None


@dataclass(frozen=True, slots=True)
class Moderation:
    sections: tuple[Agreeing, ...]
    #: Criteria with at least one judgement, least agreed with first.
    criteria: tuple[Agreeing, ...]

    @property
    def judged(self) -> int:
        return sum(s.judged for s in self.sections)

    @property
    def percent(self) -> float | None:
        agreed = sum(s.agree for s in self.sections)
        return 100.0 * agreed / self.judged if self.judged else None

    @property
    def overrides(self) -> int:
        return sum(s.override for s in self.sections)

    def misjudged(self, limit: int = 10) -> tuple[Agreeing, ...]:
        """The criteria most often misjudged: at least one disagreement, least agreed first."""
        return tuple(c for c in self.criteria if c.agree < c.judged)[:limit]


def moderation(
    counts: Iterable[tuple[str, str, str, int]],
    sections: Sequence[tuple[str, str]],
    criteria: Sequence[tuple[str, str]],
) -> Moderation:
    """``counts`` are (section id, criterion id, agreement, judgements); ``sections`` and
    ``criteria`` are (id, title) in the standard's order, which breaks ties."""
    by_criterion: dict[str, dict[str, int]] = {}
    by_section: dict[str, dict[str, int]] = {}
    for section_id, criterion_id, agreement, n in counts:
        for table, key in ((by_criterion, criterion_id), (by_section, section_id)):
            tally = table.setdefault(key, {a.value: 0 for a in Agreement})
            tally[agreement] = tally.get(agreement, 0) + n

    def line(key: str, title: str, tally: dict[str, int]) -> Agreeing:
        return Agreeing(
            key,
            title,
            tally.get(Agreement.AGREE.value, 0),
            tally.get(Agreement.DISAGREE.value, 0),
            tally.get(Agreement.NEEDS_EVIDENCE.value, 0),
            tally.get(Agreement.OVERRIDE.value, 0),
        )

    empty: dict[str, int] = {}
    section_lines = tuple(line(i, t, by_section.get(i, empty)) for i, t in sections)
    order = {cid: n for n, (cid, _) in enumerate(criteria)}
    criterion_lines = [line(i, t, by_criterion[i]) for i, t in criteria if i in by_criterion]
    criterion_lines.sort(
        key=lambda c: (c.percent if c.percent is not None else 101, -c.judged, order[c.key])
    )
    return Moderation(section_lines, tuple(criterion_lines))
