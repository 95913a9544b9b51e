"""YAML node access with line numbers and problem collection.
`yaml.safe_load` throws away positions, so the loader composes the document into nodes and reads
them through the typed accessors here. Each accessor records a `Problem` and returns None instead of
raising: an author gets every problem in one run, and no input (garbage, binary, huge numbers, deep
nesting) can crash the loader.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (
    TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")
)
#: Scalars whose source text is taken verbatim as an id or option value (`yes` stays "yes", `3.10`
#: stays "3.10").
_IDENT_TAGS = frozenset({STR, INT, FLOAT, BOOL})
_KIND = {
    INT: "a number",
    FLOAT: "a number",
    BOOL: "a boolean",
    NULL: "nothing",
    TIMESTAMP: "a date",
}
_constructor = SafeConstructor()


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a standard file. `str()` gives `source:line: path: message`."""

    source: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


@dataclass(slots=True)
class Reader:
    """Collects problems while reading one document."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, node: Node | int | None, path: str, message: str) -> None:
        if isinstance(node, Node):
            line: int | None = node.start_mark.line + 1
        else:
            line = node
        self.problems.append(Problem(self.source, line, path, message))

    # --- containers -------------------------------------------------------------------------------

    def mapping(
        self,
        node: Node,
        path: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> dict[str, Node] | None:
        """The mapping's values by key; reports unknown, duplicate, non-text and missing keys."""
        if not isinstance(node, MappingNode):
            self.error(node, path, f"expected a mapping (key: value pairs), got {describe(node)}")
            return None
        allowed = tuple(allowed)
        values: dict[str, Node] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == NULL:
                self.error(key_node, path, f"keys must be plain words, got {describe(key_node)}")
                continue
            key = key_node.value
            if key in first_line:
                self.error(
                    key_node,
                    path,
                    f"duplicate key '{clip(key)}' (first given at line {first_line[key]})",
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            if key not in allowed:
                self.error(
                    key_node,
                    path,
                    f"unknown key '{clip(key)}' (expected one of {', '.join(allowed)})",
                )
                continue
            values[key] = value_node
        for key in required:
            if key not in values:
                self.error(node, path, f"missing required key '{key}'")
        return values

    def sequence(self, node: Node, path: str, *, non_empty: bool = False) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, path, f"expected a list, got {describe(node)}")
            return None
        if non_empty and not node.value:
            self.error(node, path, "must not be empty")
        return list(node.value)

    # --- scalars ----------------------------------------------------------------------------------

    def text(self, node: Node | None, path: str, *, default: str | None = None) -> str | None:
        """Free text. Absent gives `default`; numbers, booleans and empty values are problems."""
        if node is None:
            return default
        if isinstance(node, ScalarNode) and node.tag == STR:
            if not node.value.strip():
                self.error(node, path, "must not be blank")
                return None
            return str(node.value)
        hint = " (put it in quotes)" if isinstance(node, ScalarNode) and node.tag != NULL else ""
        self.error(node, path, f"expected text, got {describe(node)}{hint}")
        return None

    def ident(
        self, node: Node | None, path: str, pattern: re.Pattern[str], what: str
    ) -> str | None:
        """An id or option value, taken verbatim from the source and checked against `pattern`."""
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or node.tag not in _IDENT_TAGS:
            self.error(node, path, f"{what} must be a single word, got {describe(node)}")
            return None
        if not pattern.fullmatch(node.value):
            self.error(node, path, f"{what} '{clip(node.value)}' must match {pattern.pattern}")
            return None
        return str(node.value)

    def boolean(self, node: Node | None, path: str, *, default: bool | None = None) -> bool | None:
        if node is None:
            return default
        if isinstance(node, ScalarNode) and node.tag == BOOL:
            return SafeConstructor.bool_values[node.value.lower()]
        self.error(node, path, f"expected true or false, got {describe(node)}")
        return None

    def number(
        self,
        node: Node | None,
        path: str,
        *,
        default: float | None = None,
        low: float | None = None,
        high: float | None = None,
        positive: bool = False,
        integer: bool = False,
    ) -> float | None:
        """A finite number, optionally within [low, high], > 0, or whole."""
        if node is None:
            return default
        value = to_number(node)
        if value is None and isinstance(node, ScalarNode) and node.tag in (INT, FLOAT):
            self.error(node, path, f"number '{clip(node.value)}' is out of range")
            return None
        if value is None:
            hint = " (remove the quotes)" if _looks_numeric(node) else ""
            self.error(node, path, f"expected a number, got {describe(node)}{hint}")
            return None
        if integer and not float(value).is_integer():
            self.error(node, path, f"expected a whole number, got {node.value}")
            return None
        if positive and value <= 0:
            self.error(node, path, f"must be greater than 0, got {clip(node.value)}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(node, path, f"must be between {low:g} and {high:g}, got {clip(node.value)}")
            return None
        return value

    def date(self, node: Node | None, path: str) -> dt.date | None:
        if node is None:
            return None
        if isinstance(node, ScalarNode) and node.tag in (TIMESTAMP, STR):
            try:
                return dt.date.fromisoformat(node.value.strip())
            except ValueError:
                pass
        self.error(node, path, f"expected a date written YYYY-MM-DD, got {describe(node)}")
        return None

    def choice(self, node: Node | None, path: str, allowed: Iterable[str], what: str) -> str | None:
        if node is None:
            return None
        allowed = tuple(allowed)
        if isinstance(node, ScalarNode) and node.tag in _IDENT_TAGS and node.value in allowed:
            return str(node.value)
        shown = f"'{clip(node.value)}'" if isinstance(node, ScalarNode) else describe(node)
        self.error(node, path, f"{what} {shown} is not one of {', '.join(allowed)}")
        return None


def to_number(node: Node) -> float | None:
    """The value of an int/float scalar as a finite float, else None (never raises)."""
    if not isinstance(node, ScalarNode) or node.tag not in (INT, FLOAT):
        return None
    try:
        if node.tag == INT:
            result = float(_constructor.construct_yaml_int(node))
        else:
            result = float(_constructor.construct_yaml_float(node))
    except (ValueError, OverflowError, TypeError, yaml.YAMLError):
        return None
    return result if math.isfinite(result) else None


def _looks_numeric(node: Node) -> bool:
    if not isinstance(node, ScalarNode) or node.tag != STR:
        return False
    try:
        float(node.value)
    except ValueError:
        return False
    return True


def clip(text: str, limit: int = 60) -> str:
    """Keep messages readable when the offending value is a megabyte of garbage."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(node: Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing"
    kind = _KIND.get(node.tag, "text" if node.tag == STR else f"a value tagged {clip(node.tag)}")
    return f"{kind} '{clip(node.value)}'"
