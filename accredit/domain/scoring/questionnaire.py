"""Where a questionnaire stands: what the task list, the question pages and submission need
from a standard, a profile, the answers and their score. Pure: no Flask, no database.

Scoring (`accredit.domain.scoring.scoring.score`) says how good the answers are; this module says
where the organisation is in filling them in: which criteria apply, which are complete, each
section's status and what is still missing before submission. What one question page does
with a post, and which page comes next, is the page runner's (`runner`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from accredit.domain.scoring.conditions import decide
from accredit.domain.scoring.results import CriterionResult, Result, Status
from accredit.domain.scoring.standard import EVIDENCE, Criterion, Question, Section, Standard


class SectionStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def applies(result: CriterionResult) -> bool:
    """Whether the criterion is asked at all for this profile. A criterion whose answered gate
    hides its scored questions is still asked (it is where the gate lives)."""
    return result.status is not Status.NOT_APPLICABLE or result.reason.startswith(
        "Does not apply: none"
    )


def asked(criterion: Criterion, profile: Mapping[str, object]) -> bool:
    """Whether the profile makes the criterion apply, or may once its unanswered fields are
    answered (cheaper than scoring, same answer as `applies` on its result: a criterion's own
    gates never take it off the questionnaire)."""
    return criterion.applies_if is None or decide(criterion.applies_if, profile) is not False


def unanswered_profile(standard: Standard, profile: Mapping[str, object]) -> tuple[str, ...]:
    """The standard's profile fields with no answer yet, in file order (unknown, never "no":
    an assessment waits for them before it starts and before it is submitted)."""
    return tuple(f.id for f in standard.profile_fields if profile.get(f.id) is None)


def complete(result: CriterionResult) -> bool:
    """Every required question answered, and the profile answered enough to know it applies."""
    return not question_missing(result) and not result.awaiting_profile


def asked_criteria(standard: Standard, result: Result, section: Section) -> list[Criterion]:
    return [c for c in section.criteria if applies(result.criterion(c.id))]


def question_missing(result: CriterionResult) -> tuple[str, ...]:
    """Required questions still to answer (required evidence is a readiness matter, reported by
    scoring, not a gap in the form)."""
    return tuple(key for key in result.missing if not key.endswith("/" + EVIDENCE))


def answered_any(criterion: Criterion, answers: Mapping[str, object]) -> bool:
    return any(answers.get(q.key) not in (None, "", []) for q in criterion.questions)


@dataclass(frozen=True, slots=True)
class SectionProgress:
    section: Section
    status: SectionStatus
    asked: int
    complete: int


def section_progress(
    standard: Standard, result: Result, answers: Mapping[str, object]
) -> list[SectionProgress]:
    """Per section: not started (nothing answered), completed (every asked criterion has all its
    required answers) or in progress. Sections with nothing asked are left out."""
    progress: list[SectionProgress] = []
    for section in standard.sections:
        asked = asked_criteria(standard, result, section)
        if not asked:
            continue
        done = sum(1 for c in asked if complete(result.criterion(c.id)))
        started = any(answered_any(c, answers) for c in asked)
        if done == len(asked) and started:
            status = SectionStatus.COMPLETED
        elif started:
            status = SectionStatus.IN_PROGRESS
        else:
            status = SectionStatus.NOT_STARTED
        progress.append(SectionProgress(section, status, len(asked), done))
    return progress


def completion(progress: list[SectionProgress]) -> float:
    """Share of asked criteria with every required answer, as a percentage."""
    asked = sum(p.asked for p in progress)
    done = sum(p.complete for p in progress if p.status is not SectionStatus.NOT_STARTED)
    return 100.0 * done / asked if asked else 100.0


@dataclass(frozen=True, slots=True)
class Gap:
    criterion: Criterion
    questions: tuple[Question, ...]


def gaps(standard: Standard, result: Result) -> list[Gap]:
    """What stops submission: asked criteria with required questions unanswered, in file order."""
    found: list[Gap] = []
    for criterion in standard.criteria:
        outcome = result.criterion(criterion.id)
        if not applies(outcome):
            continue
        missing = question_missing(outcome)
        if missing:
            found.append(Gap(criterion, tuple(standard.question(k) for k in missing)))
    return found


def profile_for(
    org_type: str, stored: Mapping[str, object], standard: Standard
) -> dict[str, object]:
    """The profile scoring sees: the organisation type from its record, then the stored answers
    to the standard's other profile fields (unknown ones are ignored)."""
    profile: dict[str, object] = {}
    for field in standard.profile_fields:
        if field.id == "org_type":
            profile["org_type"] = org_type
        elif field.id in stored:
            profile[field.id] = stored[field.id]
    return profile
