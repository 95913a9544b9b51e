"""A new cycle: what changed in the standard since the assessment it was carried from, limited
to the criteria that apply to this organisation."""

from __future__ import annotations

from dataclasses import dataclass

from accredit.data.models import Assessment
from accredit.domain.questionnaire import applies
from accredit.domain.standard import Standard
from accredit.extensions import db
from accredit.services.standards import pinned_standard
from accredit.services.workspace import Workspace
from accredit.standards.diff import StandardDiff, diff


@dataclass(frozen=True, slots=True)
class CycleChanges:
    previous_version: str
    new: list[str]
    reworded: list[str]
    stricter: list[str]
    looser: list[str]


_DIFFS: dict[tuple[str, str], StandardDiff] = {}


def _diff(old: Standard, new: Standard) -> StandardDiff:
    """The diff of two standard versions, worked out once: both texts are immutable (content
    hashes), and the task list asks on every visit."""
    key = (old.content_hash, new.content_hash)
    found = _DIFFS.get(key)
    if found is None:
        found = _DIFFS[key] = diff(old, new)
    return found


def changes_for(workspace: Workspace) -> CycleChanges | None:
    assessment = workspace.assessment
    if assessment.previous_id is None:
        return None
    previous = db.session.get(Assessment, assessment.previous_id)
    if previous is None or previous.content_hash == assessment.content_hash:
        return None
    old = pinned_standard(previous.standard_id, previous.standard_version, previous.content_hash)
    changes = _diff(old, workspace.standard)

    def asked(criterion_id: str) -> bool:
        try:
            return applies(workspace.result.criterion(criterion_id))
        except KeyError:
            return False

    return CycleChanges(
        previous_version=old.version,
        new=[f"{c.id} {c.title}" for c in changes.added if asked(c.id)],
        reworded=[str(c) for c in changes.reworded if asked(c.criterion_id)],
        stricter=[str(c) for c in changes.stricter if asked(c.criterion_id)],
        looser=[str(c) for c in changes.looser if asked(c.criterion_id)],
    )
