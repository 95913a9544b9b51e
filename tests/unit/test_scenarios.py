"""The scenarios runner on small inline standards: answers built from a few words, expectations
compared, and every failure reported with the line of what it breaks."""

from __future__ import annotations

import textwrap

import pytest

from accredit.domain.scoring.scoring import score
from accredit.standards.nodes import Reader
from accredit.standards.scenarios import answers_for, parse_scenarios, run_text
from tests.unit.standard_yaml import ALL, criteria

STANDARD = criteria(
    """
    - id: b1
      title: Safeguarding
      level: bronze
      mandatory: true
      weight: 3
      evidence: {required: true}
      questions: [{id: "1", text: Policy, type: yes_partly_no}]
    - id: b2
      title: Two yes/no questions
      level: bronze
      questions:
        - {id: "1", text: First, type: yes_no}
        - {id: "2", text: Second, type: yes_no}
    - id: b3
      title: Under-16s only
      level: bronze
      applies_if: {profile: offers_under_16, equals: true}
      questions: [{id: "1", text: Q, type: yes_no}]
    - id: s1
      title: A number
      level: silver
      weight: 2
      questions:
        - {id: "1", text: How many, type: number, scoring: {met_at_least: 3, partly_at_least: 1}}
        - {id: "2", text: Since when, type: date}
    - id: s2
      title: Behind a gate
      level: silver
      questions:
        - {id: "1", text: Do you run virtual placements, type: yes_no, scored: false}
        - {id: "2", text: Safe online, type: yes_no, show_if: {answer: "s2/1", equals: "yes"}}
    - id: g1
      title: A count
      level: gold
      questions:
        - id: "1"
          text: Which
          type: multiple_choice
          options: [{value: a, label: A, score: 1}, {value: b, label: B, score: 1},
                    {value: c, label: C, score: 1}]
          scoring: {method: count, met_at_least: 2}
    - id: g2
      title: No is the good answer
      level: gold
      questions:
        - id: "1"
          text: Are learners ever left alone
          type: yes_no
          options: [{value: "yes", label: "Yes", score: 0}, {value: "no", label: "No", score: 1}]
    """,
    levels=ALL,
)
PROFILE = """
      org_type: acute_trust
      offers_under_16: true
      offers_clinical_placements: true
      offers_t_level: false
      staff: 100"""


def scenarios(body: str) -> str:
    """A scenarios file for STANDARD; `PROFILE` in `body` is replaced by a complete profile."""
    text = 'standard: test\nversion: "1"\nscenarios:\n' + textwrap.indent(
        textwrap.dedent(body).strip("\n"), "  "
    )
    return text.replace("    profile: PROFILE", "    profile:" + PROFILE) + "\n"


def line_of(text: str, fragment: str, nth: int = 1) -> int:
    found = [i for i, line in enumerate(text.splitlines(), 1) if fragment in line]
    return found[nth - 1]


def run(text: str) -> list[str]:
    return [str(p) for p in run_text(text, STANDARD, "t.scenarios.yaml").problems]


def only(text: str) -> tuple:
    reader = Reader("t.scenarios.yaml")
    found = parse_scenarios(text, STANDARD, reader)
    assert reader.problems == []
    return found[0]


def test_passing_scenarios_report_nothing():
    text = scenarios(
        """
        - name: Everything
          profile: PROFILE
          answers: best
          expect: {level: gold, asked: [b3, "s2/2"], status: {g2: met}}
        - name: Empty
          profile: PROFILE
          answers: none
          expect: {level: none, blockers: [b1]}
        - name: Bronze only
          profile: PROFILE
          answers: best
          levels: [bronze]
          expect: {level: bronze, blockers: [s1, s2]}
        """
    )
    outcome = run_text(text, STANDARD, "t.scenarios.yaml")
    assert outcome.problems == []
    assert (outcome.scenarios, outcome.failed) == (3, 0)


def test_a_wrong_level_names_the_line_and_what_came_out():
    text = scenarios(
        """
        - name: Bronze only
          profile: PROFILE
          answers: best
          levels: [bronze]
          expect:
            level: gold
        """
    )
    assert run(text) == [
        f"t.scenarios.yaml:{line_of(text, 'level: gold')}: scenario 'Bronze only': expected level "
        "gold, got bronze (silver 0.0% of 80%; blockers s1, s2)"
    ]


def test_blockers_are_compared_as_the_start_of_the_next_levels_list_in_order():
    body = """
        - name: Bronze only
          profile: PROFILE
          answers: best
          levels: [bronze]
          expect:
            level: bronze
            blockers: {blockers}
        """
    assert run(scenarios(body.replace("{blockers}", "[s1]"))) == []
    assert run(scenarios(body.replace("{blockers}", "[s1, s2]"))) == []
    text = scenarios(body.replace("{blockers}", "[s2, s1]"))
    assert run(text) == [
        f"t.scenarios.yaml:{line_of(text, 'blockers:')}: scenario 'Bronze only': expected the "
        "first blockers of silver to be [s2, s1], got [s1, s2]"
    ]
    text = scenarios(
        """
        - name: Everything
          profile: PROFILE
          answers: best
          expect: {level: gold, blockers: [g1]}
        """
    )
    assert run(text) == [
        f"t.scenarios.yaml:{line_of(text, 'expect:')}: scenario 'Everything': expected blockers "
        "[g1], but every level is achieved"
    ]


S2_2 = '- "s2/2"'


def test_asked_not_asked_and_status_failures():
    text = scenarios(
        """
        - name: No under-16s
          profile:
            org_type: acute_trust
            offers_under_16: false
            offers_clinical_placements: true
            offers_t_level: false
            staff: 100
          answers: best
          set: {"s2/1": "no"}
          expect:
            level: gold
            asked:
              - b3
              - "s2/2"
            not_asked: [b1]
            status: {s2: met}
        """
    )
    assert run(text) == [
        f"t.scenarios.yaml:{line_of(text, '- b3')}: scenario 'No under-16s': expected b3 to be "
        "asked, but it is not (Does not apply: only when offers_under_16 is true)",
        f"t.scenarios.yaml:{line_of(text, S2_2)}: scenario 'No under-16s': expected s2/2 "
        "to be asked, but it is not (Does not apply: none of its questions apply given earlier "
        "answers)",
        f"t.scenarios.yaml:{line_of(text, 'not_asked')}: scenario 'No under-16s': expected b1 not "
        "to be asked, but it is",
        f"t.scenarios.yaml:{line_of(text, 'status:')}: scenario 'No under-16s': expected s2 met, "
        "got not_applicable (Does not apply: none of its questions apply given earlier answers)",
    ]


def test_best_worst_and_partly_answers_come_from_the_standards_own_scoring():
    text = scenarios(
        """
        - name: Mixed
          profile: PROFILE
          answers: best
          partly: [b1, b2, s1]
          unmet: [g1, g2]
          expect: {level: none}
        """
    )
    scenario = only(text)
    answers = answers_for(STANDARD, scenario)
    assert answers["b1/1"] == "partly"
    assert (answers["b2/1"], answers["b2/2"]) == ("yes", "no")  # no middle answer: last worst
    assert answers["s1/1"] == 2 and answers["s1/2"] == "2026-01-01"  # effective date
    assert answers["s2/1"] == "yes" and answers["s2/2"] == "yes"  # a gate opens
    # The form refuses an empty selection, so the worst is one option (two are needed).
    assert answers["g1/1"] == ["a"] and answers["g2/1"] == "yes"  # "yes" scores 0 here
    result = score(STANDARD, scenario.profile, answers)
    assert [result.criterion(c).status.value for c in ("b1", "b2", "s1", "g1", "g2")] == [
        "partly_met",
        "partly_met",
        "partly_met",
        "not_met",
        "not_met",
    ]
    listed = text.replace("partly: [b1, b2, s1]", "met: [b1]").replace("unmet: [g1, g2]", "")
    best = answers_for(STANDARD, only(listed))
    assert best["g2/1"] == "no" and best["b1/evidence"] == ["scenario-evidence"]
    assert sorted(best["g1/1"]) == ["a", "b", "c"]  # type: ignore[arg-type]
    assert best["s1/1"] == 10


def test_a_list_that_cannot_mean_what_it_says_fails_the_scenario():
    text = scenarios(
        """
        - name: Misnamed
          profile:
            org_type: acute_trust
            offers_under_16: false
            offers_clinical_placements: true
            offers_t_level: false
            staff: 100
          answers: best
          unmet: [b3]
          no_evidence: [b2]
          partly:
            - g2
          expect: {level: bronze}
        """
    )
    problems = run(text)
    assert problems[:3] == [
        f"t.scenarios.yaml:{line_of(text, 'unmet: [b3]')}: scenario 'Misnamed': b3 is listed in "
        "unmet but it does not apply to this profile",
        f"t.scenarios.yaml:{line_of(text, 'no_evidence')}: scenario 'Misnamed': b2 is listed in "
        "no_evidence but it does not require evidence",
        f"t.scenarios.yaml:{line_of(text, '- g2')}: scenario 'Misnamed': g2 is listed in partly "
        "but its answers come out met (Met)",
    ]


def test_the_profile_must_give_every_field_and_null_means_not_answered():
    text = scenarios(
        """
        - name: Incomplete
          profile: {org_type: acute_trust, offers_t_level: false}
          answers: best
          expect: {level: gold}
        """
    )
    assert run(text) == [
        f"t.scenarios.yaml:{line_of(text, 'profile:')}: scenario 'Incomplete': profile: leaves out "
        "offers_under_16, offers_clinical_placements, staff: give every profile field of test 1 "
        "(null for one the organisation has not answered)"
    ]
    text = scenarios(
        """
        - name: Under-16s not answered yet
          profile: {org_type: acute_trust, offers_under_16: null, offers_clinical_placements: true,
                    offers_t_level: false, staff: 100}
          answers: best
          expect: {level: gold, status: {b3: unanswered}}
        """
    )
    assert run(text) == []
    assert "offers_under_16" not in only(text).profile


@pytest.mark.parametrize(
    ("fragment", "replacement", "message"),
    [
        (
            "standard: test",
            "standard: weqs",
            "standard: 'weqs' must be 'test', the standard beside it",
        ),
        ('version: "1"', 'version: "2"', "version: '2' must be '1', the standard beside it"),
        ("unmet: [g1]", "unmet: [z9]", "scenario 'S': unmet: no criterion 'z9' in test/1"),
        (
            "level: gold",
            "level: platinum",
            "expect: level: value 'platinum' is not one of bronze, silver, gold, none",
        ),
        ("mode", "answers: most", "answers: value 'most' is not one of best, worst, none"),
        ('"b1/1": "yes"', '"b1/1": "maybe"', "set: b1/1: not a valid answer: Select yes, partly"),
        ('"b1/1": "yes"', '"zz/1": "yes"', "set: no question 'zz/1' in test/1"),
        ("staff: 100", "staff: 100\n      size: big", "profile: unknown key 'size'"),
        ("asked: [b1]", "asked: [x1]", "no criterion or question 'x1'"),
        ("asked: [b1]", "status: {q9: met}", "expect: status: no criterion 'q9' in test/1"),
        (
            "mode",
            "answers: best\n    facts: {x: true}",
            "facts: test/1 answers no question from facts",
        ),
    ],
)
def test_mistakes_in_the_file_are_reported_with_their_line(fragment, replacement, message):
    text = scenarios(
        """
        - name: S
          profile: PROFILE
          mode
          unmet: [g1]
          set: {"b1/1": "yes"}
          expect: {level: gold, asked: [b1]}
        """
    ).replace("mode", "answers: best")
    assert run(text) == [
        f"t.scenarios.yaml:{line_of(text, 'level: gold')}: scenario 'S': expected level gold, got "
        "silver (gold 50.0% of 80%; blockers g1)"
    ]
    broken = (
        text.replace(fragment, replacement)
        if fragment != "mode"
        else text.replace("answers: best", replacement)
    )
    problems = run(broken)
    assert len(problems) == 1, problems
    assert message in problems[0]
    line = line_of(broken, replacement.splitlines()[-1])
    assert problems[0].startswith(f"t.scenarios.yaml:{line}: ")


def test_a_scenario_name_is_given_once_and_the_file_needs_scenarios():
    one = """
        - name: S
          profile: PROFILE
          answers: none
          expect: {level: none}
        """
    text = scenarios(one + one.replace("\n        ", "\n        ", 1))
    assert run(text) == [
        f"t.scenarios.yaml:{line_of(text, '- name: S', 2)}: scenario 'S': name given twice "
        f"(first at line {line_of(text, '- name: S')})"
    ]
    assert run('standard: test\nversion: "1"\nscenarios: []\n') == [
        "t.scenarios.yaml:3: scenarios: must not be empty"
    ]
    assert run("") == ["t.scenarios.yaml:1: file is empty"]
    assert run("a: &x 1\nb: *x\n")[0].startswith("t.scenarios.yaml:1: anchors and aliases")


RETURNS = criteria(
    """
    - id: r1
      title: Activity return submitted
      level: bronze
      questions:
        - {id: "1", text: Due, type: yes_no, scored: false, answered_by: activity_return_due}
        - id: "2"
          text: Submitted
          type: yes_no
          answered_by: activity_return_submitted
          show_if: {answer: "r1/1", equals: "yes"}
    - {id: r2, title: Other, level: bronze, questions: [{id: "1", text: Q, type: yes_no}]}
    """
)


def run_returns(body: str) -> list[str]:
    text = scenarios(body)
    return [str(p) for p in run_text(text, RETURNS, "t.scenarios.yaml").problems]


def test_facts_answer_what_the_service_knows_and_must_all_be_given():
    body = """
        - name: First cycle
          profile: PROFILE
          answers: best
          facts: {activity_return_due: false, activity_return_submitted: false}
          expect: {level: bronze, status: {r1: not_applicable}}
        - name: Return overdue
          profile: PROFILE
          answers: best
          facts: {activity_return_due: true, activity_return_submitted: false}
          expect: {level: none, status: {r1: not_met}, asked: ["r1/2"]}
        """
    assert run_returns(body) == []
    # Best answers alone would say "yes": the facts win, as the service's own records do.
    assert (
        "expected r1 met, got not_met" in run_returns(body.replace("{r1: not_met}", "{r1: met}"))[0]
    )
    text = scenarios(
        """
        - name: No facts
          profile: PROFILE
          answers: best
          set: {"r1/2": "yes"}
          expect: {level: bronze}
        """
    )
    assert [str(p) for p in run_text(text, RETURNS, "t.scenarios.yaml").problems] == [
        f"t.scenarios.yaml:{line_of(text, '- name: No facts')}: scenario 'No facts': give facts "
        "activity_return_due, activity_return_submitted (true or false): test/1 answers questions "
        "from them, as the service does from its records",
        f"t.scenarios.yaml:{line_of(text, 'set:')}: scenario 'No facts': set: r1/2: answered by "
        "the service (activity_return_submitted): give it under facts",
    ]


def test_nothing_that_finds_versions_takes_a_scenarios_file_for_one(tmp_path):
    from accredit.standards import StandardFileError, discover, load_standard, version_files
    from tests.unit.standard_yaml import standard_text

    folder = tmp_path / "test"
    folder.mkdir()
    (folder / "1.yaml").write_text(
        standard_text(
            '- {id: s, title: S, criteria: [{id: "1", title: T, level: bronze, '
            'questions: [{id: "1", text: Q, type: yes_no}]}]}'
        ),
        encoding="utf-8",
    )
    beside = folder / "1.scenarios.yaml"
    beside.write_text('standard: test\nversion: "1"\nscenarios: []\n', encoding="utf-8")
    assert version_files(tmp_path) == [folder / "1.yaml"]
    assert version_files(folder, depth=1) == [folder / "1.yaml"]
    assert [s.slug for s in discover(tmp_path)] == ["test/1"]
    with pytest.raises(StandardFileError, match="this is a scenarios file, not a standard"):
        load_standard(beside)


def test_an_unscored_multiple_choice_gate_opens_with_every_option():
    gated = criteria(
        """
        - id: m1
          title: Formats
          level: bronze
          questions:
            - id: "1"
              text: Which formats
              type: multiple_choice
              scored: false
              validation: {required: false}
              options: [{value: virtual, label: Virtual}, {value: visit, label: Visit}]
            - id: "2"
              text: Safe online
              type: yes_no
              show_if: {answer: "m1/1", includes: virtual}
        """
    )
    text = (
        'standard: test\nversion: "1"\nscenarios:\n  - name: S\n    profile:'
        + PROFILE
        + '\n    answers: best\n    expect: {level: bronze, asked: ["m1/2"]}\n'
    )
    assert [str(p) for p in run_text(text, gated, "t").problems] == []
