"""Everything a page about one assessment needs, read once: the pinned standard, the profile,
the answers (with their versions, for optimistic locking), the score and the section progress."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from accredit.data.models import Assessment, Organisation
from accredit.data.queries.assessments.answers import answer_values
from accredit.domain.scoring.explain import AnswerReason, Explainer
from accredit.domain.scoring.known_answers import ServiceFacts, known_answers
from accredit.domain.scoring.merge import Stored
from accredit.domain.scoring.questionnaire import (
    SectionProgress,
    completion,
    gaps,
    profile_for,
    section_progress,
    unanswered_profile,
)
from accredit.domain.scoring.results import Result
from accredit.domain.scoring.scoring import score
from accredit.domain.scoring.standard import ProfileField, Standard
from accredit.services.assessments.known_answers import facts_for
from accredit.services.operations.standards import pinned_standard


@dataclass(slots=True)
class AnswerRow:
    """An answer as read for a page: plain values, not an ORM object (pages read dozens of
    answers and write a few; saving fetches the ORM rows it changes)."""

    value: object
    version: int
    carried_forward: bool


@dataclass
class Workspace:
    assessment: Assessment
    standard: Standard
    profile: dict[str, object]
    rows: dict[str, AnswerRow]
    #: What the service knows for the questions it answers itself (None: the standard has none).
    facts: ServiceFacts | None

    @cached_property
    def known(self) -> dict[str, str]:
        """Answer key -> "yes"/"no" of the questions the service answers (`answered_by`)."""
        return known_answers(self.standard, self.facts) if self.facts is not None else {}

    @cached_property
    def answers(self) -> dict[str, object]:
        """Answer key -> value, blanks left out (what scoring reads); the service's own answers
        override anything stored under their keys."""
        stored = {k: row.value for k, row in self.rows.items() if row.value is not None}
        return stored | self.known if self.known else stored

    @cached_property
    def versions(self) -> dict[str, Stored]:
        return {k: Stored(row.version, row.value) for k, row in self.rows.items()}

    @cached_property
    def result(self) -> Result:
        return score(self.standard, self.profile, self.answers)

    @cached_property
    def explainer(self) -> Explainer:
        return Explainer(self.standard, self.profile, self.answers, self.result.criteria)

    def reasons(self, criterion_id: str) -> tuple[AnswerReason, ...]:
        """The answers that stop a criterion being met and what would pass (worked out only for
        the criteria a page shows)."""
        return self.explainer.reasons(criterion_id)

    @cached_property
    def progress(self) -> list[SectionProgress]:
        return section_progress(self.standard, self.result, self.answers)

    @property
    def completion(self) -> float:
        return completion(self.progress)

    @property
    def gaps(self) -> list:
        return gaps(self.standard, self.result)

    @property
    def unanswered_profile(self) -> tuple[ProfileField, ...]:
        """Profile fields of the pinned standard nobody has answered (submission waits)."""
        missing = set(unanswered_profile(self.standard, self.profile))
        return tuple(f for f in self.standard.profile_fields if f.id in missing)

    @property
    def carried_forward(self) -> set[str]:
        """Answers carried from the last cycle, to confirm (never the service's own)."""
        return {k for k, row in self.rows.items() if row.carried_forward and k not in self.known}


def organisation_profile(organisation: Organisation, standard: Standard) -> dict[str, object]:
    return profile_for(organisation.org_type.value, organisation.profile or {}, standard)


def load(assessment: Assessment) -> Workspace:
    standard = pinned_standard(
        assessment.standard_id, assessment.standard_version, assessment.content_hash
    )
    rows = {
        key: AnswerRow(value, version, carried)
        for key, value, version, carried in answer_values(assessment.id)
    }
    profile = organisation_profile(assessment.organisation, standard)
    return Workspace(assessment, standard, profile, rows, facts_for(assessment, standard))
