"""Keeping what someone typed when their session ended, until they are signed in again."""

from __future__ import annotations

import json

from accredit.data.models import FormStash, User
from accredit.data.queries.assessments.collaboration import delete_stashes, stash_for
from accredit.data.transactions import unit_of_work
from accredit.extensions import db

#: Form fields never carried over: a new CSRF token comes with the page.
DROPPED = {"csrf_token"}
#: The longest page address a stash can name (the column's length).
MAX_PATH = 500


def _carried(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: v for k, v in fields.items() if k not in DROPPED}


def fits(path: str) -> bool:
    """Whether a stash can name this page address (no page of ours has a longer one)."""
    return len(path) <= MAX_PATH


def encode(fields: dict[str, list[str]]) -> str:
    return json.dumps(_carried(fields))


def decode(text: str) -> dict[str, list[str]] | None:
    """The carried fields, or None when the text is not what `encode` makes."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    fields: dict[str, list[str]] = {}
    for key, values in data.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return None
        fields[str(key)] = values
    return fields


def keep(user: User, path: str, fields: dict[str, list[str]]) -> FormStash:
    """Keep the fields for this person's next visit to ``path``; only the latest is kept for a
    page, so repeated expired posts do not pile up."""
    with unit_of_work():
        delete_stashes(user.id, path)
        stash = FormStash(user_id=user.id, path=path, data=_carried(fields))
        db.session.add(stash)
    return stash


def take(user: User, stash_id: int, path: str) -> dict[str, list[str]] | None:
    """The stash for this page, once: it is deleted as it is shown."""
    stash = stash_for(user.id, stash_id)
    if stash is None or stash.path != path:
        return None
    data = dict(stash.data)
    with unit_of_work():
        db.session.delete(stash)
    return data
