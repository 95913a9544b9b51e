"""Reading a scenarios file (`standards/<id>/<version>.scenarios.yaml`) into `Scenario`s.

Checked against the standard beside it as it is read: every id a scenario names (criteria, levels,
questions, profile fields, facts) must exist, every `set` answer must be one the question page
would accept, and every profile field and fact must be given. Each problem carries its line, read
from the YAML nodes as the standard loader reads them. The format is in standards/README.md
("Scenarios"); `accredit.standards.scenarios` runs what this reads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from accredit.domain.scoring.answers import check_answer
from accredit.domain.scoring.results import Status
from accredit.domain.scoring.standard import EVIDENCE as EVIDENCE_ID
from accredit.domain.scoring.standard import ProfileFieldType, QuestionType, Standard
from accredit.standards.limits import within_limits
from accredit.standards.loader import _compose, canonical_text
from accredit.standards.nodes import FLOAT, INT, NULL, Reader, to_number
from accredit.standards.scenario_answers import Mode

#: `expect: {level: none}`: no level achieved.
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
#: The lists that answer named criteria one way, and the way each stands for.
LISTS = {
    "met": Mode.BEST,
    "unmet": Mode.WORST,
    "partly": Mode.PARTLY,
    "no_evidence": Mode.NO_EVIDENCE,
    "unanswered": Mode.NONE,
}


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
    for key, mode in LISTS.items():
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
    found.extend(_asked(reader, keys, path, askable))
    if "status" in keys:
        found.extend(_statuses(reader, keys["status"], f"{path}: status", criteria, standard))
    return tuple(found)


def _asked(
    reader: Reader, keys: dict[str, Node], path: str, askable: set[str]
) -> list[Expectation]:
    """`asked`, then `not_asked`: the criteria and questions the run must (not) put to the user."""
    found: list[Expectation] = []
    for kind in ("asked", "not_asked"):
        for item in (reader.sequence(keys[kind], f"{path}: {kind}") or []) if kind in keys else ():
            subject = reader.ident(item, f"{path}: {kind}", re.compile(r"[^\s]+"), "id")
            if subject is None:
                continue
            if subject not in askable:
                reader.error(item, f"{path}: {kind}", f"no criterion or question '{subject}'")
                continue
            found.append(Expectation(kind, item.start_mark.line + 1, True, subject))
    return found


def _statuses(
    reader: Reader, node: Node, path: str, criteria: set[str], standard: Standard
) -> list[Expectation]:
    """`status`: the result each named criterion must end with."""
    missing = f"no criterion '{{}}' in {standard.slug}"
    found: list[Expectation] = []
    for cid, value_node in _keyed(reader, node, path, criteria, missing).items():
        value = reader.choice(value_node, f"{path}: {cid}", [s.value for s in Status], "value")
        if value is not None:
            found.append(Expectation("status", value_node.start_mark.line + 1, Status(value), cid))
    return found


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


__all__ = ["LISTS", "NO_LEVEL", "Expectation", "Scenario", "parse_scenarios"]
