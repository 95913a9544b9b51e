"""The what-if simulation and the carry-over rule it shares with the next cycle (pure)."""

from __future__ import annotations

from pathlib import Path

from accredit.domain.scoring.scoring import score
from accredit.standards import load_standard, parse_standard
from accredit.standards.carry import carry_over
from accredit.standards.simulate import NO_LEVEL, Subject, simulate
from tests.support.what_if import LOWER, answers_for
from tests.unit.standard_yaml import criteria

ROOT = Path(__file__).resolve().parents[2]
EMPLOYABILITY_1 = load_standard(ROOT / "standards/employability/2026.1.yaml")
EMPLOYABILITY_2 = load_standard(ROOT / "standards/employability/2026.2.yaml")

OLD = criteria(
    """
    - id: "1"
      title: Kept
      level: bronze
      evidence: {required: true}
      questions:
        - {id: "1", text: Kept, type: yes_no}
        - {id: "2", text: Becomes a number, type: yes_no}
        - {id: "3", text: Removed, type: yes_no}
    - {id: "2", title: Removed criterion, level: bronze,
       questions: [{id: "1", text: Gone, type: yes_no}]}
    """
)
NEW = criteria(
    """
    - id: "1"
      title: Kept
      level: bronze
      evidence: {required: true}
      questions:
        - {id: "1", text: Kept, type: yes_no}
        - {id: "2", text: Now a number, type: number, scoring: {met_at_least: 1}}
    """
)


def test_answers_carry_over_only_to_the_same_question_still_asked():
    answers = {
        "1/1": "yes",
        "1/2": "yes",  # its question is a number now: "yes" would be nonsense there
        "1/3": "no",  # question removed
        "2/1": "yes",  # criterion removed
        "1/evidence": ["7", "8"],
    }
    assert carry_over(OLD, NEW).answers(answers) == {"1/1": "yes", "1/evidence": ["7", "8"]}


def test_evidence_keeps_only_what_is_still_in_the_library_and_blanks_are_dropped():
    rule = carry_over(OLD, NEW)
    assert rule.answers({"1/evidence": ["7", "8"], "1/1": None}, live_evidence={"8"}) == {
        "1/evidence": ["8"]
    }
    assert rule.answers({"1/evidence": ["7"]}, live_evidence={"8"}) == {}
    assert rule.answers({"1/evidence": "7"}) == {}


def test_the_mapping_is_worked_out_once_per_pair_of_versions():
    assert carry_over(OLD, NEW) is carry_over(OLD, NEW)
    assert carry_over(NEW, OLD) is not carry_over(OLD, NEW)
    assert carry_over(NEW, OLD).answers({"1/2": 3}) == {}  # number -> yes/no: not carried


PARTLY_EXEMPLARY = answers_for(EMPLOYABILITY_1, LOWER, partly=True)


def test_the_fixture_is_the_case_2026_2_fixed():
    """Under 2026.1's cumulative rule, partly meeting Exemplary's criteria gave Exemplary."""
    profile = {"org_type": "other"}
    assert score(EMPLOYABILITY_1, profile, PARTLY_EXEMPLARY).highest_level == "exemplary"
    assert score(EMPLOYABILITY_2, profile, PARTLY_EXEMPLARY).highest_level == "established"


def _subject(name: str, answers: dict) -> Subject[str]:
    return Subject(name, "other", {}, EMPLOYABILITY_1, answers)


def test_the_table_groups_organisations_by_their_level_now_and_under_the_new_version():
    subjects = [
        _subject("Partly Exemplary A", PARTLY_EXEMPLARY),
        _subject("Established B", answers_for(EMPLOYABILITY_1, LOWER)),
        _subject("Partly Exemplary C", PARTLY_EXEMPLARY),
        _subject("Exemplary D", answers_for(EMPLOYABILITY_1, (*LOWER, "exemplary"))),
        _subject("Empty E", {}),
    ]
    result = simulate(subjects, EMPLOYABILITY_2)
    rows = [(c.before_name, c.after_name, c.direction, c.organisations) for c in result.changes]
    assert rows == [
        ("Exemplary", "Established", "down", ("Partly Exemplary A", "Partly Exemplary C")),
        ("Exemplary", "Exemplary", "same", ("Exemplary D",)),
        ("Established", "Established", "same", ("Established B",)),
        (NO_LEVEL, NO_LEVEL, "same", ("Empty E",)),
    ]
    assert result.assessed == 5
    assert (result.count("down"), result.count("up"), result.count("same")) == (2, 0, 3)
    assert [c.count for c in result.moved] == [2]


def test_answers_the_new_version_no_longer_asks_cannot_keep_a_level():
    """The rescoring reads the carried answers, not the old ones: an organisation whose
    Foundation rests on a question the new version dropped loses Foundation."""
    met = answers_for(EMPLOYABILITY_1, ("foundation",))
    mandatory = next(
        c
        for c in EMPLOYABILITY_1.criteria
        if c.mandatory and not any(q.show_if for q in c.questions)
    )
    text = (ROOT / "standards/employability/2026.2.yaml").read_text(encoding="utf-8")
    old_key = mandatory.questions[0].key
    changed = text.replace(
        f'      - id: "{mandatory.id}"', f'      - id: "{mandatory.id}x"', 1
    )  # the criterion renamed: its answers no longer match
    assert changed != text
    renamed = parse_standard(changed, "employability/2026.9.yaml")
    assert old_key in met
    result = simulate([_subject("Foundation F", met)], renamed)
    assert [(c.before, c.after, c.direction) for c in result.changes] == [
        ("foundation", None, "down")
    ]


def test_the_level_now_is_the_stored_summary_s_when_it_was_scored_on_this_text():
    """The dashboard's level (stored with each save) is the "from" column; without one, the
    assessment is scored under its own version."""
    stored = Subject(
        "Stored", "other", {}, EMPLOYABILITY_1, {}, stored=True, stored_level="foundation"
    )
    unscored = Subject("Unscored", "other", {}, EMPLOYABILITY_1, PARTLY_EXEMPLARY)
    result = simulate([stored, unscored], EMPLOYABILITY_2)
    assert [(c.before, c.after, c.organisations) for c in result.changes] == [
        ("exemplary", "established", ("Unscored",)),
        ("foundation", None, ("Stored",)),
    ]


WEQS_1 = load_standard(ROOT / "standards/weqs/2026.1.yaml")
WEQS_2 = load_standard(ROOT / "standards/weqs/2026.2.yaml")


def test_organisations_with_profile_questions_the_new_version_adds_are_counted():
    """Moving to a version with new profile questions: until an organisation answers them, the
    criteria gated on them wait, and the table says how many are in that position."""
    old_profile = {f.id: False for f in WEQS_1.profile_fields if f.id != "org_type"}
    new_fields = [f for f in WEQS_2.profile_fields if f.id != "org_type"]
    full_profile = {f.id: (f.options[0].value if f.options else False) for f in new_fields}
    subjects = [
        Subject("Old profile", "acute_trust", old_profile, WEQS_1, {}),
        Subject("Full profile", "acute_trust", full_profile, WEQS_1, {}),
    ]
    result = simulate(subjects, WEQS_2)
    missing = [f for f in new_fields if f.id not in old_profile]
    assert missing, "WEQS 2026.2 asks profile questions 2026.1 did not"
    assert result.awaiting_profile == 1
    assert result.unanswered == tuple((f.label, 1) for f in missing)
    assert [c.awaiting_profile for c in result.changes] == [1]  # both stay at no level


WEQS_1 = load_standard(ROOT / "standards/weqs/2026.1.yaml")
WEQS_2 = load_standard(ROOT / "standards/weqs/2026.2.yaml")


def test_an_answer_the_new_version_takes_from_the_service_is_never_carried():
    # 2026.1's 9.1/1 asked "have you submitted your return?"; 2026.2's 9.1/1 is "was one due?",
    # answered by the service: same key and type, different meaning.
    assert WEQS_2.question("9.1/1").answered_by is not None
    assert "9.1/1" not in carry_over(WEQS_1, WEQS_2).answers({"9.1/1": "yes"})


def test_the_simulation_answers_what_the_service_would_know_at_the_next_cycle(monkeypatch):
    import accredit.standards.simulate as module
    from accredit.domain.scoring.known_answers import ServiceFacts
    from tests.support.profiles import ANSWERED

    seen: dict[str, object] = {}

    def scoring(standard, profile, answers):  # what the new version is scored on, kept
        if standard is WEQS_2:
            seen.clear()
            seen.update(answers)
        return score(standard, profile, answers)

    monkeypatch.setattr(module, "score", scoring)

    def status_of_9_1(facts):
        simulate([Subject("org", "acute_trust", ANSWERED, WEQS_1, {}, facts=facts)], WEQS_2)
        return score(WEQS_2, ANSWERED | {"org_type": "acute_trust"}, seen).criterion("9.1").status

    assert status_of_9_1(None).value == "unanswered"
    assert status_of_9_1(ServiceFacts(2026, return_due=True, return_submitted=True)).value == "met"
    not_due = ServiceFacts(2026, return_due=False, return_submitted=False)
    assert status_of_9_1(not_due).value == "not_applicable"
