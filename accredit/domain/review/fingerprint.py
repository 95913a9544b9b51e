"""Canonical snapshots of an assessment and their SHA-256 fingerprints. Pure Python.

A snapshot holds what an assessor relies on: which organisation and assessment, the standard
(id, version and content hash), every answer to a question that applies, each criterion's
status, the evidence those answers cite with a hash of each item's content, and the comments
and action plan that a pack prints beside them. The
fingerprint is the SHA-256 of the snapshot written canonically (sorted keys, no spaces, UTF-8,
list answers sorted), so the same content always gives the same fingerprint, on any machine.
Timestamps are deliberately left out: an unchanged assessment keeps its fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from accredit.domain.scoring.evidence import is_evidence_key
from accredit.domain.scoring.standard import Standard

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class EvidenceRef:
    """An evidence item as the snapshot records it: what it is and a hash of its content
    (the file's SHA-256, or of the link's address or the statement's text)."""

    id: int
    kind: str
    title: str
    sha256: str
    version: int


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cited_evidence(standard: Standard, answers: Mapping[str, object]) -> dict[int, list[str]]:
    """Evidence item id -> the answer keys citing it; ids in the order of the keys first citing
    them, and by id within one answer (how a list was ordered is not content)."""
    cited: dict[int, list[str]] = {}
    for key in sorted(answers):
        value = answers[key]
        if not is_evidence_key(standard, key) or not isinstance(value, list):
            continue
        for item_id in sorted({int(raw) for raw in value if str(raw).isdigit()}):
            cited.setdefault(item_id, []).append(key)
    return cited


def _canonical_value(value: object) -> object:
    if isinstance(value, list):
        return sorted((_canonical_value(v) for v in value), key=lambda v: json.dumps(v))
    return value


def snapshot(
    *,
    organisation_id: int,
    ods_code: str,
    assessment_id: int,
    standard: Standard,
    answers: Mapping[str, object],
    statuses: Mapping[str, str],
    evidence: list[EvidenceRef],
    comments: Sequence[Mapping[str, object]] = (),
    actions: Sequence[Mapping[str, object]] = (),
    context: Mapping[str, object] | None = None,
) -> dict[str, Any]:
    """The comments, the action plan and the context (the assessment's status, the names and
    profile a pack prints) are in it too: a pack is cached by its fingerprint, so the
    fingerprint must cover everything the pack shows (except when it was made)."""
    return {
        "format": SNAPSHOT_FORMAT,
        "organisation": {"id": organisation_id, "ods_code": ods_code},
        "assessment": assessment_id,
        "standard": {
            "id": standard.id,
            "version": standard.version,
            "content_hash": standard.content_hash,
        },
        "answers": {k: _canonical_value(v) for k, v in answers.items() if v not in (None, "", [])},
        "statuses": dict(statuses),
        "evidence": {
            str(ref.id): {
                "kind": ref.kind,
                "title": ref.title,
                "sha256": ref.sha256,
                "version": ref.version,
            }
            for ref in evidence
        },
        "comments": [dict(c) for c in comments],
        "actions": sorted((dict(a) for a in actions), key=lambda a: str(a.get("criterion"))),
        "context": dict(context or {}),
    }


def canonical(data: Mapping[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def fingerprint(data: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def looks_like_fingerprint(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)
