"""Merging a stale edit: nothing anyone typed is lost when two people change one criterion.

A question page carries the version and value of each answer as it was when the page was
opened (the base). On save, each answer is one of:

- untouched by others since the base: the editor's value is saved;
- changed by someone else, but the editor left it as it was: their value stands;
- changed by both to the same value: nothing to decide;
- changed by both to different values: a conflict. Nothing is saved; the page shows both
  versions side by side and the editor chooses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Stored:
    version: int
    value: object


@dataclass(frozen=True, slots=True)
class Conflict:
    key: str
    mine: object
    theirs: object
    base: object


@dataclass(frozen=True, slots=True)
class Merge:
    #: Values to write (keys whose saved value should become the editor's).
    writes: dict[str, object] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.conflicts


ABSENT = Stored(0, None)


def merge(
    base: Mapping[str, Stored], mine: Mapping[str, object], current: Mapping[str, Stored]
) -> Merge:
    """Three-way merge of one page's answers: `base` as the page was opened, `mine` as posted,
    `current` as stored now. Keys missing from `base` or `current` were never answered."""
    writes: dict[str, object] = {}
    conflicts: list[Conflict] = []
    for key, value in mine.items():
        was = base.get(key, ABSENT)
        now = current.get(key, ABSENT)
        if now.version == was.version:
            if value != now.value:
                writes[key] = value
        elif value == was.value or value == now.value:
            continue  # the editor did not touch it, or agrees with the other person
        else:
            conflicts.append(Conflict(key, value, now.value, was.value))
    return Merge(writes, tuple(conflicts))
