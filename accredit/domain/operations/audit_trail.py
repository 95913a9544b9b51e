"""Reading the audit trail: the filters an HEE admin can set (all carried in the URL, so a
filtered view can be bookmarked or sent on) and the before-and-after summary of an event.
Pure Python.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: Longest filter text accepted: longer than any email, action or target we record.
MAX_TEXT = 254
#: How much of a value the table shows before cutting it (the detail page shows all).
SHORT = 60
FILTER_FIELDS = ("actor", "action", "target", "date_from", "date_to")


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What to show. ``actor`` matches part of the actor's email; ``target`` is a record kind
    (``assessment``) or one record (``assessment:12``, or a user's email)."""

    actor: str = ""
    action: str = ""
    target: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def query_args(self) -> dict[str, str]:
        """The filter as URL arguments (only those set), for paging and export links."""
        values = {
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in values.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.query_args())


@dataclass(frozen=True, slots=True)
class ParsedFilter:
    filter: AuditFilter
    #: Field name to a message saying what is wrong and what to do.
    errors: dict[str, str] = field(default_factory=dict)


def _date(raw: str, label: str, errors: dict[str, str], key: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[key] = f"{label} must be a real date, like 2026-03-31"
        return None


def parse_filter(args: Mapping[str, str]) -> ParsedFilter:
    """The filter from URL arguments. A bad value is dropped with a message (the rest of the
    filter still applies), never an error page: a hand-edited URL is easy to get wrong."""
    errors: dict[str, str] = {}
    texts: dict[str, str] = {}
    for key in ("actor", "action", "target"):
        value = " ".join(str(args.get(key, "")).split())
        if len(value) > MAX_TEXT:
            errors[key] = f"Enter {MAX_TEXT} characters or fewer"
            value = ""
        texts[key] = value
    date_from = _date(str(args.get("date_from", "")).strip(), "The from date", errors, "date_from")
    date_to = _date(str(args.get("date_to", "")).strip(), "The to date", errors, "date_to")
    if date_from and date_to and date_to < date_from:
        errors["date_to"] = "The to date must be the same as or after the from date"
        date_to = None
    return ParsedFilter(
        AuditFilter(texts["actor"], texts["action"], texts["target"], date_from, date_to), errors
    )


def parse_page(raw: str | None) -> int:
    """A page number from the URL: anything that is not a whole number from 1 is page 1."""
    text = (raw or "").strip()
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    before: str
    after: str


def show(value: Any) -> str:
    """A stored value as text: strings as they are, anything else as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def shorten(text: str, limit: int = SHORT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[Change]:
    """Each key whose value differs between before and after (or appears in only one), in a
    stable order: the keys of ``after`` first, as recorded, then those only in ``before``."""
    before = before or {}
    after = after or {}
    keys = list(after) + [key for key in before if key not in after]
    return [
        Change(key, show(before.get(key)), show(after.get(key)))
        for key in keys
        if before.get(key) != after.get(key)
    ]


def summary(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> str:
    """One line for the table: ``status: draft → submitted; level: bronze`` (values cut)."""
    parts = []
    for change in changes(before, after):
        if change.before and change.after:
            parts.append(f"{change.key}: {shorten(change.before)} \u2192 {shorten(change.after)}")
        elif change.after:
            parts.append(f"{change.key}: {shorten(change.after)}")
        else:
            parts.append(f"{change.key}: {shorten(change.before)} \u2192 (none)")
    return "; ".join(parts)


def former_actor(role_label: str, ods_code: str) -> str:
    """Who did it, once their account went with a deleted organisation: their role and the
    organisation's ODS code, never their name or email (``Former organisation lead of RX1``)."""
    return f"Former {role_label[0].lower()}{role_label[1:]} of {ods_code}"


def former_invitee(ods_code: str) -> str:
    """An invitation's email, once the organisation it invited someone to was deleted."""
    return f"Someone invited to {ods_code}"


#: Keys of an event's before and after that name a person; cleared when their account goes.
PERSONAL_KEYS = frozenset({"name", "email"})


def without_personal(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``values`` without the keys that name a person (None stays None)."""
    if values is None:
        return None
    return {key: value for key, value in values.items() if key not in PERSONAL_KEYS}
