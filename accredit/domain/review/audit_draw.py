"""The random draw of accredited organisations for audit. Pure Python.

A draw must be reproducible and explainable long after it was made: given the recorded seed,
share, strata and population, ``draw`` always returns the same selection, whatever order the
population was read in (it is sorted first) and on any machine (``random.Random`` seeded with
a string is stable across processes and Python versions since 3.2).

The share is taken of each stratum separately when the draw is stratified (so every region,
or every organisation type, is audited in proportion), rounded up, and at least one from any
stratum that has members: a small region is never skipped.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

#: How a draw may be stratified: none, by region (code) or by organisation type.
STRATIFY_CHOICES = ("", "region", "org_type")
MAX_SEED_DIGITS = 20
#: Generated seeds have this many digits: plenty of draws, still easy to read out.
SEED_DIGITS = 12


class DrawProblem(ValueError):
    """A parameter that cannot be drawn with, and the field it belongs to."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Stratum:
    #: The stratum's value: a region code, an organisation type, or "" for an unstratified draw.
    name: str
    population: int
    drawn: int


@dataclass(frozen=True, slots=True)
class Draw:
    #: Award ids, in draw order.
    selected: tuple[int, ...]
    strata: tuple[Stratum, ...]
    seed: str
    share_percent: float
    stratify: str

    @property
    def population_size(self) -> int:
        return sum(s.population for s in self.strata)


def parse_share(text: str | None) -> float:
    """The share typed by an admin, as a percentage between 1 and 100."""
    cleaned = (text or "").strip().rstrip("%").strip()
    if not cleaned:
        raise DrawProblem(
            "Enter the share of accredited organisations to draw, in percent", "share"
        )
    try:
        value = float(Fraction(cleaned))
    except (ValueError, ZeroDivisionError):
        raise DrawProblem("Enter the share as a number, for example 10", "share") from None
    return check_share(value)


def check_share(value: float) -> float:
    if not math.isfinite(value) or not 1 <= value <= 100:
        raise DrawProblem("The share must be between 1 and 100 percent", "share")
    return value


def check_seed(text: str | None) -> str:
    """A seed is a string of digits so it can be written down, read out and typed back."""
    seed = (text or "").strip()
    if not seed:
        raise DrawProblem("Enter a seed, or leave it blank for a new random one", "seed")
    if not seed.isascii() or not seed.isdigit():
        raise DrawProblem("The seed must be digits only (0 to 9), for example 20260601", "seed")
    if len(seed) > MAX_SEED_DIGITS:
        raise DrawProblem(f"The seed must be {MAX_SEED_DIGITS} digits or fewer", "seed")
    return seed


def check_stratify(stratify: str) -> str:
    if stratify not in STRATIFY_CHOICES:
        raise DrawProblem("Choose no strata, by region or by organisation type", "stratify")
    return stratify


def new_seed() -> str:
    """A fresh seed from the operating system's randomness, so nobody can pick the sample."""
    return f"{secrets.randbelow(10**SEED_DIGITS):0{SEED_DIGITS}d}"


def sample_size(population: int, share_percent: float) -> int:
    """ceil(share x population), at least one from a non-empty population. The share is taken
    as the decimal it was typed as (10% of 30 is exactly 3, not 3.0000000000000004 -> 4)."""
    if population <= 0 or share_percent <= 0:
        return 0
    exact = Fraction(str(share_percent)) * population / 100
    return max(1, min(population, math.ceil(exact)))


def draw(
    population: Iterable[tuple[int, str]], share_percent: float, seed: str, stratify: str
) -> Draw:
    """Draw ``share_percent`` of the population (award id, stratum), overall or per stratum.

    Strata are visited in sorted order, and each stratum's award ids are sorted before
    sampling, so only the seed and the set of (award id, stratum) pairs decide the result."""
    share = check_share(float(share_percent))
    seed = check_seed(seed)
    stratify = check_stratify(stratify)
    groups: dict[str, list[int]] = {}
    seen: set[int] = set()
    for award_id, stratum in population:
        if award_id in seen:
            raise DrawProblem(f"Award {award_id} is in the population twice", "population")
        seen.add(award_id)
        groups.setdefault(str(stratum or "") if stratify else "", []).append(int(award_id))
    rng = random.Random(seed)
    selected: list[int] = []
    strata: list[Stratum] = []
    for name in sorted(groups):
        members = sorted(groups[name])
        picked = rng.sample(members, sample_size(len(members), share))
        selected.extend(picked)
        strata.append(Stratum(name, len(members), len(picked)))
    return Draw(tuple(selected), tuple(strata), seed, share, stratify)
