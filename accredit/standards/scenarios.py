"""Scenarios shipped with a standard: named organisations and the level they must reach.

`standards/<id>/<version>.scenarios.yaml` sits beside each version file. Each scenario gives an
organisation profile and, in a few words, how it answers (`answers: best`, `levels: [bronze]`,
`unmet: [...]`, `set: {...}`; see standards/README.md, "Scenarios"); `run_scenarios` builds the
answers, scores them with the same `score` the service uses, and compares the level, the first
blockers of the next level, and what is asked, against what the file expects. Every failure is a
`Problem` with the line of the expectation it breaks. Pure Python: `standards check` and the test
suite run it without Flask or a database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from accredit.domain.answers import check_answer
from accredit.domain.results import Result, Status
from accredit.domain.scoring import score, visible_keys
from accredit.domain.standard import EVIDENCE as EVIDENCE_ID
from accredit.domain.standard import ProfileFieldType, QuestionType, Standard
from accredit.standards.limits import within_limits
from accredit.standards.loader import SCENARIOS_SUFFIX, _compose, canonical_text
from accredit.standards.nodes import FLOAT, INT, NULL, Problem, Reader, to_number
from accredit.standards.scenario_answers import Mode, build_answers

#: A scenarios file is named after its version file: `2026.1.yaml` -> `2026.1.scenarios.yaml`.
SUFFIX = SCENARIOS_SUFFIX
NO_LEVEL = "none"

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_SCENARIO_KEYS = (
    "name",
    "description",
    "profile",
    "answers",
    "levels",
    "others",
    "met",
    "unmet",
    "partly",
    "no_evidence",
    "unanswered",
    "set",
    "facts",
    "expect",
)
#: The lists that answer named criteria one way, and the mode each stands for.
_LISTS = {
    "met": Mode.BEST,
    "unmet": Mode.WORST,
    "partly": Mode.PARTLY,
    "no_evidence": Mode.NO_EVIDENCE,
    "unanswered": Mode.NONE,
}
#: What a criterion named in one of those lists must then be, or the scenario cannot mean it.
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


@dataclass(frozen=True, slots=True)
class Expectation:
    """One thing a scenario expects, with the line it is written on."""

    kind: str  # level, blockers, asked, not_asked, status
    line: int
    value: object
    subject: str = ""  # the criterion or answer key for asked, not_asked and status


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    line: int
    profile: dict[str, object]
    modes: dict[str, Mode]
    #: Answers given exactly (`set`); None removes the answer.
    exact: dict[str, object]
    #: What the service knows (`answered_by` facts): fact -> holds.
    facts: dict[str, bool]
    #: Criteria named in `unmet`, `partly`, `no_evidence` or `unanswered`, and their lines.
    named: dict[str, int]
    expectations: tuple[Expectation, ...]


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


# --- reading the file ---------------------------------------------------------------------------


def parse_scenarios(text: str, standard: Standard, reader: Reader) -> list[Scenario]:
    """The scenarios in `text`; problems (with lines) go to `reader`."""
    text = canonical_text(text)
    root = _compose(text, reader) if within_limits(text, reader) else None
    if root is None:
        if not reader.problems:
            reader.error(1, "", "file is empty")
        return []
    top = reader.mapping(
        root, "", ("standard", "version", "scenarios"), ("standard", "version", "scenarios")
    )
    if top is None:
        return []
    for key, expected in (("standard", standard.id), ("version", standard.version)):
        node = top.get(key)
        value = reader.ident(node, key, _ID, key) if node is not None else None
        if node is not None and value is not None and value != expected:
            reader.error(node, key, f"'{value}' must be '{expected}', the standard beside it")
    items = (
        reader.sequence(top["scenarios"], "scenarios", non_empty=True)
        if "scenarios" in top
        else None
    )
    scenarios: list[Scenario] = []
    names: dict[str, int] = {}
    for index, node in enumerate(items or (), 1):
        scenario = _scenario(reader, node, f"scenarios {index}", standard)
        if scenario is None:
            continue
        if scenario.name in names:
            reader.error(
                node,
                f"scenario '{scenario.name}'",
                f"name given twice (first at line {names[scenario.name]})",
            )
        names.setdefault(scenario.name, scenario.line)
        scenarios.append(scenario)
    return scenarios


def _scenario(reader: Reader, node: Node, path: str, standard: Standard) -> Scenario | None:
    keys = reader.mapping(node, path, _SCENARIO_KEYS, ("name", "profile", "answers", "expect"))
    if keys is None:
        return None
    name = reader.text(keys.get("name"), f"{path}: name")
    if name is not None:
        path = f"scenario '{name}'"
    before = len(reader.problems)
    reader.text(keys.get("description"), f"{path}: description", default="")
    profile = _profile(reader, keys.get("profile"), path, standard)
    modes = _modes(reader, keys, path, standard)
    named = _named(reader, keys, path, standard, modes)
    exact = _exact(reader, keys.get("set"), path, standard)
    facts = _facts(reader, keys.get("facts"), node, path, standard)
    expectations = _expectations(reader, keys.get("expect"), path, standard)
    if name is None or len(reader.problems) > before:
        return None
    return Scenario(
        name=name,
        line=node.start_mark.line + 1,
        profile=profile,
        modes=modes,
        exact=exact,
        facts=facts,
        named=named,
        expectations=expectations,
    )


def _profile(reader: Reader, node: Node | None, path: str, standard: Standard) -> dict[str, object]:
    """The profile scoring sees: every field of the standard must be given, `null` standing for
    one the organisation has not answered (left out of the profile, as the service does)."""
    profile: dict[str, object] = {}
    if node is None:
        return profile
    fields = {f.id: f for f in standard.profile_fields}
    keys = reader.mapping(node, f"{path}: profile", tuple(fields))
    if keys is None:
        return profile
    for field_id, value_node in keys.items():
        where = f"{path}: profile: {field_id}"
        if isinstance(value_node, ScalarNode) and value_node.tag == NULL:
            continue
        spec = fields[field_id]
        value: object
        if spec.type is ProfileFieldType.BOOLEAN:
            value = reader.boolean(value_node, where)
        elif spec.type is ProfileFieldType.CHOICE:
            value = reader.choice(value_node, where, [o.value for o in spec.options], "value")
        else:
            value = reader.number(value_node, where)
        if value is not None:
            profile[field_id] = value
    left_out = [f for f in fields if f not in keys]
    if left_out:
        reader.error(
            node,
            f"{path}: profile",
            f"leaves out {', '.join(left_out)}: give every profile field of "
            f"{standard.id} {standard.version} (null for one the organisation has not answered)",
        )
    return profile


def _modes(
    reader: Reader, keys: Mapping[str, Node], path: str, standard: Standard
) -> dict[str, Mode]:
    """Each criterion's mode from `answers`, `levels` and `others` (the lists come after)."""
    bases = (Mode.BEST, Mode.WORST, Mode.NONE)
    base = reader.choice(keys.get("answers"), f"{path}: answers", bases, "value")
    others = Mode.WORST
    if "others" in keys:
        chosen = reader.choice(keys["others"], f"{path}: others", (Mode.WORST, Mode.NONE), "value")
        others = Mode(chosen) if chosen else others
    levels = {lv.id for lv in standard.levels}
    if "levels" in keys:
        levels = set(_ids(reader, keys["levels"], f"{path}: levels", set(levels), "level"))
    mode = Mode(base) if base else Mode.NONE
    return {c.id: mode if c.level in levels else others for c in standard.criteria}


def _named(
    reader: Reader,
    keys: Mapping[str, Node],
    path: str,
    standard: Standard,
    modes: dict[str, Mode],
) -> dict[str, int]:
    named: dict[str, int] = {}
    criteria = {c.id for c in standard.criteria}
    for key, mode in _LISTS.items():
        if key not in keys:
            continue
        items = reader.sequence(keys[key], f"{path}: {key}") or []
        for item in items:
            cid = reader.ident(item, f"{path}: {key}", _ID, "criterion id")
            if cid is None:
                continue
            line = item.start_mark.line + 1
            if cid not in criteria:
                reader.error(item, f"{path}: {key}", f"no criterion '{cid}' in {standard.slug}")
            elif cid in named:
                reader.error(
                    item, f"{path}: {key}", f"{cid} is already listed at line {named[cid]}"
                )
            else:
                named[cid] = line
                modes[cid] = mode
    return named


def _exact(reader: Reader, node: Node | None, path: str, standard: Standard) -> dict[str, object]:
    """`set`: answer key -> value, read as the app stores answers (option values as written)."""
    exact: dict[str, object] = {}
    if node is None:
        return exact
    known = set(_answer_keys(standard))
    keys = _keyed(reader, node, f"{path}: set", known, f"no question '{{}}' in {standard.slug}")
    for key, value_node in keys.items():
        where = f"{path}: set: {key}"
        value = _value(reader, value_node, where)
        if value is _BAD:
            continue
        qid = key.partition("/")[2]
        if value is not None and qid != EVIDENCE_ID:
            question = standard.question(key)
            if question.answered_by is not None:
                reader.error(
                    value_node,
                    where,
                    f"answered by the service ({question.answered_by}): give it under facts",
                )
                continue
            problem = check_answer(question, value)
            if problem is None and question.type is QuestionType.MULTIPLE_CHOICE:
                problem = None if isinstance(value, list) else "give a list of option values"
            if problem is not None:
                reader.error(value_node, where, f"not a valid answer: {problem}")
                continue
        exact[key] = value
    return exact


_BAD = object()


def _facts(
    reader: Reader, node: Node | None, scenario: Node, path: str, standard: Standard
) -> dict[str, bool]:
    """`facts`: what the service knows from its own records, for the questions a standard marks
    `answered_by`. Every fact the standard uses must be given, as every profile field must."""
    used = list(dict.fromkeys(str(q.answered_by) for q in standard.answered_by_service))
    facts: dict[str, bool] = {}
    given: dict[str, Node] = {}
    if node is not None and not used:
        reader.error(node, f"{path}: facts", f"{standard.slug} answers no question from facts")
    elif node is not None:
        given = reader.mapping(node, f"{path}: facts", used) or {}
        for fact, value_node in given.items():
            value = reader.boolean(value_node, f"{path}: facts: {fact}")
            if value is not None:
                facts[fact] = value
    left_out = [f for f in used if f not in given]
    if left_out:
        reader.error(
            node if node is not None else scenario,
            f"{path}: facts" if node is not None else path,
            f"give facts {', '.join(left_out)} (true or false): {standard.slug} answers "
            "questions from them, as the service does from its records",
        )
    return facts


def _value(reader: Reader, node: Node, where: str) -> object:
    if isinstance(node, SequenceNode):
        values = []
        for item in node.value:
            if not isinstance(item, ScalarNode) or item.tag == NULL:
                reader.error(item, where, "a list of answers must hold option values")
                return _BAD
            values.append(item.value)
        return values
    if not isinstance(node, ScalarNode):
        reader.error(node, where, "expected an answer value, a list of them or null")
        return _BAD
    if node.tag == NULL:
        return None
    if node.tag in (INT, FLOAT):
        return to_number(node)
    return node.value  # text, option values (`yes` stays "yes") and dates as written


def _answer_keys(standard: Standard) -> list[str]:
    keys = [q.key for q in standard.questions]
    keys.extend(c.evidence_key for c in standard.criteria)
    return keys


def _expectations(
    reader: Reader, node: Node | None, path: str, standard: Standard
) -> tuple[Expectation, ...]:
    if node is None:
        return ()
    path = f"{path}: expect"
    keys = reader.mapping(
        node, path, ("level", "blockers", "asked", "not_asked", "status"), ("level",)
    )
    if keys is None:
        return ()
    found: list[Expectation] = []
    level_ids = [lv.id for lv in standard.levels]
    if "level" in keys:
        level = reader.choice(keys["level"], f"{path}: level", [*level_ids, NO_LEVEL], "value")
        if level is not None:
            found.append(Expectation("level", keys["level"].start_mark.line + 1, level))
    criteria = {c.id for c in standard.criteria}
    if "blockers" in keys:
        node = keys["blockers"]
        blockers = _ids(reader, node, f"{path}: blockers", criteria, "criterion")
        found.append(Expectation("blockers", node.start_mark.line + 1, tuple(blockers)))
    askable = criteria | {q.key for q in standard.questions}
    for kind in ("asked", "not_asked"):
        for item in (reader.sequence(keys[kind], f"{path}: {kind}") or []) if kind in keys else ():
            subject = reader.ident(item, f"{path}: {kind}", re.compile(r"[^\s]+"), "id")
            if subject is None:
                continue
            if subject not in askable:
                reader.error(item, f"{path}: {kind}", f"no criterion or question '{subject}'")
                continue
            found.append(Expectation(kind, item.start_mark.line + 1, True, subject))
    if "status" in keys:
        missing = f"no criterion '{{}}' in {standard.slug}"
        statuses = _keyed(reader, keys["status"], f"{path}: status", criteria, missing)
        for cid, value_node in statuses.items():
            value = reader.choice(
                value_node, f"{path}: status: {cid}", [s.value for s in Status], "value"
            )
            if value is not None:
                found.append(
                    Expectation("status", value_node.start_mark.line + 1, Status(value), cid)
                )
    return tuple(found)


def _keyed(reader: Reader, node: Node, path: str, known: set[str], unknown: str) -> dict[str, Node]:
    """A mapping keyed by ids of the standard; an unknown one is named alone (`unknown` with
    `{}` for it), not followed by every id the standard has."""
    given = (
        [k.value for k, _ in node.value if isinstance(k, ScalarNode)]
        if isinstance(node, MappingNode)
        else []
    )
    keys = reader.mapping(node, path, given) or {}
    for key in [k for k in keys if k not in known]:
        reader.error(keys.pop(key), path, unknown.format(key))
    return keys


def _ids(reader: Reader, node: Node, path: str, known: set[str], what: str) -> list[str]:
    found: list[str] = []
    for item in reader.sequence(node, path) or []:
        value = reader.ident(item, path, _ID, f"{what} id")
        if value is None:
            continue
        if value not in known:
            reader.error(item, path, f"no {what} '{value}'")
            continue
        found.append(value)
    return found


# --- running --------------------------------------------------------------------------------------


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
        listed = {v: k for k, v in _LISTS.items()}[mode]
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
