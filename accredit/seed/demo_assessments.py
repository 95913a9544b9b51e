"""Demo assessments at different stages, so `make run` shows a living service.

Answers are worked out from the standard's data (the best option, a number that meets its
scoring, evidence where it is required), never written out per criterion, so a new standard
version still seeds sensibly.
"""

from __future__ import annotations

from enum import StrEnum

from accredit.data.base import utcnow
from accredit.data.models import Answer, Assessment, EvidenceItem, Organisation, User
from accredit.data.transactions import unit_of_work
from accredit.domain.scoring.scoring import visible_keys
from accredit.domain.scoring.standard import Criterion, Question, QuestionType, Standard
from accredit.extensions import db
from accredit.services.assessments import assessments
from accredit.services.assessments.workspace import load
from accredit.services.storage.storage import Storage


class Stage(StrEnum):
    NOT_STARTED = "not started"
    STARTED = "started, nothing answered"
    PART_DONE = "part done"
    BRONZE = "ready for Bronze"
    SILVER = "ready for Silver"
    SUBMITTED = "submitted"


def best_value(question: Question, evidence_id: str) -> object:
    kind, rules = question.type, question.validation
    if kind is QuestionType.MULTIPLE_CHOICE:
        picked = [o.value for o in question.options if (o.score or 0) > 0] or [
            question.options[0].value
        ]
        return picked[: int(rules.max)] if rules.max is not None else picked
    if question.options:
        return max(question.options, key=lambda o: o.score or 0).value
    if kind is QuestionType.NUMBER:
        scoring = question.scoring
        target = getattr(scoring, "met_at_least", None) or getattr(scoring, "met_at_most", None)
        value = target if target is not None else (rules.min if rules.min is not None else 12)
        if rules.max is not None:
            value = min(value, rules.max)
        return int(value) if float(value).is_integer() else value
    if kind is QuestionType.DATE:
        return "2026-01-15"
    if kind is QuestionType.URL:
        return "https://www.example.nhs.uk/work-experience"
    if kind is QuestionType.EVIDENCE:
        return [evidence_id]
    return "Described in our work experience policy, section 3."[: rules.max_length or 200]


def fill(
    standard: Standard,
    profile: dict[str, object],
    levels: int,
    evidence_id: str,
    sections: int | None = None,
) -> dict[str, object]:
    """Answers meeting every criterion of the lowest `levels` levels (in the first `sections`
    sections when given), revealing conditional questions as it goes."""
    wanted = {lv.id for lv in standard.levels[:levels]}
    chosen = {s.id for s in standard.sections[:sections]} if sections else None
    answers: dict[str, object] = {}
    for _ in range(6):  # conditional questions appear as their gates are answered
        before = len(answers)
        for key in visible_keys(standard, profile, answers):
            question = standard.question(key)
            criterion = standard.criterion(question.criterion_id)
            if key in answers or not _wanted(criterion, wanted, chosen):
                continue
            answers[key] = best_value(question, evidence_id)
        for criterion in standard.criteria:
            if criterion.evidence.required and _wanted(criterion, wanted, chosen):
                answers[criterion.evidence_key] = [evidence_id]
        if len(answers) == before:
            break
    return answers


def _wanted(criterion: Criterion, levels: set[str], sections: set[str] | None) -> bool:
    return criterion.level in levels and (sections is None or criterion.section_id in sections)


def seed_stage(
    organisation: Organisation, lead: User, stage: Stage, levels: int | None = None
) -> Assessment | None:
    """An assessment of the organisation's current cohort at `stage`; a stage ready for
    Silver (or submitted) is ready for the lowest `levels` levels instead when given."""
    if stage is Stage.NOT_STARTED:
        return None
    assessment = assessments.start(lead, organisation)
    if stage is Stage.STARTED:
        return assessment
    with unit_of_work():
        item = EvidenceItem(
            organisation_id=organisation.id,
            kind="statement",
            title="Work experience policy summary",
            description="How we plan, deliver and evaluate placements.",
            statement="Our policy is approved by the board and reviewed every two years.",
            uploaded_by_id=lead.id,
            current_version=0,
        )
        db.session.add(item)
    workspace = load(assessment)
    if stage in (Stage.PART_DONE, Stage.BRONZE):
        levels = 1
    elif levels is None:
        levels = 2
    sections = 2 if stage is Stage.PART_DONE else None
    answers = fill(workspace.standard, workspace.profile, levels, str(item.id), sections)
    if stage in (Stage.SILVER, Stage.SUBMITTED):
        answers = _rest(workspace.standard, workspace.profile, answers, str(item.id))
        answers = _some_of_next(
            workspace.standard, workspace.profile, answers, levels, str(item.id)
        )
        answers = _short_of(workspace.standard, workspace.profile, answers, levels)
    _write(assessment, lead, answers)
    if stage is Stage.SUBMITTED:
        assessments.submit(lead, load(assessment), declared=True)
    return assessment


def _rest(
    standard: Standard, profile: dict[str, object], answers: dict[str, object], evidence_id: str
) -> dict[str, object]:
    """Every other required question answered plainly ("no" where it is a choice), so a Silver
    organisation can submit without looking like Gold."""
    full = dict(answers)
    for _ in range(6):
        for key in visible_keys(standard, profile, full):
            if key not in full:
                question = standard.question(key)
                options = question.options
                if question.type is QuestionType.MULTIPLE_CHOICE:
                    full[key] = [options[-1].value]
                elif options:
                    full[key] = min(options, key=lambda o: o.score or 0).value
                else:
                    full[key] = best_value(question, evidence_id)
    return full


def _some_of_next(
    standard: Standard,
    profile: dict[str, object],
    answers: dict[str, object],
    levels: int,
    evidence_id: str,
) -> dict[str, object]:
    """Up to half of the next level's own criteria met, in file order, each only while that
    level stays out of reach: an organisation ready for Silver already does some Gold things."""
    from accredit.domain.scoring.scoring import score

    if levels >= len(standard.levels):
        return answers
    above = standard.levels[levels].id
    best = fill(standard, profile, levels + 1, evidence_id)
    result = score(standard, profile, answers)
    own = [c for c in standard.criteria if c.level == above and result.criterion(c.id).applicable]
    current = dict(answers)
    for criterion in own[: len(own) // 2]:
        trial = dict(current)
        for question in criterion.questions:
            if question.key in best:
                trial[question.key] = best[question.key]
        if criterion.evidence.required:
            trial[criterion.evidence_key] = [evidence_id]
        if not score(standard, profile, trial).level(above).ready:
            current = trial
    return current


def _short_of(
    standard: Standard, profile: dict[str, object], answers: dict[str, object], levels: int
) -> dict[str, object]:
    """Weaken optional criteria at the top wanted level until the next level is out of reach
    while the wanted one stays ready (a fully met Silver can carry Gold's weighted score)."""
    from accredit.domain.scoring.scoring import score

    if levels >= len(standard.levels):
        return answers
    top, above = standard.levels[levels - 1].id, standard.levels[levels].id
    current = dict(answers)
    for criterion in standard.criteria:
        if score(standard, profile, current).level(above).ready is False:
            break
        if criterion.level != top or criterion.mandatory:
            continue
        trial = dict(current)
        for question in criterion.questions:
            if question.key in trial and question.options:
                worst = min(question.options, key=lambda o: o.score or 0).value
                multiple = question.type is QuestionType.MULTIPLE_CHOICE
                trial[question.key] = [question.options[-1].value] if multiple else worst
        if score(standard, profile, trial).level(top).ready:
            current = trial
    return current


def cite_files(
    assessment: Assessment,
    lead: User,
    files: list[tuple[str, str, bytes]],
    storage: Storage,
    max_bytes: int = 50 * 1024 * 1024,
) -> list[EvidenceItem]:
    """Upload files (title, file name, bytes) to the organisation's library and cite each as
    evidence of a criterion that applies and already has evidence, one criterion per file in
    standard order: a demo or test pack then has real files to reproduce."""
    from accredit.data.models import EvidenceLink
    from accredit.services.evidence import evidence
    from accredit.services.evidence.scanning import NO_SCANNER

    organisation = assessment.organisation
    items = [
        evidence.add_file(
            actor=lead,
            organisation=organisation,
            title=title,
            description=f"{title}, as approved.",
            effective_date=None,
            filename=filename,
            data=data,
            storage=storage,
            scanner=NO_SCANNER,
            max_bytes=max_bytes,
        )
        for title, filename, data in files
    ]
    ws = load(assessment)
    keys = [
        c.evidence_key
        for c in ws.standard.criteria
        if isinstance(ws.answers.get(c.evidence_key), list)
    ]
    with unit_of_work():
        for item, key in zip(items, keys, strict=False):
            row = db.session.query(Answer).filter_by(assessment_id=assessment.id, key=key).one()
            row.value = [*row.value, str(item.id)]
            db.session.add(EvidenceLink(assessment_id=assessment.id, key=key, item_id=item.id))
        assessment.revision += 1
        db.session.flush()
        assessments.refresh_summary(load(assessment))
    return items


def answer_everything(assessment: Assessment, lead: User) -> int:
    """Every question the assessment shows answered, each level's criteria met where they can
    be, citing the organisation's first evidence item: the fully answered case the benches
    time beside a part-done one. Returns how many answers it now has."""
    workspace = load(assessment)
    standard, profile = workspace.standard, workspace.profile
    item = (
        db.session.query(EvidenceItem)
        .filter_by(organisation_id=assessment.organisation_id)
        .order_by(EvidenceItem.id)
        .first()
    )
    assert item is not None, "the organisation needs an evidence item to cite"
    wanted = fill(standard, profile, len(standard.levels), str(item.id))
    answers = _rest(standard, profile, {**dict(workspace.answers), **wanted}, str(item.id))
    _write(assessment, lead, answers)
    return len(answers)


def _write(assessment: Assessment, lead: User, answers: dict[str, object]) -> None:
    """Store the answers (changing those already given), then rescore, in one unit."""
    with unit_of_work():
        rows = {
            row.key: row for row in db.session.query(Answer).filter_by(assessment_id=assessment.id)
        }
        for key, value in answers.items():
            if key in rows:
                rows[key].value = value
            else:
                db.session.add(
                    Answer(assessment_id=assessment.id, key=key, value=value, updated_by_id=lead.id)
                )
        assessment.revision += 1
        assessment.last_activity_at = utcnow()
        db.session.flush()
        assessments.refresh_summary(load(assessment))
