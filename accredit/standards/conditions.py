"""Reading and checking conditions (`applies_if`, `show_if`) from YAML nodes.
A condition may only refer to declared profile fields and to questions that come earlier in the
file, which rules out cycles by construction. Operand values are typed by what they are compared
with: `yes` compared with a yes/no answer is the text "yes", `true` compared with a boolean profile
field is True.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from yaml.nodes import MappingNode, Node, ScalarNode

from accredit.domain.scoring.conditions import (
    AllOf,
    AnswerCondition,
    AnyOf,
    Condition,
    Not,
    ProfileCondition,
    compile_condition,
    leaves,
)
from accredit.domain.scoring.standard import ProfileField, ProfileFieldType, Question, QuestionType
from accredit.standards.nodes import BOOL, FLOAT, INT, STR, Reader, clip, describe, to_number

PROFILE_ID = re.compile(r"[a-z][a-z0-9_]*")
ANSWER_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_DEPTH = 16
_SUBJECTS = ("profile", "answer", "all", "any", "not")
_OPERATORS = ("equals", "in", "includes", "at_least", "at_most", "answered")
_SINGLE = (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE)
_PROFILE_OPS = {
    ProfileFieldType.BOOLEAN: ("equals",),
    ProfileFieldType.CHOICE: ("equals", "in"),
    ProfileFieldType.NUMBER: ("equals", "at_least", "at_most"),
}


def answer_operators(kind: QuestionType) -> tuple[str, ...]:
    if kind in _SINGLE:
        return ("equals", "in", "answered")
    if kind is QuestionType.MULTIPLE_CHOICE:
        return ("includes", "answered")
    if kind is QuestionType.NUMBER:
        return ("equals", "at_least", "at_most", "answered")
    return ("answered",)


@dataclass(slots=True)
class Scope:
    """What conditions may refer to at the current point of the file."""

    reader: Reader
    profile: dict[str, ProfileField] = field(default_factory=dict)
    #: Ids whose definition had problems: references to them are accepted unchecked to avoid
    #: cascades.
    broken_profile: set[str] = field(default_factory=set)
    earlier: dict[str, Question] = field(default_factory=dict)
    broken_questions: set[str] = field(default_factory=set)


def read_condition(
    scope: Scope,
    node: Node | None,
    path: str,
    *,
    answers: bool,
    current: str = "",
    depth: int = 0,
) -> Condition | None:
    """Parse a condition; `answers=False` allows profile fields only (`applies_if`)."""
    if node is None:
        return None
    m = _condition_keys(scope.reader, node, path, depth)
    if m is None:
        return None
    subjects = [s for s in _SUBJECTS if s in m]
    ops = [o for o in _OPERATORS if o in m]
    if len(subjects) != 1:
        scope.reader.error(
            node, path, "a condition needs exactly one of profile, answer, all, any, not"
        )
        return None
    subject = subjects[0]
    if subject in ("all", "any", "not"):
        return _combination(
            scope, node, m, subject, ops, path, answers=answers, current=current, depth=depth
        )
    return _leaf(scope, node, m, subject, ops, path, answers=answers, current=current)


def _condition_keys(r: Reader, node: Node, path: str, depth: int) -> dict[str, Node] | None:
    """The condition's keys, or None (reported) when it is nested too deep or not a mapping
    of condition keys."""
    if depth > MAX_DEPTH:
        r.error(node, path, f"condition is nested more than {MAX_DEPTH} levels deep")
        return None
    if not isinstance(node, MappingNode):
        r.error(
            node,
            path,
            f"expected a condition such as {{profile: ..., equals: ...}}, got {describe(node)}",
        )
        return None
    return r.mapping(node, path, _SUBJECTS + _OPERATORS)


def _combination(
    scope: Scope,
    node: Node,
    m: dict[str, Node],
    subject: str,
    ops: list[str],
    path: str,
    *,
    answers: bool,
    current: str,
    depth: int,
) -> Condition | None:
    """`all`, `any` or `not`: its parts read one level deeper; None if any part is wrong, so
    a broken part never leaves a weaker condition behind."""
    r = scope.reader
    if ops:
        r.error(node, path, f"'{ops[0]}' cannot be combined with '{subject}'")
        return None
    if subject == "not":
        inner = read_condition(
            scope, m["not"], path, answers=answers, current=current, depth=depth + 1
        )
        return Not(inner) if inner is not None else None
    items = r.sequence(m[subject], f"{path}, {subject}", non_empty=True)
    if not items:
        return None
    parts = [
        read_condition(scope, item, path, answers=answers, current=current, depth=depth + 1)
        for item in items
    ]
    if any(p is None for p in parts):
        return None
    group = tuple(p for p in parts if p is not None)
    return AllOf(group) if subject == "all" else AnyOf(group)


def _leaf(
    scope: Scope,
    node: Node,
    m: dict[str, Node],
    subject: str,
    ops: list[str],
    path: str,
    *,
    answers: bool,
    current: str,
) -> Condition | None:
    """A `profile` or `answer` comparison with exactly one operator (answers only where
    `answers` allows them)."""
    r = scope.reader
    if len(ops) != 1:
        r.error(node, path, f"a {subject} condition needs exactly one of {', '.join(_OPERATORS)}")
        return None
    op = ops[0]
    if subject == "profile":
        return _profile_leaf(scope, m["profile"], op, m[op], path)
    if not answers:
        r.error(node, path, "applies_if may only refer to profile fields, not answers")
        return None
    return _answer_leaf(scope, m["answer"], op, m[op], path, current)


def _profile_leaf(scope: Scope, ref: Node, op: str, value: Node, path: str) -> Condition | None:
    r = scope.reader
    name = r.ident(ref, path, PROFILE_ID, "profile field")
    if name is None:
        return None
    if name in scope.broken_profile:
        return ProfileCondition(name, op, _loose(value))
    profile_field = scope.profile.get(name)
    if profile_field is None:
        declared = ", ".join(scope.profile) or "none"
        r.error(ref, path, f"unknown profile field '{name}' (declared: {declared})")
        return None
    allowed = _PROFILE_OPS[profile_field.type]
    if op not in allowed:
        r.error(
            value,
            path,
            f"'{op}' cannot be used with {profile_field.type} profile field '{name}' "
            f"(use {' or '.join(allowed)})",
        )
        return None
    if profile_field.type is ProfileFieldType.BOOLEAN:
        flag = r.boolean(value, f"{path}, {op}")
        return None if flag is None else ProfileCondition(name, op, flag)
    if profile_field.type is ProfileFieldType.NUMBER:
        number = r.number(value, f"{path}, {op}")
        return None if number is None else ProfileCondition(name, op, number)
    options = tuple(o.value for o in profile_field.options)
    operand = _values(r, value, op, options, f"{path}, {op}", f"profile field '{name}'")
    return None if operand is None else ProfileCondition(name, op, operand)


def _answer_leaf(
    scope: Scope, ref: Node, op: str, value: Node, path: str, current: str
) -> Condition | None:
    r = scope.reader
    if not isinstance(ref, ScalarNode) or ref.tag not in (STR, INT, FLOAT):
        r.error(ref, path, f'answer must be a key like "3.4/1", got {describe(ref)}')
        return None
    key = ref.value
    if not ANSWER_KEY.fullmatch(key):
        r.error(ref, path, f"answer '{clip(key)}' must be a key like \"3.4/1\"")
        return None
    if key in scope.broken_questions:
        return AnswerCondition(key, op, _loose(value))
    question = scope.earlier.get(key)
    if question is None:
        if key == current:
            r.error(ref, path, "a question cannot depend on its own answer")
        else:
            r.error(
                ref,
                path,
                f"answer '{key}' is not an earlier question "
                "(show_if may only use answers to questions before it)",
            )
        return None
    allowed = answer_operators(question.type)
    if op not in allowed:
        r.error(
            value,
            path,
            f"'{op}' cannot be used with {question.type} question {key} "
            f"(use {' or '.join(allowed)})",
        )
        return None
    where = f"{path}, {op}"
    if op == "answered":
        flag = r.boolean(value, where)
        return None if flag is None else AnswerCondition(key, op, flag)
    if question.type is QuestionType.NUMBER:
        number = r.number(value, where)
        return None if number is None else AnswerCondition(key, op, number)
    options = tuple(o.value for o in question.options)
    operand = _values(r, value, op, options, where, f"question {key}")
    return None if operand is None else AnswerCondition(key, op, operand)


def _values(
    r: Reader, node: Node, op: str, options: tuple[str, ...], path: str, owner: str
) -> str | tuple[str, ...] | None:
    """One option value (equals, includes) or a non-empty list of them (in)."""
    if op != "in":
        return r.choice(node, path, options, f"value for {owner}:")
    items = r.sequence(node, path, non_empty=True)
    if not items:
        return None
    chosen = [r.choice(item, path, options, f"value for {owner}:") for item in items]
    if any(c is None for c in chosen):
        return None
    return tuple(c for c in chosen if c is not None)


def _loose(node: Node) -> object:
    """Best-effort operand when the target is broken (never evaluated: the file is invalid)."""
    if isinstance(node, ScalarNode):
        if node.tag == BOOL:
            return node.value.lower() in ("true", "yes", "on")
        number = to_number(node)
        return number if number is not None else node.value
    return ()


def satisfiable(condition: Condition, profile: dict[str, ProfileField]) -> bool:
    """Whether some profile makes `condition` true, by trying each field's interesting values.
    Only fields the condition mentions vary; number fields try each constant and its neighbours.
    Give up (assume satisfiable) beyond a few thousand combinations, or if a field is unknown.
    """
    domains: dict[str, list[object]] = {}
    for leaf in leaves(condition):
        if not isinstance(leaf, ProfileCondition):
            continue
        profile_field = profile.get(leaf.field)
        if profile_field is None:
            return True
        values = domains.setdefault(leaf.field, [None])
        if profile_field.type is ProfileFieldType.BOOLEAN:
            values.extend(v for v in (True, False) if v not in values)
        elif profile_field.type is ProfileFieldType.CHOICE:
            values.extend(o.value for o in profile_field.options if o.value not in values)
        elif isinstance(leaf.value, float):
            values.extend(
                v for v in (leaf.value - 1, leaf.value, leaf.value + 1) if v not in values
            )
    size = 1
    for values in domains.values():
        size *= len(values)
    if size > 5000:
        return True
    test = compile_condition(condition)
    names = list(domains)
    for combo in itertools.product(*(domains[n] for n in names)):
        candidate = {n: v for n, v in zip(names, combo, strict=True) if v is not None}
        if test(candidate, {}):
            return True
    return False
