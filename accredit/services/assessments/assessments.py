"""Assessments: start one (optionally carrying the last cycle forward), save a criterion's
answers, keep the stored score summary current, submit.

Every save is one transaction: the answers, their history rows, the evidence link index and the
score summary commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from accredit.data.base import utcnow
from accredit.data.models import (
    Answer,
    AnswerChange,
    Assessment,
    EvidenceItem,
    EvidenceLink,
    Organisation,
    ScoreSummary,
    StatusChange,
    User,
)
from accredit.data.queries.assessments import answers as answer_queries
from accredit.data.queries.assessments import assessments as queries
from accredit.data.queries.assessments import evidence_links as link_queries
from accredit.data.transactions import commit_now, unit_of_work
from accredit.domain.assessments.lifecycle import Action, AssessmentStatus, transition
from accredit.domain.scoring.evidence import is_evidence_key
from accredit.domain.scoring.merge import Conflict, Stored, merge
from accredit.domain.scoring.questionnaire import Gap, unanswered_profile
from accredit.domain.scoring.results import Result
from accredit.domain.scoring.standard import ProfileField, Standard
from accredit.extensions import db
from accredit.services.assessments.workspace import AnswerRow, Workspace, load, organisation_profile
from accredit.services.operations import audit
from accredit.services.operations.standards import latest_published, pinned_standard
from accredit.services.reports import fingerprints
from accredit.standards.carry import carry_over


class AssessmentError(Exception):
    """A request the service refuses, with the message to show."""


class SubmissionBlocked(AssessmentError):
    def __init__(self, gaps: list[Gap], profile: tuple[ProfileField, ...] = ()) -> None:
        super().__init__("Answer every required question before you submit")
        self.gaps = gaps
        self.profile = profile


class ProfileIncomplete(AssessmentError):
    """The organisation profile must be answered first: it decides which criteria apply."""

    def __init__(self) -> None:
        super().__init__(
            "Answer your organisation profile before you start: it decides which questions apply"
        )


@dataclass
class SaveOutcome:
    conflicts: tuple[Conflict, ...] = ()
    written: list[str] = field(default_factory=list)
    workspace: Workspace | None = None

    @property
    def saved(self) -> bool:
        return not self.conflicts


OPEN = (
    AssessmentStatus.DRAFT,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.IN_REVIEW,
    AssessmentStatus.RETURNED,
)


def start(
    actor: User, organisation: Organisation, carry_from: Assessment | None = None
) -> Assessment:
    """A new draft for the organisation's cohort, pinned to the cohort's standard version."""
    cohort = queries.current_cohort(organisation.id)
    if cohort is None:
        raise AssessmentError(
            "Your organisation is not in a cohort yet. Ask your HEE contact to add it."
        )
    pinned = latest_published(cohort.standard_id, cohort.standard_version)
    if pinned is None:
        raise AssessmentError(
            f"The standard {cohort.standard_id} {cohort.standard_version} is not loaded yet."
        )
    standard, content_hash = pinned
    if unanswered_profile(standard, organisation_profile(organisation, standard)):
        raise ProfileIncomplete()
    existing = queries.latest_assessment(organisation.id)
    if (
        existing is not None
        and existing.status in OPEN
        and existing.status is not AssessmentStatus.RETURNED
    ):
        raise AssessmentError("Your organisation already has an assessment in progress.")
    with unit_of_work():
        assessment = Assessment(
            organisation=organisation,
            cohort=cohort,
            standard_id=standard.id,
            standard_version=standard.version,
            content_hash=content_hash,
            status=AssessmentStatus.DRAFT,
            started_by_id=actor.id,
            previous_id=carry_from.id if carry_from is not None else None,
            revision=0,
            last_activity_at=utcnow(),
        )
        db.session.add(assessment)
        db.session.flush()
        db.session.add(
            StatusChange(assessment_id=assessment.id, before=None, after="draft", actor_id=actor.id)
        )
        if carry_from is not None:
            _carry_forward(assessment, standard, carry_from, actor)
        audit.record(
            "assessment-started",
            f"assessment:{assessment.id}",
            actor=actor,
            after={"standard": standard.slug, "carried_from": assessment.previous_id},
        )
        db.session.flush()
        refresh_summary(load(assessment))
    return assessment


def _carry_forward(
    assessment: Assessment, standard: Standard, previous: Assessment, actor: User
) -> None:
    """Copy the answers the new version still asks (standards.carry: the same rule the what-if
    simulation uses), marked to confirm; evidence no longer in the library is dropped."""
    old = pinned_standard(previous.standard_id, previous.standard_version, previous.content_hash)
    rule = carry_over(old, standard)
    live = link_queries.live_evidence_ids(previous.organisation_id)
    stored = {row.key: row.value for row in answer_queries.answers_of(previous)}
    for key, value in rule.answers(stored, live).items():
        db.session.add(
            Answer(
                assessment_id=assessment.id,
                key=key,
                value=value,
                updated_by_id=actor.id,
                carried_forward=True,
            )
        )
        if key in rule.evidence_keys:
            _relink(assessment, key, value)


def _relink(assessment: Assessment, key: str, value: object) -> None:
    for link in link_queries.evidence_links_for_key(assessment, key):
        db.session.delete(link)
    ids = value if isinstance(value, list) else []
    for item_id in dict.fromkeys(ids):
        db.session.add(EvidenceLink(assessment_id=assessment.id, key=key, item_id=int(item_id)))


def save_criterion(
    actor: User,
    workspace: Workspace,
    criterion_id: str,
    posted: Mapping[str, object],
    base: Mapping[str, Stored],
) -> SaveOutcome:
    """Save one page of answers, merging with anything saved meanwhile (see domain.merge).

    `posted` maps answer keys of this criterion to normalised values (None clears). A real
    conflict saves nothing and returns both versions for the page to show."""
    assessment = workspace.assessment
    if not assessment.status.editable:
        raise AssessmentError(
            f"This assessment is {assessment.status.label.lower()} and cannot be changed."
        )
    prefix = criterion_id + "/"
    if any(not key.startswith(prefix) for key in posted):
        raise AssessmentError("The form sent answers to another criterion. Nothing was saved.")
    if any(key in workspace.known for key in posted):
        raise AssessmentError(
            "The service answers that question from its own records. Nothing was saved."
        )
    outcome = merge(base, posted, workspace.versions)
    if not outcome.clean:
        return SaveOutcome(conflicts=outcome.conflicts, workspace=workspace)
    evidence = {k: v for k, v in outcome.writes.items() if is_evidence_key(workspace.standard, k)}
    if evidence:
        live = link_queries.live_evidence_ids(assessment.organisation_id)
        if any(not set(value or []) <= live for value in evidence.values()):  # type: ignore[call-overload]
            raise AssessmentError("That evidence is not in your organisation's library.")
    try:
        with unit_of_work():
            written = _write(actor, workspace, criterion_id, outcome.writes)
            queries.touch_assessment(assessment, utcnow())
            db.session.flush()
            # The rows were updated in place: score them again without reading them back.
            fresh = Workspace(
                assessment, workspace.standard, workspace.profile, workspace.rows, workspace.facts
            )
            refresh_summary(fresh)
    except (StaleDataError, IntegrityError):
        # Someone saved between our read and write: merge again against what they saved.
        db.session.expire_all()
        again = load(assessment)
        retry = merge(base, posted, again.versions)
        if retry.clean and retry.writes != outcome.writes:
            return save_criterion(actor, again, criterion_id, posted, base)
        return SaveOutcome(conflicts=retry.conflicts, workspace=again)
    return SaveOutcome(written=written, workspace=fresh)


def _write(
    actor: User, workspace: Workspace, criterion_id: str, writes: Mapping[str, object]
) -> list[str]:
    """Apply the writes (and confirm the page's carried-forward answers), updating only at the
    versions the merge saw, and keep the workspace's rows in step so it can be scored again
    without a read."""
    assessment = workspace.assessment
    prefix = criterion_id + "/"
    updates: list[tuple[str, int, dict[str, object]]] = []
    history: list[dict[str, object]] = []
    for key, value in writes.items():
        seen = workspace.rows.get(key)
        if seen is None:
            db.session.add(
                Answer(assessment_id=assessment.id, key=key, value=value, updated_by_id=actor.id)
            )
            version = 1
        else:
            updates.append((key, seen.version, {"value": value, "updated_by_id": actor.id}))
            version = seen.version + 1
        history.append(
            {
                "assessment_id": assessment.id,
                "criterion_id": criterion_id,
                "key": key,
                "before": seen.value if seen is not None else None,
                "after": value,
                "actor_id": actor.id,
            }
        )
        workspace.rows[key] = AnswerRow(value, version, False)
        if is_evidence_key(workspace.standard, key):
            _relink(assessment, key, value)
    # Saving a page confirms the answers on it that were carried forward.
    for key, seen in list(workspace.rows.items()):
        if seen.carried_forward and key.startswith(prefix) and key not in writes:
            updates.append((key, seen.version, {"value": seen.value, "updated_by_id": actor.id}))
            workspace.rows[key] = AnswerRow(seen.value, seen.version + 1, False)
    if not answer_queries.change_answers(assessment.id, updates):
        raise StaleDataError("an answer changed since it was read")  # merge again
    answer_queries.record_answer_changes(history)
    if history:
        # The trail holds the values themselves (it is the secure store for them); the
        # application log gets only the action and ids.
        audit.record(
            "answers-saved",
            f"assessment:{assessment.id}",
            actor=actor,
            before={str(change["key"]): change["before"] for change in history},
            after={str(change["key"]): change["after"] for change in history},
            detail=f"criterion {criterion_id}",
        )
    return list(writes)


def summary_values(result: Result, completion: float) -> dict[str, Any]:
    """What the stored summary keeps of a scoring result (everything but the time)."""
    nxt = result.next_level
    return {
        "level_reached": result.highest_level,
        "next_level": nxt.id if nxt else None,
        "next_level_percent": nxt.percent if nxt else None,
        "percent": result.percent,
        "level_percents": {lv.id: lv.percent for lv in result.levels},
        "section_percents": {s.id: s.percent for s in result.sections},
        "blockers": len(nxt.blockers) if nxt else 0,
        "completion": completion,
        "content_hash": result.content_hash,
        "criteria": {c.id: [c.status.value, c.evidence] for c in result.criteria},
    }


def refresh_summary(workspace: Workspace) -> None:
    """Store the score, so dashboards read it instead of rescoring (call inside a transaction)."""
    values = {
        **summary_values(workspace.result, workspace.completion),
        "computed_at": utcnow(),
    }
    # One UPDATE, no read: this runs on every save.
    if not queries.update_summary(workspace.assessment.id, values):
        db.session.add(ScoreSummary(assessment_id=workspace.assessment.id, **values))


def detach_evidence(item: EvidenceItem, actor: User) -> None:
    """Take a removed evidence item out of every answer that cites it, with history, and rescore.

    Runs in the caller's transaction (removing the item), so both happen or neither does."""
    touched: dict[int, Assessment] = {}
    for link in link_queries.links_to_item(item.id):
        assessment = db.session.get(Assessment, link.assessment_id)
        if assessment is None:
            continue
        row = answer_queries.answer_row(assessment, link.key)
        if row is not None and isinstance(row.value, list):
            kept = [v for v in row.value if v != str(item.id)]
            db.session.add(
                AnswerChange(
                    assessment_id=assessment.id,
                    criterion_id=link.key.split("/", 1)[0],
                    key=link.key,
                    before=row.value,
                    after=kept or None,
                    actor_id=actor.id,
                )
            )
            row.value = kept or None
            row.updated_by_id = actor.id
        db.session.delete(link)
        touched[assessment.id] = assessment
    db.session.flush()
    for assessment in touched.values():
        assessment.revision += 1
        refresh_summary(load(assessment))


def submit(actor: User, workspace: Workspace, declared: bool) -> Assessment:
    assessment = workspace.assessment
    target = transition(assessment.status, Action.SUBMIT, actor.role)
    gaps, profile = workspace.gaps, workspace.unanswered_profile
    if gaps or profile:
        raise SubmissionBlocked(gaps, profile)
    if not declared:
        raise AssessmentError("Confirm the declaration to submit")
    with commit_now():
        before = assessment.status
        assessment.status = target
        assessment.submitted_at = utcnow()
        assessment.submitted_by_id = actor.id
        assessment.last_activity_at = assessment.submitted_at
        assessment.revision += 1
        db.session.add(
            StatusChange(
                assessment_id=assessment.id,
                before=before.value,
                after=target.value,
                actor_id=actor.id,
            )
        )
        audit.record(
            "assessment-submitted",
            f"assessment:{assessment.id}",
            actor=actor,
            before={"status": before.value},
            after={"status": target.value, "level": workspace.result.highest_level},
        )
        refresh_summary(workspace)
        # What was submitted, kept so a pack can be checked against it later.
        fingerprints.keep(workspace, "submission")
    return assessment


def update_profile(actor: User, organisation: Organisation, values: Mapping[str, object]) -> None:
    """Change the organisation's profile. Answers are never deleted: criteria that stop applying
    keep theirs (hidden and unscored) and get them back if the profile changes back."""
    before = dict(organisation.profile or {})
    after = {**before, **values}
    if after == before:
        return
    with unit_of_work():
        organisation.profile = after
        audit.record(
            "profile-changed",
            f"organisation:{organisation.id}",
            actor=actor,
            before=before,
            after=after,
        )
        db.session.flush()
        for assessment in queries.assessments_of_organisation(organisation.id):
            refresh_summary(load(assessment))
