"""Benchmarking against peers: an organisation's section scores beside the median of its peers
of the same type and of the same region. Pure Python.

Figures about other organisations reach an organisation's own report here, so the disclosure
rules (``accredit.domain.cohorts.disclosure``) decide what is shown. The figures to protect are the
peers' scores; the rules, and why each is enough:

1. **The organisation is never its own peer.** Each group leaves it out (the query does, and
   ``tally`` drops it again), so a median can never be moved by, or be, its own score, and the
   viewer cannot difference its own score out of a group.
2. **Primary suppression, per section.** A median is taken over the peers with a score in that
   section, not over the group: a section that does not apply to some peers (setting-specific
   criteria, say) has fewer figures than the group has members. A median over fewer than
   ``MIN_GROUP_SIZE`` figures is withheld, and so is its count (the cell says "Fewer than 5
   organisations", never "4"), so a whole group of 4 shows nothing at all.
3. **Secondary suppression between the two groups.** The two groups can overlap almost
   entirely (a type found in one region only, or a region holding little but one type). Two
   medians over sets that differ by one to four organisations narrow down those few scores (a
   median over six and over those six plus one tells where the seventh lies), so when both
   medians of a section would be shown and their sets differ, but by fewer than
   ``MIN_GROUP_SIZE`` organisations, the same-region one is withheld (the same-type one is the
   closer comparison). Identical sets give the same median twice and reveal nothing more.
4. **Nothing else is shown.** No means, minimums, maximums or group totals: medians do not add
   up, so a shown median cannot be combined with others to work out a withheld one, and no
   total exists from which a withheld count could be subtracted. A shown count says how many
   peers have a score in that section; its difference from another section's count says only
   how many peers a section applies to (a matter of their profile), never a score.

What this cannot stop: the figures follow each peer's latest saved answers, so someone watching
the panel over time may see a median move when a peer saves. A median of an odd number of peers
is one peer's score, but whose is not shown; that is the accepted cost of a median over 5.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from accredit.domain.cohorts.disclosure import MIN_GROUP_SIZE, too_small


class Withheld(StrEnum):
    """Why a median is not shown (the words the panel prints in its place)."""

    TOO_FEW = f"Fewer than {MIN_GROUP_SIZE} organisations"
    OVERLAP = (
        f"Withheld: differs from the same-type group by fewer than {MIN_GROUP_SIZE} organisations"
    )


@dataclass(frozen=True, slots=True)
class Peer:
    """Another organisation's stored section scores (section id -> percent, or None where the
    section does not apply to it), and which of the organisation's peer groups it is in."""

    organisation_id: int
    same_type: bool
    same_region: bool
    sections: Mapping[str, float | None]


@dataclass(frozen=True, slots=True)
class Tally:
    """One section's scores among the peers, as counts: how many peers of each group have each
    score, and how many peers in both groups have a score. Exact medians come from this as
    well as from the scores themselves, and the database can add it up (thousands of peers
    become a few dozen rows)."""

    same_type: Mapping[float, int] = field(default_factory=dict)
    same_region: Mapping[float, int] = field(default_factory=dict)
    in_both: int = 0


@dataclass(frozen=True, slots=True)
class Median:
    """A peer group's median for one section, or why it is withheld (then neither figure)."""

    value: float | None
    organisations: int | None
    withheld: Withheld | None = None

    @property
    def shown(self) -> bool:
        return self.withheld is None


@dataclass(frozen=True, slots=True)
class Row:
    section_id: str
    title: str
    own: float | None
    same_type: Median
    same_region: Median


@dataclass(frozen=True, slots=True)
class Panel:
    rows: tuple[Row, ...]

    @property
    def anything_shown(self) -> bool:
        return any(r.same_type.shown or r.same_region.shown for r in self.rows)


def tally(organisation_id: int, peers: Iterable[Peer]) -> dict[str, Tally]:
    """Section id -> the peers' tally, leaving the organisation itself out."""
    by_type: dict[str, Counter[float]] = {}
    by_region: dict[str, Counter[float]] = {}
    both: Counter[str] = Counter()
    for peer in peers:
        if peer.organisation_id == organisation_id:
            continue
        for section_id, value in peer.sections.items():
            if value is None:
                continue
            if peer.same_type:
                by_type.setdefault(section_id, Counter())[float(value)] += 1
            if peer.same_region:
                by_region.setdefault(section_id, Counter())[float(value)] += 1
            both[section_id] += peer.same_type and peer.same_region
    return {
        section_id: Tally(
            by_type.get(section_id, {}), by_region.get(section_id, {}), both[section_id]
        )
        for section_id in by_type.keys() | by_region.keys()
    }


def panel(own: Sequence[tuple[str, str, float | None]], tallies: Mapping[str, Tally]) -> Panel:
    """The panel for ``own`` sections (id, title, the organisation's percent), in that order,
    from the peers' tallies (which must leave the organisation out: see ``tally``); every
    figure that would break the rules above is withheld."""
    rows = []
    for section_id, title, percent in own:
        counts = tallies.get(section_id, Tally())
        type_median = _median(counts.same_type)
        region_median = _median(counts.same_region)
        if (
            type_median.shown
            and region_median.shown
            and _overlap_reveals(counts, type_median, region_median)
        ):
            region_median = Median(None, None, Withheld.OVERLAP)
        rows.append(Row(section_id, title, percent, type_median, region_median))
    return Panel(tuple(rows))


def _median(counts: Mapping[float, int]) -> Median:
    """The exact median of the scores counted (value -> how many peers have it)."""
    size = sum(counts.values())
    if too_small(size):
        return Median(None, None, Withheld.TOO_FEW)
    lower, upper = (size - 1) // 2, size // 2
    found: list[float] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        while len(found) < 2 and seen > (lower, upper)[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    return Median((found[0] + found[1]) / 2, size)


def _overlap_reveals(counts: Tally, by_type: Median, by_region: Median) -> bool:
    """Whether the two groups differ, but by so few organisations that comparing their medians
    would narrow down those organisations' scores. Peers in both groups are counted in both,
    so the organisations in one group only number ``type + region - 2 * both``."""
    differing = (by_type.organisations or 0) + (by_region.organisations or 0) - 2 * counts.in_both
    return 0 < differing < MIN_GROUP_SIZE


@dataclass
class PeerFigures:
    """Every organisation's current section scores on one standard version, tallied once by
    type, by region and by both, so a panel is a few dictionary reads however many peers there
    are. An organisation's own scores are subtracted from the same snapshot they were added
    to, so it is never its own peer even when its scores have changed since."""

    section_ids: tuple[str, ...]
    by_type: dict[object, list[Counter[float]]] = field(default_factory=dict)
    by_region: dict[object, list[Counter[float]]] = field(default_factory=dict)
    by_both: dict[tuple[object, object], list[int]] = field(default_factory=dict)
    own: dict[int, tuple[object, object, tuple[float | None, ...]]] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        section_ids: Sequence[str],
        rows: Iterable[tuple[int, object, object, Sequence[float | None]]],
    ) -> PeerFigures:
        """``rows`` are (organisation id, type, region, each section's percent or None)."""
        figures = cls(tuple(section_ids))
        n = len(section_ids)
        for org_id, org_type, region, scores in rows:
            scores = tuple(None if s is None else float(s) for s in scores)
            figures.own[org_id] = (org_type, region, scores)
            of_type = figures.by_type.setdefault(org_type, [Counter() for _ in range(n)])
            of_region = figures.by_region.setdefault(region, [Counter() for _ in range(n)])
            both = figures.by_both.setdefault((org_type, region), [0] * n)
            for i, score in enumerate(scores):
                if score is not None:
                    of_type[i][score] += 1
                    of_region[i][score] += 1
                    both[i] += 1
        return figures

    def tallies(self, organisation_id: int, org_type: object, region: object) -> dict[str, Tally]:
        """Section id -> the tally of the organisation's peers (itself left out)."""
        n = len(self.section_ids)
        of_type = self.by_type.get(org_type) or [Counter() for _ in range(n)]
        of_region = self.by_region.get(region) or [Counter() for _ in range(n)]
        both = self.by_both.get((org_type, region)) or [0] * n
        mine = self.own.get(organisation_id)
        found: dict[str, Tally] = {}
        for i, section_id in enumerate(self.section_ids):
            same_type, same_region, in_both = of_type[i], of_region[i], both[i]
            score = mine[2][i] if mine is not None else None
            if score is not None:
                if mine is not None and mine[0] == org_type:
                    same_type = _without(same_type, score)
                if mine is not None and mine[1] == region:
                    same_region = _without(same_region, score)
                if mine is not None and (mine[0], mine[1]) == (org_type, region):
                    in_both -= 1
            if same_type or same_region:
                found[section_id] = Tally(same_type, same_region, in_both)
        return found


def _without(counts: Counter[float], score: float) -> Counter[float]:
    less = Counter(counts)
    less[score] -= 1
    if less[score] <= 0:
        del less[score]
    return less
