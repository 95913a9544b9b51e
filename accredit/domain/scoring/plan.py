"""The scoring plan: everything about a standard that scoring needs, compiled once.
Scoring one criterion has two steps. *Observe* reads the answers: for each question, hidden,
missing, or what it scored (only "answered" for unscored questions), plus the evidence count.
*Judge* turns that observation into a `CriterionResult`. The judgement depends on nothing else, and
observations repeat endlessly across assessments (there are only so many ways to answer two yes/no
questions), so each criterion memoises its judgements. That keeps scoring a whole standard to one
cheap pass over the answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from accredit.domain.scoring.answers import Normaliser, normaliser
from accredit.domain.scoring.conditions import (
    Predicate,
    answer_keys_used,
    compile_condition,
    describe,
    profile_fields_used,
)
from accredit.domain.scoring.results import CriterionResult, Status
from accredit.domain.scoring.standard import (
    ChoiceScoring,
    Criterion,
    LevelRule,
    NumberScoring,
    Question,
    QuestionType,
    Standard,
)

#: Score of an answer that reaches a `partly_` bound.
PARTLY = 0.5
#: Option score sums this close to 1 count as 1.
TOLERANCE = 1e-6


class _Hidden:
    __slots__ = ()

    def __repr__(self) -> str:
        return "HIDDEN"


#: Observation of a question whose show_if is false.
HIDDEN = _Hidden()
#: Judgements kept per criterion before the memo is emptied (bounds memory on adversarial input).
MEMO_LIMIT = 4096

NA_HIDDEN = "Does not apply: none of its questions apply given earlier answers"
UNANSWERED = "Not answered yet"
MET = "Met"
NO_EVIDENCE = "Evidence is required but none is attached"
PARTLY_MANDATORY = "Mandatory: 'partly' does not meet a mandatory criterion"
AWAITING_PROFILE = "Answer the organisation profile first"

Scorer = Callable[[object], float]


@dataclass(frozen=True, slots=True)
class Judgement:
    """A criterion's result plus what the aggregation needs from it, precomputed."""

    result: CriterionResult
    applicable: bool
    weighted: float  # weight x credit
    mandatory_ok: bool
    met: bool


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    key: str
    required: bool
    show_if: Predicate | None
    normalise: Normaliser
    score: Scorer | None  # None: not scored
    is_evidence: bool
    store: bool  # a later condition reads this answer
    #: A later show_if of the same criterion reads this answer on the way to a scored question, so
    #: leaving it blank (when required) leaves the criterion unanswered rather than not applicable.
    gate: bool
    #: For yes/no, yes/partly/no and single choice: option value -> observation (score, or True
    #: when unscored), letting the scorer skip the normalise and score calls on its hot path.
    table: dict[str, object] | None = None


@dataclass(frozen=True, slots=True)
class PlannedCriterion:
    criterion: Criterion
    position: int  # in file order
    section_index: int
    level_index: int
    weight: float
    mandatory: bool  # mandatory and the rule enforces it
    needs_evidence: bool  # evidence required and the rule makes it a condition of "met"
    evidence_key: str
    applies: Predicate | None
    #: Profile fields its `applies_if` reads.
    gating: frozenset[str]
    questions: tuple[PlannedQuestion, ...]
    not_applicable: Judgement
    partly_credit: float
    partly_meets_mandatory: bool
    #: When every question is a single-valued choice with no show_if that no condition reads,
    #: (answer key, table) pairs: the scorer then observes the criterion in one comprehension.
    simple: tuple[tuple[str, dict[str, object]], ...] | None = None
    memo: dict[tuple[tuple[object, ...], int], Judgement] = field(
        default_factory=dict, compare=False
    )

    def judge(self, observed: tuple[object, ...], evidence: int) -> Judgement:
        """The judgement for an observation (memoised; see the module docstring)."""
        key = (observed, evidence)
        judgement = self.memo.get(key)
        if judgement is None:
            judgement = self._judge(observed, evidence)
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            self.memo[key] = judgement
        return judgement

    def awaiting(self, unknown: frozenset[str]) -> Judgement:
        """The judgement while `unknown` (profile fields its `applies_if` reads, unanswered)
        leave open whether the criterion applies: unanswered, no credit, and a mandatory one
        unmet, so an empty profile never switches a criterion off."""
        fields = tuple(sorted(unknown & self.gating))
        key = (("profile", *fields), -1)  # evidence counts are never negative: no clash
        judgement = self.memo.get(key)
        if judgement is None:
            judgement = self._make(
                Status.UNANSWERED, AWAITING_PROFILE, 0.0, 0.0, 0, (), awaiting=fields
            )
            self.memo[key] = judgement
        return judgement

    def _judge(self, observed: tuple[object, ...], evidence: int) -> Judgement:
        total, scored, answered, short, evidence, gate_missing, missing = self._tally(
            observed, evidence
        )
        if scored == 0 and not gate_missing:
            # Answered gates hide every scored question: nothing to judge and no evidence owed, but
            # other visible required questions still count for completeness.
            return self._make(Status.NOT_APPLICABLE, NA_HIDDEN, 0.0, 0.0, evidence, tuple(missing))
        # From here a scored question is visible, or a required gate that could reveal one is blank
        # (then nothing scored is answered and the criterion is unanswered).
        no_evidence = self.needs_evidence and evidence == 0
        if no_evidence:
            missing.append(self.evidence_key)
        status, credit, reason = self._verdict(total, scored, answered, short, no_evidence)
        if no_evidence and status is not Status.MET and reason != NO_EVIDENCE:
            reason = f"{reason}; {_lower(NO_EVIDENCE)}"
        mean = total / scored if scored else 0.0
        return self._make(status, reason, credit, mean, evidence, tuple(missing), no_evidence)

    def _tally(
        self, observed: tuple[object, ...], evidence: int
    ) -> tuple[float, int, int, int, int, bool, list[str]]:
        """One pass over the observation: the points, how many questions are scored, answered
        and short of full marks, the evidence count, whether a required gate is blank, and the
        required questions left blank. Plain counters, no allocation per question: this runs for
        every observation the memo has not seen."""
        total = 0.0
        scored = answered = short = 0
        gate_missing = False
        missing: list[str] = []
        for q, seen in zip(self.questions, observed, strict=True):
            if seen is HIDDEN:
                continue
            if seen is None:
                if q.required:
                    missing.append(q.key)
                    gate_missing = gate_missing or q.gate
                scored += q.score is not None
                continue
            if q.is_evidence:
                evidence += seen  # type: ignore[operator]
            if q.score is not None:
                points = float(seen)  # type: ignore[arg-type]
                total += points
                scored += 1
                answered += 1
                short += points < 1.0
        return total, scored, answered, short, evidence, gate_missing, missing

    def _verdict(
        self, total: float, scored: int, answered: int, short: int, no_evidence: bool
    ) -> tuple[Status, float, str]:
        """Status, credit and reason of an applicable criterion from its tally (the missing
        evidence note is added by the caller)."""
        unanswered = scored - answered
        if answered == 0:
            return Status.UNANSWERED, 0.0, UNANSWERED
        if short == 0 and unanswered == 0:
            if no_evidence:
                return Status.PARTLY_MET, self.partly_credit, NO_EVIDENCE
            return Status.MET, 1.0, MET
        if total <= 0.0:
            return Status.NOT_MET, 0.0, _shortfall("Not met", short, answered, unanswered)
        reason = _shortfall("Partly met", short, answered, unanswered)
        if self.mandatory and not self.partly_meets_mandatory:
            reason = f"{PARTLY_MANDATORY} ({_lower(reason)})"
        return Status.PARTLY_MET, self.partly_credit, reason

    def _make(
        self,
        status: Status,
        reason: str,
        credit: float,
        score: float,
        evidence: int,
        missing: tuple[str, ...],
        no_evidence: bool = False,
        awaiting: tuple[str, ...] = (),
    ) -> Judgement:
        applicable = status is not Status.NOT_APPLICABLE
        # `partly_meets_mandatory` lets "partly" answers through, never missing required evidence.
        mandatory_ok = (
            not self.mandatory
            or not applicable
            or status is Status.MET
            or (status is Status.PARTLY_MET and self.partly_meets_mandatory and not no_evidence)
        )
        c = self.criterion
        result = CriterionResult(
            id=c.id,
            section_id=c.section_id,
            level=c.level,
            status=status,
            reason=reason,
            credit=credit,
            score=score,
            weight=c.weight,
            mandatory=c.mandatory,
            mandatory_ok=mandatory_ok,
            evidence=evidence,
            missing=missing,
            awaiting_profile=awaiting,
            _level_index=self.level_index,
            _position=self.position,
        )
        return Judgement(result, applicable, c.weight * credit, mandatory_ok, status is Status.MET)


@dataclass(frozen=True, slots=True)
class Plan:
    criteria: tuple[PlannedCriterion, ...]
    scopes: tuple[frozenset[int], ...]  # level indexes in each level's scope
    #: Own criteria each level needs met (`min_met`; capped at those that apply when scoring).
    min_met: tuple[int, ...]
    #: Profile fields any `applies_if` reads (a profile missing one needs the slower check).
    gating: frozenset[str] = frozenset()


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _shortfall(prefix: str, short: int, answered: int, unanswered: int) -> str:
    parts = []
    if short:
        verb = "falls" if short == 1 else "fall"
        parts.append(f"{short} of {_plural(answered, 'answer')} {verb} short")
    if unanswered:
        parts.append(f"{_plural(unanswered, 'question')} not answered yet")
    return f"{prefix}: {'; '.join(parts)}" if parts else prefix


def _scorer(question: Question) -> Scorer | None:
    if not question.scored:
        return None
    table = {o.value: (o.score or 0.0) for o in question.options}
    scoring = question.scoring
    if question.type is QuestionType.NUMBER:
        assert isinstance(scoring, NumberScoring)
        return _number_scorer(scoring)
    if question.type is QuestionType.MULTIPLE_CHOICE:
        if isinstance(scoring, ChoiceScoring) and scoring.method == "count":
            counted = frozenset(o.value for o in question.options if o.score != 0)
            met, partly = scoring.met_at_least or 1, scoring.partly_at_least

            def count(selected: object) -> float:
                n = len(counted.intersection(selected))  # type: ignore[arg-type]
                return 1.0 if n >= met else PARTLY if partly is not None and n >= partly else 0.0

            return count

        def total(selected: object) -> float:
            value = 0.0
            for v in selected:  # type: ignore[attr-defined]
                value += table[v]
            return 1.0 if value >= 1 - TOLERANCE else value

        return total
    return table.__getitem__  # type: ignore[return-value]


def _table(question: Question) -> dict[str, object] | None:
    single = (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE)
    if question.type not in single:
        return None
    if not question.scored:
        return {o.value: True for o in question.options}
    return {o.value: (o.score or 0.0) for o in question.options}


def _simple(
    questions: tuple[PlannedQuestion, ...],
) -> tuple[tuple[str, dict[str, object]], ...] | None:
    if all(q.table is not None and q.show_if is None and not q.store for q in questions):
        return tuple((q.key, q.table) for q in questions if q.table is not None)
    return None


def _number_scorer(s: NumberScoring) -> Scorer:
    if s.met_at_least is not None:
        low, partly_low = s.met_at_least, s.partly_at_least
        return lambda v: (
            1.0 if v >= low else PARTLY if partly_low is not None and v >= partly_low else 0.0  # type: ignore[operator]
        )
    high, partly_high = s.met_at_most, s.partly_at_most
    return lambda v: (
        1.0 if v <= high else PARTLY if partly_high is not None and v <= partly_high else 0.0  # type: ignore[operator]
    )


def _gates(criterion: Criterion) -> set[str]:
    """Keys of the criterion's questions that its scored questions' show_if read, directly or
    through other questions of the criterion (a gate may open a question that opens another)."""
    own = {q.key: q for q in criterion.questions}
    gates: set[str] = set()
    pending = [q for q in criterion.questions if q.scored]
    while pending:
        question = pending.pop()
        if question.show_if is None:
            continue
        for key in answer_keys_used(question.show_if):
            if key in own and key not in gates:
                gates.add(key)
                pending.append(own[key])
    return gates


def compile_plan(standard: Standard) -> Plan:
    rule = standard.readiness
    referenced: set[str] = set()
    for question in standard.questions:
        if question.show_if is not None:
            referenced |= answer_keys_used(question.show_if)
    section_index = {s.id: i for i, s in enumerate(standard.sections)}
    criteria = []
    for position, c in enumerate(standard.criteria):
        gates = _gates(c)
        questions = tuple(
            PlannedQuestion(
                key=q.key,
                required=q.validation.required,
                show_if=compile_condition(q.show_if) if q.show_if is not None else None,
                normalise=normaliser(q),
                score=_scorer(q),
                is_evidence=q.type is QuestionType.EVIDENCE,
                store=q.key in referenced,
                gate=q.key in gates,
                table=_table(q),
            )
            for q in c.questions
        )
        planned = PlannedCriterion(
            criterion=c,
            position=position,
            section_index=section_index[c.section_id],
            level_index=standard.level_index(c.level),
            weight=c.weight,
            mandatory=c.mandatory and rule.mandatory_must_be_met,
            needs_evidence=c.evidence.required and rule.evidence_required_for_met,
            evidence_key=c.evidence_key,
            applies=compile_condition(c.applies_if) if c.applies_if is not None else None,
            gating=frozenset(profile_fields_used(c.applies_if)) if c.applies_if else frozenset(),
            questions=questions,
            not_applicable=None,  # type: ignore[arg-type]  # filled just below
            partly_credit=rule.partly_credit,
            partly_meets_mandatory=rule.partly_meets_mandatory,
            simple=_simple(questions),
        )
        reason = f"Does not apply: only when {describe(c.applies_if)}" if c.applies_if else ""
        na = planned._make(Status.NOT_APPLICABLE, reason, 0.0, 0.0, 0, ())
        object.__setattr__(planned, "not_applicable", na)
        criteria.append(planned)
    scopes = tuple(
        frozenset(range(i + 1) if standard.rule_for(level) is LevelRule.CUMULATIVE else (i,))
        for i, level in enumerate(standard.levels)
    )
    min_met = tuple(level.min_met for level in standard.levels)
    gating = frozenset().union(*(c.gating for c in criteria))
    return Plan(criteria=tuple(criteria), scopes=scopes, min_met=min_met, gating=gating)


def plan_for(standard: Standard) -> Plan:
    """The standard's plan, compiled on first use and kept on the (immutable) standard."""
    plan = standard._plan
    if not isinstance(plan, Plan):
        plan = compile_plan(standard)
        object.__setattr__(standard, "_plan", plan)
    return plan
