"""HEE review of a submitted self-assessment: start a round, judge each criterion, then return
it with reasons or accept it with a level (which grants the award).

Every step is one transaction with its status change and audit event; emails to the
organisation's leads go out after the commit, so a mail failure never loses a decision.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Award, CriterionReview, Review, StatusChange, User
from accredit.data.queries.accounts.organisations import organisation_members
from accredit.data.queries.review import reviews as queries
from accredit.data.queries.scope import scope_for
from accredit.data.transactions import commit_now, unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import Action, AssessmentStatus, transition
from accredit.domain.review.review import Agreement, Outcome, ReviewedResult, refusal, review_result
from accredit.domain.scoring.standard import Level
from accredit.extensions import db
from accredit.services.assessments.workspace import Workspace
from accredit.services.operations import audit, mail
from accredit.services.reports import fingerprints

log = logging.getLogger("accredit.review")


class ReviewError(Exception):
    """A review step the service refuses, with the message to show."""


class StaleJudgement(ReviewError):
    """Someone else judged this criterion since the page was opened."""

    def __init__(self, current: CriterionReview | None) -> None:
        super().__init__(
            "Someone else changed this judgement while you were editing it. "
            "Their judgement is shown below; yours has not been saved."
        )
        self.current = current


@dataclass
class ReviewState:
    """Everything the reviewer's pages read about one assessment, read once."""

    ws: Workspace
    rounds: list[Review]
    judged: dict[str, CriterionReview]

    @property
    def review(self) -> Review | None:
        """The current round, if one has been started."""
        return self.rounds[-1] if self.rounds else None

    @property
    def open(self) -> bool:
        """A round is under way and the assessment is in review: judgements may change."""
        review = self.review
        return (
            review is not None
            and review.outcome is None
            and self.ws.assessment.status is AssessmentStatus.IN_REVIEW
        )

    @cached_property
    def result(self) -> ReviewedResult:
        agreements = {cid: j.agreement for cid, j in self.judged.items()}
        reasons = {cid: j.override_reason for cid, j in self.judged.items() if j.override_reason}
        return review_result(self.ws.standard, self.ws.result, agreements, reasons)

    def levels_to_award(self) -> list[Level]:
        """Levels the reviewer may award: up to the level reached under their judgements."""
        reached = self.result.reviewed.highest_level
        if reached is None:
            return []
        levels = list(self.ws.standard.levels)
        return levels[: [lv.id for lv in levels].index(reached) + 1]


def state(ws: Workspace) -> ReviewState:
    rounds = list(queries.reviews_of(ws.assessment.id))
    judged = queries.judgements(rounds[-1].id) if rounds else {}
    return ReviewState(ws, rounds, judged)


def start(actor: User, ws: Workspace) -> Review:
    assessment = ws.assessment
    target = transition(assessment.status, Action.START_REVIEW, actor.role)
    rounds = queries.reviews_of(assessment.id)
    try:
        return _start_round(actor, ws, target, len(rounds) + 1)
    except IntegrityError:  # the unit rolled back
        raise ReviewError("Another reviewer started this review a moment ago.") from None


def _start_round(actor: User, ws: Workspace, target: AssessmentStatus, number: int) -> Review:
    assessment = ws.assessment
    with unit_of_work():
        review = Review(
            assessment_id=assessment.id,
            cohort_id=assessment.cohort_id,
            round=number,
            reviewer_id=actor.id,
            self_level=ws.result.highest_level,
        )
        db.session.add(review)
        before = _move(actor, ws, target, note=None)
        audit.record(
            "review-started",
            f"assessment:{assessment.id}",
            actor=actor,
            before={"status": before},
            after={"status": target.value, "round": review.round, "self_level": review.self_level},
        )
    return review


def judge(
    actor: User,
    ws: Workspace,
    criterion_id: str,
    agreement: Agreement,
    comment: str,
    version: int | None,
    override_reason: str | None = None,
) -> CriterionReview:
    """Record the reviewer's judgement of one criterion. ``version`` is the judgement's version
    when the page was opened (None when there was none): of two reviewers saving from the same
    version, the second is refused, never silently overwriting the first. The judgement is held
    to the engine's rule: a criterion it does not find met is marked met only by an override,
    with ``override_reason``."""
    current = state(ws)
    review = current.review
    if review is None or not current.open:
        raise ReviewError("Start the review before judging criteria")
    own = ws.result.criterion(criterion_id)
    if not own.applicable:
        raise ReviewError("This criterion does not apply to the organisation")
    reason = (override_reason or "").strip() if agreement is Agreement.OVERRIDE else ""
    refused = refusal(criterion_id, own.status, agreement, reason)
    if refused is not None:
        raise ReviewError(refused.message)
    existing = current.judged.get(criterion_id)
    if (existing.version if existing else None) != version:
        raise StaleJudgement(existing)
    before = _judgement_values(existing)
    try:
        with unit_of_work():
            if existing is None:
                existing = CriterionReview(
                    review_id=review.id,
                    assessment_id=ws.assessment.id,
                    cohort_id=ws.assessment.cohort_id,
                    criterion_id=criterion_id,
                    section_id=own.section_id,
                )
                db.session.add(existing)
            existing.self_status = own.status.value
            existing.agreement = agreement
            existing.comment = comment
            existing.override_reason = reason or None
            existing.reviewer_id = actor.id
            db.session.flush()
            audit.record(
                "review-judged",
                f"assessment:{ws.assessment.id}/{criterion_id}",
                actor=actor,
                before=before,
                after=_judgement_values(existing),
            )
    except (StaleDataError, IntegrityError):  # the unit rolled back
        raise StaleJudgement(queries.judgement(review.id, criterion_id)) from None
    return existing


def _judgement_values(judged: CriterionReview | None) -> dict[str, str] | None:
    if judged is None:
        return None
    values = {"agreement": judged.agreement.value, "comment": judged.comment}
    if judged.override_reason:
        values["override_reason"] = judged.override_reason
    return values


def return_for_changes(settings: Settings, actor: User, ws: Workspace, note: str) -> Review:
    """Back to the organisation, with a reason on every criterion the reviewer did not agree
    with (the organisation sees them beside its answers)."""
    current = state(ws)
    review = current.review
    if review is None or not current.open:
        raise ReviewError("Start the review before returning the assessment")
    target = transition(ws.assessment.status, Action.RETURN, actor.role)
    reasons = [j for j in current.judged.values() if j.agreement.asks_for_change]
    if not reasons:
        raise ReviewError(
            "Mark at least one criterion as disagree or needs more evidence, with a reason, "
            "before returning the assessment"
        )
    unexplained = sorted(j.criterion_id for j in reasons if not j.comment.strip())
    if unexplained:
        raise ReviewError(
            "Give the organisation a reason for each criterion you did not agree with: "
            + ", ".join(unexplained)
        )
    with commit_now():
        _decide(actor, review, current, Outcome.RETURNED, None, note)
        before = _move(actor, ws, target, note=note or None)
        audit.record(
            "review-returned",
            f"assessment:{ws.assessment.id}",
            actor=actor,
            before={"status": before},
            after={
                "status": target.value,
                "round": review.round,
                "criteria": sorted(j.criterion_id for j in reasons),
                "note": note or None,
            },
        )
    _tell_leads(
        settings,
        actor,
        ws,
        "Self-assessment returned for changes",
        f"{settings.issuer_name} has returned {ws.assessment.organisation.name}'s "
        "self-assessment for changes.\n\n"
        f"Criteria to look at again: {', '.join(sorted(j.criterion_id for j in reasons))}.\n"
        + (f"\nThe reviewer's note: {note}\n" if note else "")
        + "\nThe reviewer's comments are beside your answers. Make your changes and submit "
        "again at:\n"
        f"{settings.base_url}/assessments/{ws.assessment.id}\n",
    )
    return review


def accept(settings: Settings, actor: User, ws: Workspace, level_id: str) -> Award:
    """Accept the assessment and award ``level_id`` (no higher than the level reached under
    the reviewer's judgements), on a snapshot of the assessment as accepted."""
    current = state(ws)
    review = current.review
    if review is None or not current.open:
        raise ReviewError("Start the review before accepting the assessment")
    target = transition(ws.assessment.status, Action.ACCEPT, actor.role)
    left = [c.id for c in current.result.to_judge() if c.id not in current.judged]
    if left:
        raise ReviewError(
            f"Judge every criterion before accepting: {len(left)} still to judge "
            f"(starting with {left[0]})"
        )
    allowed = {lv.id: lv for lv in current.levels_to_award()}
    if not allowed:
        raise ReviewError(
            "Under your judgements the assessment does not reach any level. Return it instead."
        )
    if level_id not in allowed:
        raise ReviewError("Choose a level the assessment reaches under your judgements")
    from accredit.services.review import awards

    with commit_now():
        _decide(actor, review, current, Outcome.ACCEPTED, level_id, None)
        before = _move(actor, ws, target, note=f"Accepted at {allowed[level_id].name}")
        db.session.flush()
        kept = fingerprints.keep(ws, "award")
        award = awards.grant(settings, actor, ws.assessment, review.id, level_id, kept.fingerprint)
        audit.record(
            "review-accepted",
            f"assessment:{ws.assessment.id}",
            actor=actor,
            before={"status": before},
            after={
                "status": target.value,
                "round": review.round,
                "level": level_id,
                "fingerprint": kept.fingerprint,
            },
        )
    _tell_leads(
        settings,
        actor,
        ws,
        f"Accredited at {allowed[level_id].name}",
        f"{settings.issuer_name} has accepted {ws.assessment.organisation.name}'s "
        "self-assessment and awarded "
        f"{allowed[level_id].name} against the {ws.standard.title} "
        f"(version {ws.standard.version}), valid up to and including "
        f"{award.last_valid_day.strftime('%-d %B %Y')}.\n\n"
        "Download your certificate from your organisation's page:\n"
        f"{settings.base_url}/organisations/{ws.assessment.organisation_id}\n",
    )
    return award


DECIDED_MEANWHILE = (
    "Another reviewer decided this review a moment ago. Nothing you chose has been saved: "
    "see the review as it now stands."
)


def _decide(
    actor: User,
    review: Review,
    current: ReviewState,
    outcome: Outcome,
    level_id: str | None,
    note: str | None,
) -> None:
    now = utcnow()
    if not queries.claim_decision(review.id, now):
        raise ReviewError(DECIDED_MEANWHILE)
    review.outcome = outcome
    review.level_awarded = level_id
    review.reviewed_level = current.result.reviewed.highest_level
    review.note = note or None
    review.decided_at = now
    review.decided_by_id = actor.id


def _move(actor: User, ws: Workspace, target: AssessmentStatus, note: str | None) -> str:
    """Change the status with its history row; returns the status it had, for the trail."""
    assessment = ws.assessment
    before = assessment.status
    assessment.status = target
    assessment.revision += 1
    assessment.last_activity_at = utcnow()
    db.session.add(
        StatusChange(
            assessment_id=assessment.id,
            before=before.value,
            after=target.value,
            actor_id=actor.id,
            note=note,
        )
    )
    return before.value


def _tell_leads(settings: Settings, actor: User, ws: Workspace, subject: str, text: str) -> None:
    scope = scope_for(actor.id, actor.role, actor.organisation_id)
    for lead in organisation_members(scope, ws.assessment.organisation_id):
        if lead.role is not Role.ORG_LEAD or not lead.active:
            continue
        try:
            mail.send(settings, mail.Mail(lead.email, subject, f"Dear {lead.name},\n\n{text}"))
        except OSError:
            log.exception("Could not send the review email for assessment %s", ws.assessment.id)


def feedback(ws: Workspace) -> dict[str, CriterionReview]:
    """While an assessment is back with the organisation: the reviewer's judgements from the
    round that returned it, by criterion (what the organisation sees beside its answers)."""
    if ws.assessment.status is not AssessmentStatus.RETURNED:
        return {}
    returned = queries.last_returned(ws.assessment.id)
    if returned is None:
        return {}
    return {
        cid: j
        for cid, j in queries.judgements(returned.id).items()
        if j.agreement.asks_for_change or (j.agreement.agrees and j.comment.strip())
    }
