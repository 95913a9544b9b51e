"""The condition language used by `applies_if` and `show_if` (see standards/README.md).
Conditions are plain frozen data so a standard can be compared, hashed and diffed;
`compile_condition` turns one into a closure once per standard so that scoring thousands of
assessments does not re-walk the tree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

#: Operators allowed on a profile leaf and on an answer leaf. Which of them fit a given field or
#: question type is checked by the loader; evaluation just treats a mismatched value as "false".
PROFILE_OPERATORS = ("equals", "in", "at_least", "at_most")
ANSWER_OPERATORS = ("equals", "in", "includes", "at_least", "at_most", "answered")

Profile = Mapping[str, object]
#: Normalised answers of the *visible* questions so far, keyed "<criterion id>/<question id>".
VisibleAnswers = Mapping[str, object]
Predicate = Callable[[Profile, VisibleAnswers], bool]


@dataclass(frozen=True, slots=True)
class ProfileCondition:
    """True when the organisation profile field satisfies `op` against `value`."""

    field: str
    op: str
    value: Any


@dataclass(frozen=True, slots=True)
class AnswerCondition:
    """True when the (visible, valid) answer to `key` satisfies `op` against `value`."""

    key: str
    op: str
    value: Any


@dataclass(frozen=True, slots=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class Not:
    condition: Condition


Condition = ProfileCondition | AnswerCondition | AllOf | AnyOf | Not


def leaves(condition: Condition) -> Iterator[ProfileCondition | AnswerCondition]:
    """Every profile/answer leaf of a condition, depth first."""
    if isinstance(condition, ProfileCondition | AnswerCondition):
        yield condition
    elif isinstance(condition, AllOf | AnyOf):
        for child in condition.conditions:
            yield from leaves(child)
    else:
        yield from leaves(condition.condition)


def profile_fields_used(condition: Condition) -> set[str]:
    return {leaf.field for leaf in leaves(condition) if isinstance(leaf, ProfileCondition)}


def answer_keys_used(condition: Condition) -> set[str]:
    return {leaf.key for leaf in leaves(condition) if isinstance(leaf, AnswerCondition)}


def _is_number(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)  # may exceed float range


def _compare(op: str, expected: Any) -> Callable[[object], bool]:
    """A test of one normalised value; `None` (missing) is always false."""
    if op == "equals":
        if isinstance(expected, bool):
            return lambda v: v is expected
        if _is_number(expected):
            return lambda v: _is_number(v) and v == expected
        return lambda v: isinstance(v, str) and v == expected
    if op == "in":
        allowed = frozenset(str(x) for x in expected)
        return lambda v: isinstance(v, str) and v in allowed
    if op == "includes":
        wanted = str(expected)
        return lambda v: isinstance(v, frozenset) and wanted in v
    if op == "at_least":
        bound = float(expected)
        return lambda v: _is_number(v) and v >= bound  # type: ignore[operator]
    if op == "at_most":
        bound = float(expected)
        return lambda v: _is_number(v) and v <= bound  # type: ignore[operator]
    if op == "answered":
        want = bool(expected)
        return lambda v: (v is not None) is want
    raise ValueError(f"unknown operator {op!r}")


def compile_condition(condition: Condition) -> Predicate:
    """A fast predicate over (profile, visible normalised answers)."""
    if isinstance(condition, ProfileCondition):
        name, test = condition.field, _compare(condition.op, condition.value)
        if condition.op == "equals" and isinstance(condition.value, bool):
            flag = condition.value
            return lambda profile, answers: profile.get(name) is flag
        return lambda profile, answers: test(profile.get(name))
    if isinstance(condition, AnswerCondition):
        key, op, expected = condition.key, condition.op, condition.value
        # Visible answers are already normalised (valid, hashable), so the commonest tests can
        # skip the type checks that raw profile values need.
        if op == "equals" and isinstance(expected, str):
            return lambda profile, answers: answers.get(key) == expected
        if op == "in":
            allowed = frozenset(str(x) for x in expected)
            return lambda profile, answers: answers.get(key) in allowed
        if op == "answered":
            return (
                (lambda profile, answers: key in answers)
                if expected
                else (lambda profile, answers: key not in answers)
            )
        test = _compare(op, expected)
        return lambda profile, answers: test(answers.get(key))
    if isinstance(condition, AllOf):
        parts = tuple(compile_condition(c) for c in condition.conditions)
        if len(parts) == 2:
            first, second = parts
            return lambda profile, answers: first(profile, answers) and second(profile, answers)
        return lambda profile, answers: all(p(profile, answers) for p in parts)
    if isinstance(condition, AnyOf):
        parts = tuple(compile_condition(c) for c in condition.conditions)
        if len(parts) == 2:
            first, second = parts
            return lambda profile, answers: first(profile, answers) or second(profile, answers)
        return lambda profile, answers: any(p(profile, answers) for p in parts)
    inner = compile_condition(condition.condition)
    return lambda profile, answers: not inner(profile, answers)


def evaluate(condition: Condition, profile: Profile, answers: VisibleAnswers) -> bool:
    """Evaluate once (compiles on the fly; scoring uses precompiled predicates instead)."""
    return compile_condition(condition)(profile, answers)


def decide(condition: Condition, profile: Profile) -> bool | None:
    """A profile-only condition with three outcomes: True, False, or None when it turns on a
    profile field nobody has answered yet (an unanswered field is unknown, never "no"). `and`
    and `or` only wait for an unknown part that could still change the outcome."""
    if isinstance(condition, ProfileCondition):
        value = profile.get(condition.field)
        if value is None:
            return None
        return _compare(condition.op, condition.value)(value)
    if isinstance(condition, AnswerCondition):
        return False  # applies_if never reads answers (the loader refuses it)
    if isinstance(condition, Not):
        inner = decide(condition.condition, profile)
        return None if inner is None else not inner
    outcomes = [decide(c, profile) for c in condition.conditions]
    decisive = isinstance(condition, AnyOf)  # `or` is settled by a True, `and` by a False
    if decisive in outcomes:
        return decisive
    return None if None in outcomes else not decisive


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list | frozenset):
        return ", ".join(_show(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_PHRASES = {
    "equals": "is {}",
    "in": "is one of {}",
    "includes": "includes {}",
    "at_least": "is at least {}",
    "at_most": "is at most {}",
}


def describe(condition: Condition) -> str:
    """Plain-English rendering used in reasons ("offers_under_16 is true")."""
    if isinstance(condition, ProfileCondition | AnswerCondition):
        subject = (
            condition.field
            if isinstance(condition, ProfileCondition)
            else f"the answer to {condition.key}"
        )
        if condition.op == "answered":
            return f"{subject} is {'answered' if condition.value else 'not answered'}"
        return f"{subject} {_PHRASES[condition.op].format(_show(condition.value))}"
    if isinstance(condition, AllOf):
        return " and ".join(_wrap(c) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return " or ".join(_wrap(c) for c in condition.conditions)
    return f"not ({describe(condition.condition)})"


def _wrap(condition: Condition) -> str:
    text = describe(condition)
    return f"({text})" if isinstance(condition, AllOf | AnyOf) else text
