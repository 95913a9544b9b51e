"""Scenarios shipped with a standard: named organisations and the level they must reach.

`standards/<id>/<version>.scenarios.yaml` sits beside each version file. Each scenario gives an
organisation profile and, in a few words, how it answers (`answers: best`, `levels: [bronze]`,
`unmet: [...]`, `set: {...}`; see standards/README.md, "Scenarios"); `run_text` builds the
answers, scores them with the same `score` the service uses, and compares the level, the first
blockers of the next level, and what is asked, against what the file expects. Every failure is a
`Problem` with the line of the expectation it breaks. Pure Python: `standards check` and the test
suite run it without Flask or a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from accredit.domain.scoring.results import Result, Status
from accredit.domain.scoring.scoring import score, visible_keys
from accredit.domain.scoring.standard import Standard
from accredit.standards.loader import SCENARIOS_SUFFIX
from accredit.standards.nodes import Problem, Reader
from accredit.standards.scenario_answers import Mode, build_answers
from accredit.standards.scenario_file import (
    LISTS,
    NO_LEVEL,
    Expectation,
    Scenario,
    parse_scenarios,
)

#: A scenarios file is named after its version file: `2026.1.yaml` -> `2026.1.scenarios.yaml`.
SUFFIX = SCENARIOS_SUFFIX

#: What a criterion named in one of the `LISTS` must come out as, or the scenario cannot mean it.
_INTENDED = {
    Mode.BEST: (Status.MET,),
    Mode.WORST: (Status.NOT_MET,),
    Mode.PARTLY: (Status.PARTLY_MET,),
    Mode.NO_EVIDENCE: (Status.PARTLY_MET, Status.NOT_MET),
    Mode.NONE: (Status.UNANSWERED,),
}


def scenarios_path(standard_path: str | Path) -> Path:
    """The scenarios file beside a version file."""
    path = Path(standard_path)
    return path.with_name(path.name.removesuffix(".yaml") + SUFFIX)


def is_scenarios_file(path: str | Path) -> bool:
    return Path(path).name.endswith(SUFFIX)


@dataclass(slots=True)
class Outcome:
    """What running one file's scenarios found."""

    source: str
    scenarios: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)


def check_beside(standard_path: str | Path, standard: Standard) -> Outcome:
    """Run the scenarios file beside `standard_path`; a missing one is a problem."""
    path = scenarios_path(standard_path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        outcome = Outcome(str(path))
        outcome.problems.append(
            Problem(
                str(path),
                None,
                "",
                f"missing: {standard.slug} has no scenarios file; every draft or published "
                "version needs one beside it (standards/README.md, Scenarios)",
            )
        )
        return outcome
    except (OSError, UnicodeDecodeError) as exc:
        outcome = Outcome(str(path))
        outcome.problems.append(Problem(str(path), None, "", f"cannot be read: {exc}"))
        return outcome
    return run_text(text, standard, str(path))


def run_text(text: str, standard: Standard, source: str = "<scenarios>") -> Outcome:
    """Parse a scenarios file for `standard` and run every scenario in it."""
    reader = Reader(source)
    scenarios = parse_scenarios(text, standard, reader)
    problems = sorted(reader.problems, key=lambda p: p.line or 0)
    outcome = Outcome(source, scenarios=len(scenarios), problems=problems)
    if reader.problems:
        outcome.failed = len(scenarios) or 1
        return outcome
    for scenario in scenarios:
        found = run_scenario(standard, scenario, source)
        if found:
            outcome.failed += 1
            outcome.problems.extend(found)
    return outcome


def answers_for(standard: Standard, scenario: Scenario) -> dict[str, object]:
    """The answers the scenario stands for (see `scenario_answers`), then its `set` answers."""
    answers = build_answers(standard, scenario.profile, scenario.modes, standard.effective)
    for key, value in scenario.exact.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    for question in standard.answered_by_service:
        holds = scenario.facts.get(str(question.answered_by))
        if holds is not None:
            answers[question.key] = "yes" if holds else "no"
    return answers


def run_scenario(standard: Standard, scenario: Scenario, source: str) -> list[Problem]:
    """Everything about the scenario's result that differs from what it expects."""
    answers = answers_for(standard, scenario)
    result = score(standard, scenario.profile, answers)
    path = f"scenario '{scenario.name}'"
    problems = [
        Problem(source, line, path, message)
        for line, message in _misnamed(standard, scenario, result)
    ]
    visible = visible_keys(standard, scenario.profile, answers)
    for expectation in scenario.expectations:
        message = _compare(standard, result, visible, expectation)
        if message:
            problems.append(Problem(source, expectation.line, path, message))
    return sorted(problems, key=lambda p: p.line or 0)


def _misnamed(standard: Standard, scenario: Scenario, result: Result) -> list[tuple[int, str]]:
    """Criteria a list names whose answers cannot come out as the list means (not applicable to
    the profile, or, say, a lone yes/no question listed under `partly`)."""
    found = []
    for cid, line in scenario.named.items():
        criterion = result.criterion(cid)
        mode = scenario.modes[cid]
        if criterion.status in _INTENDED[mode]:
            continue
        listed = {v: k for k, v in LISTS.items()}[mode]
        if criterion.status is Status.NOT_APPLICABLE:
            why = "it does not apply to this profile"
        elif mode is Mode.NO_EVIDENCE and not standard.criterion(cid).evidence.required:
            why = "it does not require evidence"
        else:
            why = f"its answers come out {criterion.status.value} ({criterion.reason})"
        found.append((line, f"{cid} is listed in {listed} but {why}"))
    return found


def _compare(
    standard: Standard, result: Result, visible: tuple[str, ...], expectation: Expectation
) -> str | None:
    kind = expectation.kind
    if kind == "level":
        level = result.highest_level or NO_LEVEL
        if level == expectation.value:
            return None
        return f"expected level {expectation.value}, got {level}{_why(result)}"
    if kind == "blockers":
        assert isinstance(expectation.value, tuple)
        expected = list(expectation.value)
        nxt = result.next_level
        if nxt is None:
            return f"expected blockers {_list(expected)}, but every level is achieved"
        got = [b.criterion_id for b in nxt.blockers]
        if got[: len(expected)] == expected:
            return None
        shown = got[: len(expected) + 3]
        more = ", ..." if len(got) > len(shown) else ""
        return (
            f"expected the first blockers of {nxt.id} to be {_list(expected)}, "
            f"got [{', '.join(shown)}{more}]"
        )
    subject = expectation.subject
    if kind in ("asked", "not_asked"):
        asked = (
            subject in visible
            if "/" in subject
            else any(key.startswith(f"{subject}/") for key in visible)
        )
        if asked == (kind == "asked"):
            return None
        if asked:
            return f"expected {subject} not to be asked, but it is"
        cid = subject.partition("/")[0]
        return f"expected {subject} to be asked, but it is not ({result.criterion(cid).reason})"
    got_status = result.criterion(subject)
    if got_status.status is expectation.value:
        return None
    return (
        f"expected {subject} {expectation.value}, got {got_status.status.value} "
        f"({got_status.reason})"
    )


def _why(result: Result) -> str:
    """The next level's score and first blockers, to show why the level came out as it did."""
    nxt = result.next_level
    if nxt is None:
        return " (every level achieved)"
    blockers = [b.criterion_id for b in nxt.blockers]
    shown = ", ".join(blockers[:5]) + (", ..." if len(blockers) > 5 else "")
    return f" ({nxt.id} {nxt.percent:.1f}% of {nxt.threshold:g}%; blockers {shown or 'none'})"


def _list(ids: list[str]) -> str:
    return f"[{', '.join(ids)}]"


__all__ = [
    "NO_LEVEL",
    "SUFFIX",
    "Outcome",
    "Scenario",
    "answers_for",
    "check_beside",
    "is_scenarios_file",
    "parse_scenarios",
    "run_scenario",
    "run_text",
    "scenarios_path",
]
