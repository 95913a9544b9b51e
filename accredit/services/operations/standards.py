"""Loading the standard files into the database.

Files under ``standards/`` are the source of truth; the database keeps each version's exact
text so that any stored result can be re-scored against what it was scored against. A
published version is immutable: a changed file under the same version number is refused.

The one change a published file may take is its status moving on (published -> superseded ->
retired) when a later version replaces it. Only the stored status column follows: the stored
text and content hash stay those the version's assessments were pinned to, so they go on being
scored (and reproduced) against exactly what they started on, while no new cohort can choose it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from accredit.config import Settings
from accredit.data.models import StandardVersion
from accredit.data.queries.operations.standards import standard_version
from accredit.data.transactions import unit_of_work
from accredit.domain.scoring.standard import Standard, StandardStatus
from accredit.extensions import db
from accredit.services.operations import audit
from accredit.standards.loader import StandardFileError, discover, parse_standard

#: Published versions may only move along this order (a file never goes back to "published").
_LIFECYCLE = (StandardStatus.PUBLISHED, StandardStatus.SUPERSEDED, StandardStatus.RETIRED)


class StandardChangedError(Exception):
    """A published version's file no longer matches what was loaded."""


def _file(settings: Settings, standard: Standard) -> Path:
    return settings.standards_path / standard.id / f"{standard.version}.yaml"


def sync_standards(settings: Settings) -> Iterator[str]:
    """Load new versions, refresh drafts, refuse edits to published ones; say what happened."""
    standards = discover(settings.standards_path)  # raises StandardFileError listing problems
    refused: list[str] = []
    with unit_of_work():
        for standard in standards:
            text = _file(settings, standard).read_text(encoding="utf-8")
            stored = standard_version(standard.id, standard.version)
            fields = {
                "title": standard.title,
                "status": str(standard.status),
                "effective": standard.effective,
                "content_hash": standard.content_hash,
                "criteria_count": len(standard.criteria),
                "source_text": text,
            }
            label = f"{standard.id} {standard.version}"
            if stored is None:
                db.session.add(
                    StandardVersion(standard_id=standard.id, version=standard.version, **fields)
                )
                audit.record("standard-loaded", label, after={"hash": standard.content_hash})
                count = len(standard.criteria)
                yield f"Standard {label}: loaded ({standard.status}, {count} criteria)."
            elif stored.content_hash == standard.content_hash:
                yield f"Standard {label}: unchanged."
            elif _status_moved_on(stored, standard):
                if stored.status != standard.status:
                    before = stored.status
                    stored.status = str(standard.status)
                    audit.record(
                        f"standard-{standard.status}",
                        label,
                        before={"status": before},
                        after={"status": stored.status, "file_hash": standard.content_hash},
                    )
                    yield (
                        f"Standard {label}: now {standard.status} (no new cohorts; its "
                        "assessments keep the text they were scored against)."
                    )
                else:
                    yield f"Standard {label}: unchanged ({standard.status})."
            elif stored.status in _LIFECYCLE:
                refused.append(
                    f"Standard {label} is published and its file has changed. Published "
                    "versions never change: save the changes as a new version file."
                )
            else:
                for name, value in fields.items():
                    setattr(stored, name, value)
                audit.record("standard-updated", label, after={"hash": standard.content_hash})
                yield f"Standard {label}: updated ({standard.status})."
    if refused:
        raise StandardChangedError("\n".join(refused))


def _status_moved_on(stored: StandardVersion, standard: Standard) -> bool:
    """Whether the file differs from the stored published (or superseded) text only in a status
    further along the lifecycle: every level, rule, criterion and question compares equal."""
    if stored.status not in _LIFECYCLE or standard.status not in _LIFECYCLE:
        return False
    if _LIFECYCLE.index(StandardStatus(stored.status)) > _LIFECYCLE.index(standard.status):
        return False
    try:
        old = parse_standard(stored.source_text, f"{stored.standard_id}/{stored.version}")
    except StandardFileError:
        return False
    same_but_status = dataclasses.replace(
        old, status=standard.status, content_hash=standard.content_hash
    )
    return same_but_status == standard


_BY_HASH: dict[str, Standard] = {}


class StandardMissing(Exception):
    """The standard version an assessment is pinned to is not loaded (run `accredit init`)."""


def pinned_standard(standard_id: str, version: str, content_hash: str) -> Standard:
    """The exact standard an assessment was started on, parsed once per process and kept: the
    content hash names one immutable text."""
    cached = _BY_HASH.get(content_hash)
    if cached is not None:
        return cached
    from accredit.standards.loader import parse_standard

    stored = standard_version(standard_id, version)
    if stored is None or stored.content_hash != content_hash:
        raise StandardMissing(
            f"Standard {standard_id} {version} ({content_hash[:12]}) is not loaded"
        )
    standard = parse_standard(stored.source_text, f"{standard_id}/{version}")
    _BY_HASH[content_hash] = standard
    return standard


def latest_published(standard_id: str, version: str) -> tuple[Standard, str] | None:
    """The cohort's standard version as loaded now, with its content hash."""
    stored = standard_version(standard_id, version)
    if stored is None:
        return None
    return pinned_standard(standard_id, version, stored.content_hash), stored.content_hash
