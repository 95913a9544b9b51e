"""Random audits of accredited organisations (HEE admins): drawing a sample with a recorded
seed, replaying it to show it reproduces, and recording each audit's outcome on the award.

Everything a draw needs to be explained later (share, strata, cohort, seed, the population as
read and the selection) is stored on the draw and copied into the audit trail, so a draw can be
checked even if the rows it drew from have since changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from accredit.data.base import utcnow
from accredit.data.models import AuditDraw, Award, AwardAudit, User
from accredit.data.queries.cohorts.cohorts import cohort_by_id
from accredit.data.queries.review import audits as queries
from accredit.data.queries.review.awards import current_awards
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.review import audit_draw
from accredit.domain.review.audit_draw import Draw, DrawProblem
from accredit.domain.review.awards import AuditOutcome, AwardStatus
from accredit.domain.scoring.standard import Level
from accredit.extensions import db
from accredit.services.operations import audit


class AuditRefused(Exception):
    """A draw or an outcome that cannot be recorded, and the form field to blame."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def make_draw(
    actor: User,
    *,
    share: str | None,
    cohort_id: int | None,
    stratify: str,
    seed: str | None,
    today: date | None = None,
) -> AuditDraw:
    """Draw and store a sample; nothing is stored when a parameter is refused."""
    try:
        share_percent = audit_draw.parse_share(share)
        stratify = audit_draw.check_stratify(stratify)
        chosen_seed = audit_draw.check_seed(seed) if (seed or "").strip() else None
    except DrawProblem as problem:
        raise AuditRefused(str(problem), problem.field) from None
    cohort = None
    if cohort_id is not None:
        cohort = cohort_by_id(cohort_id)
        if cohort is None:
            raise AuditRefused("Choose a cohort from the list", "cohort")
    candidates = queries.population(today or date.today(), cohort_id)
    if not candidates:
        where = f"in {cohort.name}" if cohort is not None else "yet"
        raise AuditRefused(
            f"No organisation holds a current award {where}, so there is nobody to draw",
            "cohort",
        )
    pairs = [(c.award_id, _stratum(c, stratify)) for c in candidates]
    result = audit_draw.draw(pairs, share_percent, chosen_seed or audit_draw.new_seed(), stratify)
    organisation_of = {c.award_id: c.organisation_id for c in candidates}
    with unit_of_work():
        record = AuditDraw(
            drawn_by_id=actor.id,
            cohort_id=cohort_id,
            seed=result.seed,
            share_percent=result.share_percent,
            stratify_by=stratify,
            population=[[award_id, stratum] for award_id, stratum in pairs],
            selected=list(result.selected),
        )
        db.session.add(record)
        db.session.flush()
        db.session.add_all(
            AwardAudit(draw_id=record.id, award_id=a, organisation_id=organisation_of[a])
            for a in result.selected
        )
        audit.record(
            "audit.drawn",
            f"audit-draw:{record.id}",
            actor=actor,
            after={
                "share_percent": result.share_percent,
                "stratify_by": stratify,
                "cohort_id": cohort_id,
                "seed": result.seed,
                "seed_generated": chosen_seed is None,
                "population_size": result.population_size,
                "strata": {s.name: [s.population, s.drawn] for s in result.strata},
                "population": record.population,
                "selected_award_ids": list(result.selected),
                "selected_organisation_ids": [organisation_of[a] for a in result.selected],
            },
        )
    return record


def _stratum(candidate: queries.Candidate, stratify: str) -> str:
    if stratify == "region":
        return candidate.region
    if stratify == "org_type":
        return candidate.org_type
    return ""


@dataclass(frozen=True, slots=True)
class Replay:
    """The draw made again from what was recorded, and whether it matches."""

    result: Draw | None
    reproduces: bool
    problem: str | None = None


def replay(record: AuditDraw) -> Replay:
    pairs = [(int(award_id), str(stratum)) for award_id, stratum in record.population]
    try:
        result = audit_draw.draw(pairs, record.share_percent, record.seed, record.stratify_by)
    except DrawProblem as problem:
        return Replay(None, False, str(problem))
    return Replay(result, list(result.selected) == list(record.selected))


def stratum_label(stratify: str, name: str, region_names: dict[str, str]) -> str:
    if stratify == "region":
        return region_names.get(name, name)
    if stratify == "org_type":
        try:
            return OrgType(name).label
        except ValueError:
            return name
    return "All accredited organisations"


def other_levels(award: Award) -> list[Level]:
    """The levels of the award's standard it could be changed to (not its own)."""
    from accredit.services.operations.standards import StandardMissing, latest_published

    try:
        found = latest_published(award.standard_id, award.standard_version)
    except StandardMissing:
        return []
    if found is None:
        return []
    return [level for level in found[0].levels if level.id != award.level]


STALE_OUTCOME = (
    "Another admin recorded an outcome for this organisation after you opened this page. "
    "Check what they recorded below, then record yours again if it still differs."
)


def _claim(
    row: AwardAudit, read: tuple[AuditOutcome | None, datetime | None], now: datetime
) -> None:
    """Take the audit row for this change, only if it is still as read: of two admins
    recording at the same moment, the second is refused instead of undoing the first."""
    if not queries.claim_outcome(row.id, *read, now):
        raise AuditRefused(STALE_OUTCOME, "outcome")


def outcome_token(row: AwardAudit) -> str:
    """The outcome as a page showed it, so a form opened before someone else's change can be
    told apart from a deliberate correction."""
    recorded = row.recorded_at.isoformat() if row.recorded_at else ""
    return f"{row.outcome.value if row.outcome else ''}@{recorded}"


def record_outcome(
    actor: User,
    drawn: queries.DrawnAward,
    outcome: AuditOutcome,
    new_level: str | None,
    note: str,
    seen: str | None = None,
) -> AwardAudit:
    """Record (or correct) what the audit found, and change the award to match.

    A correction first undoes what the earlier outcome did to the award (a withdrawn award is
    current again; an award re-issued at another level is withdrawn as recorded in error and
    the original is current again), then applies the new one."""
    row, award = drawn.audit, drawn.award
    if seen and seen != outcome_token(row):
        raise AuditRefused(STALE_OUTCOME, "outcome")
    read = (row.outcome, row.recorded_at)
    level = None
    if outcome is AuditOutcome.LEVEL_CHANGED:
        level = next((lv for lv in other_levels(award) if lv.id == new_level), None)
        if level is None:
            raise AuditRefused("Choose the level the award changes to", "new_level")
    before = _values(row, award)
    previous, previous_level = row.outcome, row.new_level
    if previous is outcome and (
        outcome is not AuditOutcome.LEVEL_CHANGED or previous_level == new_level
    ):
        with unit_of_work():
            now = utcnow()
            _claim(row, read, now)
            row.note, row.recorded_by_id, row.recorded_at = note, actor.id, now
            audit.record(
                "audit.outcome-recorded",
                f"award-audit:{row.id}",
                actor=actor,
                before=before,
                after=_values(row, award),
            )
        return row
    replacement = (
        queries.replacement_award(award) if previous is AuditOutcome.LEVEL_CHANGED else None
    )
    _check_award_as_left(award, previous, replacement)
    now = utcnow()
    with unit_of_work():
        _claim(row, read, now)
        if previous is AuditOutcome.WITHDRAWN or previous is AuditOutcome.LEVEL_CHANGED:
            award.status, award.ended_at, award.ended_reason = AwardStatus.CURRENT, None, None
        if replacement is not None:
            replacement.status = AwardStatus.WITHDRAWN
            replacement.ended_at = now
            replacement.ended_reason = "Recorded in error: the audit outcome was corrected"
        new_award = None
        if outcome is AuditOutcome.WITHDRAWN:
            award.status, award.ended_at = AwardStatus.WITHDRAWN, now
            award.ended_reason = _reason("Withdrawn after a random audit", note)
        elif level is not None:
            award.status, award.ended_at = AwardStatus.SUPERSEDED, now
            award.ended_reason = _reason(f"Changed to {level.name} after a random audit", note)
            new_award = _reissue(award, level, actor)
            db.session.add(new_award)
        row.outcome, row.new_level, row.note = outcome, level.id if level else None, note
        row.recorded_by_id, row.recorded_at = actor.id, now
        db.session.flush()
        after = _values(row, award)
        if new_award is not None:
            after["new_award_id"] = new_award.id
        if replacement is not None:
            after["withdrawn_in_error_award_id"] = replacement.id
        audit.record(
            "audit.outcome-recorded",
            f"award-audit:{row.id}",
            actor=actor,
            before=before,
            after=after,
        )
    return row


def _check_award_as_left(
    award: Award, previous: AuditOutcome | None, replacement: Award | None
) -> None:
    """Refuse when the award has changed since the last outcome for another reason (a new
    cycle's award superseded it, say): the audit must not quietly undo that."""
    expected = {
        None: AwardStatus.CURRENT,
        AuditOutcome.CONFIRMED: AwardStatus.CURRENT,
        AuditOutcome.WITHDRAWN: AwardStatus.WITHDRAWN,
        AuditOutcome.LEVEL_CHANGED: AwardStatus.SUPERSEDED,
    }[previous]
    if award.status is not expected or (
        previous is AuditOutcome.LEVEL_CHANGED and replacement is None
    ):
        raise AuditRefused(
            f"This award has changed since it was drawn (it is now {award.status.label.lower()}),"
            " so the audit can no longer change it",
            "outcome",
        )
    # Undoing a withdrawal or a level change makes this award current again: not when the
    # organisation has since been given another award (a new cycle's), which stands.
    if previous in (AuditOutcome.WITHDRAWN, AuditOutcome.LEVEL_CHANGED):
        others = [
            a
            for a in current_awards(award.organisation_id)
            if a.id != award.id and (replacement is None or a.id != replacement.id)
        ]
        if others:
            raise AuditRefused(
                "The organisation has been given a newer award since this audit, so this "
                "award can no longer be made current again",
                "outcome",
            )


def _reissue(award: Award, level: Level, actor: User) -> Award:
    """The same accreditation at another level: same dates, standard and snapshot."""
    return Award(
        organisation_id=award.organisation_id,
        assessment_id=award.assessment_id,
        review_id=award.review_id,
        cohort_id=award.cohort_id,
        level=level.id,
        level_name=level.name,
        awarded_on=award.awarded_on,
        expires_on=award.expires_on,
        standard_id=award.standard_id,
        standard_version=award.standard_version,
        standard_title=award.standard_title,
        fingerprint=award.fingerprint,
        status=AwardStatus.CURRENT,
        awarded_by_id=actor.id,
    )


def _reason(text: str, note: str) -> str:
    return f"{text}: {note}" if note else text


def _values(row: AwardAudit, award: Award) -> dict[str, Any]:
    return {
        "draw_id": row.draw_id,
        "award_id": award.id,
        "organisation_id": row.organisation_id,
        "outcome": row.outcome.value if row.outcome else None,
        "new_level": row.new_level,
        "note": row.note,
        "award_status": award.status.value,
        "award_level": award.level,
    }
