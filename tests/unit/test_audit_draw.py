"""The random audit draw: reproducible from its seed, proportionate per stratum, order-blind."""

from __future__ import annotations

import random
import re

import pytest

from accredit.domain.review.audit_draw import (
    MAX_SEED_DIGITS,
    DrawProblem,
    check_seed,
    draw,
    new_seed,
    parse_share,
    sample_size,
)

#: 200 awards over three regions of different sizes.
POPULATION = [
    (i, "london" if i <= 100 else "north_west" if i <= 160 else "south_west") for i in range(1, 201)
]


def test_the_same_seed_draws_the_same_sample():
    first = draw(POPULATION, 10, "20260601", "")
    again = draw(POPULATION, 10, "20260601", "")
    assert first.selected == again.selected
    assert len(first.selected) == 20 and len(set(first.selected)) == 20
    assert set(first.selected) <= {i for i, _ in POPULATION}


def test_another_seed_draws_another_sample():
    # 20 of 200: two seeds agreeing by chance is about 1 in 10^27.
    assert set(draw(POPULATION, 10, "1", "").selected) != set(
        draw(POPULATION, 10, "2", "").selected
    )


def test_the_order_the_population_was_read_in_does_not_matter():
    shuffled = POPULATION[:]
    random.Random(7).shuffle(shuffled)
    for stratify in ("", "region"):
        assert draw(shuffled, 15, "99", stratify) == draw(POPULATION, 15, "99", stratify)


def test_a_stratified_draw_takes_the_share_of_each_stratum():
    result = draw(POPULATION, 10, "4242", "region")
    by_stratum = {s.name: (s.population, s.drawn) for s in result.strata}
    assert by_stratum == {"london": (100, 10), "north_west": (60, 6), "south_west": (40, 4)}
    strata = dict(POPULATION)
    picked = [strata[i] for i in result.selected]
    assert picked.count("london") == 10
    assert picked.count("north_west") == 6
    assert picked.count("south_west") == 4
    # Draw order is stratum by stratum, in sorted order.
    assert picked == sorted(picked)


def test_an_unstratified_draw_ignores_the_strata():
    result = draw(POPULATION, 10, "4242", "")
    assert [(s.name, s.population, s.drawn) for s in result.strata] == [("", 200, 20)]
    assert result.population_size == 200


def test_each_small_stratum_gives_at_least_one():
    population = [(1, "acute_trust"), (2, "gp_practice"), (3, "gp_practice"), (4, "social_care")]
    result = draw(population, 1, "5", "org_type")
    assert [(s.name, s.drawn) for s in result.strata] == [
        ("acute_trust", 1),
        ("gp_practice", 1),
        ("social_care", 1),
    ]
    assert len(result.selected) == 3


@pytest.mark.parametrize(
    ("population", "share", "expected"),
    [(0, 50, 0), (1, 1, 1), (30, 10, 3), (31, 10, 4), (7, 100, 7), (200, 12.5, 25), (3, 33.4, 2)],
)
def test_sample_size_rounds_up(population, share, expected):
    assert sample_size(population, share) == expected


def test_an_empty_population_draws_nothing():
    result = draw([], 10, "1", "region")
    assert result.selected == () and result.strata == () and result.population_size == 0


def test_the_whole_population_at_100_percent():
    assert sorted(draw(POPULATION, 100, "3", "").selected) == list(range(1, 201))


def test_an_award_twice_in_the_population_is_refused():
    with pytest.raises(DrawProblem, match="Award 1 is in the population twice"):
        draw([(1, "a"), (1, "b")], 10, "1", "region")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the share of accredited organisations to draw, in percent"),
        ("ten", "Enter the share as a number, for example 10"),
        ("0.5", "The share must be between 1 and 100 percent"),
        ("0", "The share must be between 1 and 100 percent"),
        ("101", "The share must be between 1 and 100 percent"),
        ("-5", "The share must be between 1 and 100 percent"),
        ("nan", "Enter the share as a number, for example 10"),
    ],
)
def test_bad_shares_are_explained(text, message):
    with pytest.raises(DrawProblem) as refused:
        parse_share(text)
    assert str(refused.value) == message and refused.value.field == "share"


@pytest.mark.parametrize(
    ("text", "value"), [("10", 10.0), (" 12.5 ", 12.5), ("5%", 5.0), ("100", 100.0)]
)
def test_good_shares_are_read(text, value):
    assert parse_share(text) == value


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ("12a", "The seed must be digits only (0 to 9), for example 20260601"),
        ("-12", "The seed must be digits only (0 to 9), for example 20260601"),
        ("١٢٣", "The seed must be digits only (0 to 9), for example 20260601"),
        ("1" * (MAX_SEED_DIGITS + 1), f"The seed must be {MAX_SEED_DIGITS} digits or fewer"),
        ("  ", "Enter a seed, or leave it blank for a new random one"),
    ],
)
def test_bad_seeds_are_explained(seed, message):
    with pytest.raises(DrawProblem) as refused:
        check_seed(seed)
    assert str(refused.value) == message and refused.value.field == "seed"


def test_draw_checks_its_parameters():
    with pytest.raises(DrawProblem, match="between 1 and 100"):
        draw(POPULATION, 0, "1", "")
    with pytest.raises(DrawProblem, match="digits only"):
        draw(POPULATION, 10, "x", "")
    with pytest.raises(DrawProblem, match="organisation type"):
        draw(POPULATION, 10, "1", "postcode")


def test_new_seeds_are_digits_and_differ():
    seeds = {new_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(re.fullmatch(r"\d{12}", seed) for seed in seeds)
    assert draw(POPULATION, 10, seeds.pop(), "").seed.isdigit()


def test_leading_zeros_are_part_of_the_seed():
    """The seed is recorded and replayed as the string it is, not as a number."""
    assert draw(POPULATION, 10, "0042", "").seed == "0042"
    assert draw(POPULATION, 10, "0042", "") == draw(POPULATION, 10, "0042", "")
