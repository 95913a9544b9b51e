"""The peer benchmark panel: medians, and the suppression of small groups and of anything a
suppressed figure could be worked out from."""

from __future__ import annotations

import random
import statistics

from accredit.domain.cohorts.benchmark import Median, Peer, Tally, Withheld, panel, tally
from accredit.domain.cohorts.disclosure import MIN_GROUP_SIZE

OWN = 1
SECTIONS = [("org", "Organisational commitment", 50.0), ("setting", "Setting-specific", None)]


def _peers(scores: list[float], *, first_id: int = 100, same_region: bool = False) -> list[Peer]:
    return [
        Peer(first_id + n, same_type=True, same_region=same_region, sections={"org": score})
        for n, score in enumerate(scores)
    ]


def _type_median(peers: list[Peer]) -> Median:
    return panel(SECTIONS, tally(OWN, peers)).rows[0].same_type


def test_the_threshold_is_five():
    assert MIN_GROUP_SIZE == 5


def test_a_group_of_four_is_suppressed_and_its_count_is_not_shown():
    median = _type_median(_peers([10.0, 20.0, 30.0, 40.0]))
    assert median == Median(None, None, Withheld.TOO_FEW)
    assert not median.shown
    assert str(Withheld.TOO_FEW) == "Fewer than 5 organisations"


def test_a_group_of_five_shows_the_middle_score():
    median = _type_median(_peers([90.0, 10.0, 70.0, 30.0, 50.0]))
    assert median == Median(50.0, 5)


def test_a_group_of_six_shows_the_mean_of_the_two_middle_scores():
    median = _type_median(_peers([90.0, 10.0, 70.0, 30.0, 50.0, 60.0]))
    assert median == Median(55.0, 6)


def test_the_organisation_is_never_its_own_peer():
    peers = _peers([10.0, 20.0, 30.0, 40.0, 50.0])
    itself = Peer(OWN, same_type=True, same_region=True, sections={"org": 100.0})
    median = _type_median([*peers, itself])
    assert median == Median(30.0, 5)
    assert _type_median([*peers[:4], itself]).withheld is Withheld.TOO_FEW


def test_a_section_scored_by_fewer_than_five_peers_is_suppressed_though_the_group_is_large():
    peers = [
        Peer(100 + n, True, False, {"org": 50.0, "setting": 80.0 if n < 4 else None})
        for n in range(8)
    ]
    org, setting = panel(SECTIONS, tally(OWN, peers)).rows
    assert org.same_type == Median(50.0, 8)
    assert setting.same_type == Median(None, None, Withheld.TOO_FEW)


def test_the_count_is_of_peers_with_a_score_in_that_section():
    peers = [
        Peer(100 + n, True, False, {"org": float(n), "setting": 80.0 if n < 5 else None})
        for n in range(7)
    ]
    org, setting = panel(SECTIONS, tally(OWN, peers)).rows
    assert org.same_type == Median(3.0, 7)
    assert setting.same_type == Median(80.0, 5)


def test_groups_that_differ_by_fewer_than_five_organisations_show_only_the_same_type_median():
    # Six peers of the same type, all in the region, and one more organisation in the region:
    # the two medians together would tell where the seventh organisation's score lies.
    of_type = _peers([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], same_region=True)
    extra = Peer(200, same_type=False, same_region=True, sections={"org": 35.0})
    row = panel(SECTIONS, tally(OWN, [*of_type, extra])).rows[0]
    assert row.same_type == Median(35.0, 6)
    assert row.same_region == Median(None, None, Withheld.OVERLAP)


def test_groups_that_differ_by_five_or_more_are_both_shown():
    of_type = _peers([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], same_region=True)
    others = [Peer(200 + n, False, True, {"org": 90.0}) for n in range(5)]
    row = panel(SECTIONS, tally(OWN, [*of_type, *others])).rows[0]
    assert row.same_type == Median(35.0, 6)
    assert row.same_region == Median(60.0, 11)


def test_identical_groups_show_the_same_median_twice():
    peers = _peers([10.0, 20.0, 30.0, 40.0, 50.0], same_region=True)
    row = panel(SECTIONS, tally(OWN, peers)).rows[0]
    assert row.same_type == row.same_region == Median(30.0, 5)


def test_no_overlap_rule_when_one_median_is_already_suppressed():
    # The type group is too small, so only the region's median is shown: nothing to compare.
    of_type = _peers([10.0, 20.0, 30.0, 40.0], same_region=True)
    extra = Peer(200, same_type=False, same_region=True, sections={"org": 35.0})
    row = panel(SECTIONS, tally(OWN, [*of_type, extra])).rows[0]
    assert row.same_type.withheld is Withheld.TOO_FEW
    assert row.same_region == Median(30.0, 5)


def test_rows_follow_the_sections_given_with_the_organisations_own_score():
    result = panel(SECTIONS, {})
    assert [(r.section_id, r.title, r.own) for r in result.rows] == [
        ("org", "Organisational commitment", 50.0),
        ("setting", "Setting-specific", None),
    ]
    assert not result.anything_shown
    assert panel(SECTIONS, tally(OWN, _peers([1.0] * 5))).anything_shown


def test_medians_from_counts_with_repeated_scores():
    tallies = {"org": Tally(same_type={20.0: 3, 80.0: 3}, same_region={10.0: 1, 40.0: 4, 90.0: 2})}
    row = panel(SECTIONS, tallies).rows[0]
    assert row.same_type == Median(50.0, 6)
    assert row.same_region == Median(40.0, 7)


def test_a_tally_counts_each_group_and_the_peers_in_both():
    peers = [
        Peer(100, True, True, {"org": 10.0, "setting": None}),
        Peer(101, True, False, {"org": 10.0, "setting": 5.0}),
        Peer(102, False, True, {"org": 30.0}),
        Peer(OWN, True, True, {"org": 99.0, "setting": 99.0}),
    ]
    assert tally(OWN, peers) == {
        "org": Tally({10.0: 2}, {10.0: 1, 30.0: 1}, in_both=1),
        "setting": Tally({5.0: 1}, {}, in_both=0),
    }


def test_medians_from_counts_match_the_median_of_the_scores():
    rng = random.Random(9)
    for size in range(5, 40):
        scores = [float(rng.choice([0, 12.5, 25, 50, 62.5, 75, 100])) for _ in range(size)]
        median = _type_median(_peers(scores))
        assert median == Median(statistics.median(scores), size)


def test_kept_figures_tally_exactly_as_the_peers_themselves_would():
    """PeerFigures (every organisation tallied once, the organisation subtracted on reading)
    gives the same tallies as tallying its peers directly, for every organisation."""
    import random

    from accredit.domain.cohorts.benchmark import Peer, PeerFigures, tally

    rng = random.Random(7)
    sections = ("a", "b", "c")
    rows = []
    for org_id in range(1, 80):
        scores = tuple(rng.choice((None, 0.0, 25.0, 50.0, 50.0, 100.0)) for _ in sections)
        rows.append((org_id, rng.choice("XYZ"), rng.choice((1, 2, 3)), scores))
    figures = PeerFigures.of(sections, rows)
    for org_id, org_type, region, _ in rows:
        peers = [
            Peer(
                other,
                other_type == org_type,
                other_region == region,
                dict(zip(sections, scores, strict=True)),
            )
            for other, other_type, other_region, scores in rows
            if other_type == org_type or other_region == region
        ]
        expected = tally(org_id, peers)
        found = figures.tallies(org_id, org_type, region)
        assert set(found) == set(expected), org_id
        for section_id, t in expected.items():
            got = found[section_id]
            assert {k: v for k, v in got.same_type.items() if v} == dict(t.same_type)
            assert {k: v for k, v in got.same_region.items() if v} == dict(t.same_region)
            assert got.in_both == t.in_both


def test_an_organisation_whose_type_changed_is_not_taken_from_its_new_group():
    from accredit.domain.cohorts.benchmark import PeerFigures

    figures = PeerFigures.of(("a",), [(1, "X", 1, (40.0,)), (2, "Y", 1, (60.0,))])
    # Organisation 1 is now of type Y: it was tallied under X, so Y's tally keeps 2's score.
    moved = figures.tallies(1, "Y", 1)["a"]
    assert dict(moved.same_type) == {60.0: 1}
    assert dict(moved.same_region) == {60.0: 1}
    assert moved.in_both == 1
