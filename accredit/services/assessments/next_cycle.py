"""A new cycle: what changed in the standard since the assessment it was carried from, limited
to what concerns this organisation: the criteria that apply to it, the ones it answered that are
no longer asked, and how each level is now reached."""

from __future__ import annotations

from dataclasses import dataclass, field

from accredit.data.models import Assessment
from accredit.data.queries.assessments.answers import answer_values
from accredit.domain.scoring.questionnaire import applies
from accredit.domain.scoring.standard import Standard
from accredit.extensions import db
from accredit.services.assessments.workspace import Workspace
from accredit.services.operations.standards import pinned_standard
from accredit.standards.diff import StandardDiff, diff
from accredit.standards.level_changes import level_changes


@dataclass(frozen=True, slots=True)
class CycleChanges:
    previous_version: str
    new: list[str]
    reworded: list[str]
    stricter: list[str]
    looser: list[str]
    #: Criteria it answered last time that the new version no longer asks.
    removed: list[str] = field(default_factory=list)
    #: Other changes to criteria it is asked (who they apply to, questions added or removed).
    other: list[str] = field(default_factory=list)
    #: How reaching each level changed, in words.
    levels: list[str] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list[str]]]:
        """Each non-empty list with its heading, in the order the task list shows them."""
        named = [
            ("How levels are reached", self.levels),
            ("New criteria", self.new),
            ("Stricter", self.stricter),
            ("Looser", self.looser),
            ("Other changes", self.other),
            ("Reworded", self.reworded),
            ("No longer asked (your answers to these were not carried over)", self.removed),
        ]
        return [(name, items) for name, items in named if items]


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

    answered = {key.split("/", 1)[0] for key, value, *_ in answer_values(previous.id) if value}
    found = CycleChanges(
        previous_version=old.version,
        new=[f"{c.id} {c.title}" for c in changes.added if asked(c.id)],
        reworded=[str(c) for c in changes.reworded if asked(c.criterion_id)],
        stricter=[str(c) for c in changes.stricter if asked(c.criterion_id)],
        looser=[str(c) for c in changes.looser if asked(c.criterion_id)],
        removed=[f"{c.id} {c.title}" for c in changes.removed if c.id in answered],
        other=[str(c) for c in changes.other if asked(c.criterion_id)],
        levels=level_changes(old, workspace.standard),
    )
    return found if found.groups else None
