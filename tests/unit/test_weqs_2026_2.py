"""Facts about WEQS 2026.2 that issue 19 asked for and an assessor relies on: who is asked what,
every level earned by its own criteria, insurance asked once, evidence where an assessor asks."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from accredit.domain.scoring.questionnaire import asked
from accredit.domain.scoring.scoring import visible_keys
from accredit.standards.level_analysis import analyse, problems
from accredit.standards.loader import load_standard
from accredit.standards.scenario_answers import Mode, build_answers

ROOT = Path(__file__).resolve().parents[2]
STANDARD = load_standard(ROOT / "standards" / "weqs" / "2026.2.yaml")

#: Criteria and questions only an organisation taking under-18s is asked.
UNDER_18_CRITERIA = {"3.1", "3.5", "3.11"}
UNDER_18_QUESTIONS = {"3.1/4", "3.3/3", "3.3/4"}
#: Criteria only an organisation with in-person placements is asked.
IN_PERSON_CRITERIA = {"3.8", "5.1", "6.1", "10.2", "10.3", "10.4"}

ORG_TYPES = [o.value for o in STANDARD.profile_field("org_type").options]


def _profiles(**fixed: bool) -> list[dict[str, object]]:
    """Every organisation type and every answer to the profile fields not fixed."""
    free = [f.id for f in STANDARD.profile_fields if f.id != "org_type" and f.id not in fixed]
    profiles = []
    for org_type in ORG_TYPES:
        for values in itertools.product((True, False), repeat=len(free)):
            profiles.append({"org_type": org_type, **fixed, **dict(zip(free, values, strict=True))})
    return profiles


def _shown(profile: dict[str, object]) -> tuple[set[str], set[str]]:
    """Criteria asked and question keys shown, with every question answered (gates open)."""
    modes = {c.id: Mode.BEST for c in STANDARD.criteria}
    answers = build_answers(STANDARD, profile, modes, STANDARD.effective)
    keys = set(visible_keys(STANDARD, profile, answers))
    criteria = {c.id for c in STANDARD.criteria if asked(c, profile)}
    return criteria, keys


ADULTS_ONLY = _profiles(offers_under_16=False, offers_16_17=False, offers_adults=True)
VIRTUAL_ONLY = _profiles(offers_in_person=False, offers_virtual=True)


@pytest.mark.parametrize("profile", ADULTS_ONLY[:: max(1, len(ADULTS_ONLY) // 64)])
def test_an_adults_only_provider_is_never_asked_an_under_18_criterion(profile):
    criteria, keys = _shown(profile)
    assert not criteria & UNDER_18_CRITERIA
    assert not keys & UNDER_18_QUESTIONS
    assert not {k.partition("/")[0] for k in keys} & UNDER_18_CRITERIA


@pytest.mark.parametrize("profile", VIRTUAL_ONLY[:: max(1, len(VIRTUAL_ONLY) // 64)])
def test_a_virtual_only_provider_is_never_asked_an_in_person_criterion(profile):
    criteria, keys = _shown(profile)
    assert not criteria & IN_PERSON_CRITERIA
    assert not {k.partition("/")[0] for k in keys} & IN_PERSON_CRITERIA


def test_under_18_and_in_person_criteria_are_asked_where_they_apply():
    """The gates above are not simply switched off: a trust taking under-16s in person gets them."""
    profile = {f.id: True for f in STANDARD.profile_fields if f.id != "org_type"}
    profile["org_type"] = "acute_trust"
    criteria, keys = _shown(profile)
    assert criteria >= UNDER_18_CRITERIA
    assert criteria >= IN_PERSON_CRITERIA
    assert keys >= UNDER_18_QUESTIONS


@pytest.mark.parametrize(
    ("fields", "dbs_asked"),
    [
        ({"offers_under_16": True}, True),
        ({"offers_16_17": True}, True),
        ({"regulated_activity": True}, True),
        ({"offers_adults": True}, False),
    ],
)
def test_dbs_is_asked_by_age_and_activity(fields, dbs_asked):
    profile = {f.id: False for f in STANDARD.profile_fields if f.id != "org_type"}
    profile.update(org_type="social_care", **fields)
    assert asked(STANDARD.criterion("3.3"), profile) is dbs_asked


def test_every_level_is_earned_by_at_least_half_of_its_own_criteria():
    assert STANDARD.readiness.min_own_share == 0.5
    assert problems(STANDARD) == []
    for need in analyse(STANDARD):
        assert need.needed >= 1
        assert 2 * need.needed >= need.own, need.message()


def test_the_activity_return_never_blocks_bronze():
    criterion = STANDARD.criterion("9.1")
    assert not criterion.mandatory
    assert [q.answered_by for q in criterion.questions] == [
        "activity_return_due",
        "activity_return_submitted",
    ]


def test_insurance_is_asked_once():
    def mentions_cover(criterion) -> bool:
        words = " ".join([criterion.title, *(q.text for q in criterion.questions)]).lower()
        return "insur" in words or "indemnity" in words

    assert [c.id for c in STANDARD.criteria if mentions_cover(c)] == ["3.4"]
    assert STANDARD.criterion("3.4").mandatory
    assert STANDARD.criterion("3.4").evidence.required


def test_evidence_is_required_where_an_assessor_asks_at_every_level():
    for cid in ("1.2", "3.2", "3.4", "5.1", "5.3", "6.1", "7.1", "9.2"):
        assert STANDARD.criterion(cid).evidence.required, cid
    for level in ("silver", "gold"):
        own = [c for c in STANDARD.criteria if c.level == level]
        assert sum(c.evidence.required for c in own) * 2 >= len(own), level


def test_each_section_names_one_of_hees_six_sections():
    six = {
        "hee:healthcare-organisation",
        "hee:pre-placement",
        "hee:placement-induction",
        "hee:during-placement",
        "hee:reflection-and-review",
        "hee:post-placement",
    }
    assert {section.alignment for section in STANDARD.sections} == six
    assert STANDARD.owner == "Fair Train"
