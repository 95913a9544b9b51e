"""The answers export: a row per organisation and question of the standard, with the answer,
the criterion's stored status, the comments on the criterion and its evidence count.

Built for a million rows and more. Assessments are read a chunk at a time (their answers,
summaries, comments and cited evidence titles in one query each: a few dozen queries for
10,000 organisations, never one per row). Everything that repeats is encoded once by the
writer's codec and reused: a question's four cells once per standard version, each distinct
answer once per question, an organisation's name once, a criterion's verdict once per distinct
verdict. A row is then four pieces joined, rather than ten cells written afresh.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from accredit.data.models import Cohort
from accredit.data.queries.cohorts import exports as queries
from accredit.data.queries.cohorts.exports import AssessedRow
from accredit.data.queries.scope import Scope
from accredit.domain.cohorts.spreadsheet import neutralise
from accredit.domain.scoring.display import evidence_ids
from accredit.domain.scoring.results import Status
from accredit.domain.scoring.standard import Question, QuestionType, Standard
from accredit.services.assessments.known_answers import known_for_many
from accredit.services.cohorts.exports_rows import Codec, Column, ProgressFn, Rendered, Table
from accredit.services.operations.standards import pinned_standard

#: Assessments whose answers are read per round of queries.
CHUNK = 500
#: Distinct answers remembered per question; free text beyond it is encoded each time.
CACHE_LIMIT = 5000
STATUS_LABELS = {s.value: s.value.replace("_", " ").capitalize() for s in Status}

ANSWER_COLUMNS = (
    Column("ODS code", 10),
    Column("Organisation", 36),
    Column("Criterion", 10),
    Column("Criterion title", 40),
    Column("Question key", 14),
    Column("Question", 60),
    Column("Answer", 40),
    Column("Criterion status", 16),
    Column("Comments", 40),
    Column("Evidence count", 10),
)
# Where each group of cells starts (0-based columns).
_HEAD, _QUESTION, _ANSWER, _VERDICT = 0, 2, 6, 7


def answer_table(scope: Scope, cohort: Cohort, progress: ProgressFn | None = None) -> Table:
    """Every question of the standard for every organisation with an assessment in the cohort,
    in organisation order then the standard's order."""
    assessed = queries.assessed(scope, cohort.id)

    def render(codec: Codec) -> Rendered:
        renderer = _Renderer(codec)
        for org in _organisations(scope, cohort, assessed, _Plans(), progress):
            yield renderer.rows(org)

    return Table("answers", "Answers", ANSWER_COLUMNS, render)


# --- Answers as people read them -------------------------------------------------------


def _parse(raw: str | None) -> object:
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def answer_formatter(question: Question) -> Callable[[str | None], object]:
    """How a stored answer (its JSON text) reads in a cell: option labels, lists joined with
    "; ", booleans Yes/No, numbers as numbers, dates as dates; None for no answer."""
    labels = {o.value: o.label for o in question.options}
    is_date = question.type is QuestionType.DATE

    def one(value: object) -> str:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return labels.get(value, value) if isinstance(value, str) else str(value)

    def shown(raw: str | None) -> object:
        value = _parse(raw)
        if value is None or value == "" or value == []:
            return None
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, int | float):
            return value
        if isinstance(value, list):
            return neutralise("; ".join(one(v) for v in value))
        if isinstance(value, str):
            if is_date:
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    pass
            return neutralise(labels.get(value, value))
        return neutralise(json.dumps(value))

    return shown


def _evidence_text(raw: str | None, titles: Mapping[int, str]) -> str | None:
    ids = evidence_ids(_parse(raw))
    if not ids:
        return None
    return neutralise("; ".join(titles.get(i, "Removed evidence") for i in ids))


# --- What is worked out once per standard version --------------------------------------


@dataclass(frozen=True, slots=True)
class _Question:
    key: str
    #: (criterion id, criterion title, question key, question text), neutralised.
    cells: tuple[str, str, str, str]
    evidence: bool
    shown: Callable[[str | None], object]


@dataclass(frozen=True, slots=True)
class _Criterion:
    id: str
    questions: tuple[_Question, ...]


@dataclass(frozen=True, slots=True)
class _Plan:
    criteria: tuple[_Criterion, ...]
    evidence_keys: tuple[str, ...]


def _plan(standard: Standard) -> _Plan:
    criteria = []
    for criterion in standard.criteria:
        title = neutralise(criterion.title)
        questions = tuple(
            _Question(
                q.key,
                (neutralise(criterion.id), title, neutralise(q.key), neutralise(q.text)),
                q.type is QuestionType.EVIDENCE,
                answer_formatter(q),
            )
            for q in criterion.questions
        )
        criteria.append(_Criterion(criterion.id, questions))
    keys = tuple(q.key for c in criteria for q in c.questions if q.evidence)
    return _Plan(tuple(criteria), keys)


Verdicts = tuple[tuple[str | None, int | None], ...]


class _Plans:
    """Plans by the content hash of the standard each assessment is pinned to, and each
    distinct stored summary's verdicts (organisations at the same point share one)."""

    def __init__(self) -> None:
        self._plans: dict[str, _Plan] = {}
        self._verdicts: dict[tuple[str, str | None], Verdicts] = {}

    def __call__(self, row: AssessedRow) -> _Plan:
        found = self._plans.get(row.content_hash)
        if found is None:
            found = self._plans[row.content_hash] = _plan(self.standard(row))
        return found

    def standard(self, row: AssessedRow) -> Standard:
        return pinned_standard(row.standard_id, row.standard_version, row.content_hash)

    def verdicts(self, row: AssessedRow, stored: str | None) -> Verdicts:
        key = (row.content_hash, stored)
        found = self._verdicts.get(key)
        if found is None:
            criteria = _parse(stored)
            by_id: Mapping[str, Any] = criteria if isinstance(criteria, dict) else {}
            found = tuple(_verdict(by_id.get(c.id)) for c in self(row).criteria)
            if len(self._verdicts) < CACHE_LIMIT:
                self._verdicts[key] = found
        return found


def _verdict(stored: object) -> tuple[str | None, int | None]:
    """A stored [status, evidence count] as the cells show it."""
    if not isinstance(stored, list) or len(stored) < 2:
        return None, None
    status, count = stored[0], stored[1]
    return (
        STATUS_LABELS.get(status, str(status)) if status is not None else None,
        count if isinstance(count, int) and not isinstance(count, bool) else None,
    )


# --- Reading a chunk of organisations at a time ----------------------------------------


class _Organisation(NamedTuple):
    row: AssessedRow
    plan: _Plan
    answers: dict[str, str | None]
    #: (status, evidence count) for each criterion of the plan, in order.
    verdicts: Verdicts
    notes: Mapping[str, list[str]]
    titles: Mapping[int, str]


def _organisations(
    scope: Scope,
    cohort: Cohort,
    assessed: Sequence[AssessedRow],
    plans: _Plans,
    progress: ProgressFn | None,
) -> Iterator[_Organisation]:
    total = len(assessed)
    for start in range(0, total, CHUNK):
        chunk = assessed[start : start + CHUNK]
        ids = [row.assessment_id for row in chunk]
        answers: dict[int, dict[str, str | None]] = {i: {} for i in ids}
        for assessment_id, key, raw in queries.answer_texts(scope, cohort.id, ids):
            answers[assessment_id][key] = raw
        # The answers the service gives itself, as every page shows them (over anything stored).
        pinned = [(row.assessment_id, row.organisation_id, plans.standard(row)) for row in chunk]
        for assessment_id, known in known_for_many(scope, pinned).items():
            answers[assessment_id].update({k: json.dumps(v) for k, v in known.items()})
        summaries = queries.criteria_summaries(scope, cohort.id, ids)
        notes: dict[int, dict[str, list[str]]] = {}
        for assessment_id, criterion_id, body in queries.comment_bodies(scope, cohort.id, ids):
            notes.setdefault(assessment_id, {}).setdefault(criterion_id, []).append(body)
        cited = [
            item_id
            for row in chunk
            for key in plans(row).evidence_keys
            for item_id in evidence_ids(_parse(answers[row.assessment_id].get(key)))
        ]
        titles = queries.evidence_titles(scope, [row.organisation_id for row in chunk], cited)
        for row in chunk:
            yield _Organisation(
                row,
                plans(row),
                answers[row.assessment_id],
                plans.verdicts(row, summaries.get(row.assessment_id)),
                notes.get(row.assessment_id, {}),
                titles,
            )
        if progress is not None:
            progress(start + len(chunk), total)


# --- Encoding ----------------------------------------------------------------------------


#: A question as a renderer lays it out: its key, its four cells encoded (with the separator
#: that follows), the cache of its answers' encodings, and its formatter (None for evidence,
#: whose text depends on the organisation's library).
_Slot = tuple[str, str, dict[str | None, str], Callable[[str | None], object] | None]


class _Renderer:
    """An organisation's rows encoded by one codec, from pieces each encoded once: the hot
    loop of a million-row export, so a row is one join of four cached pieces."""

    def __init__(self, codec: Codec) -> None:
        self.codec = codec
        self._layouts: dict[int, tuple[tuple[str, tuple[_Slot, ...]], ...]] = {}
        self._verdicts: dict[tuple[str | None, int | None], str] = {}

    def _layout(self, plan: _Plan) -> tuple[tuple[str, tuple[_Slot, ...]], ...]:
        found = self._layouts.get(id(plan))
        if found is None:
            codec, sep = self.codec, self.codec.separator
            found = tuple(
                (
                    criterion.id,
                    tuple(
                        (
                            q.key,
                            codec(_QUESTION, *q.cells) + sep,
                            {},
                            None if q.evidence else q.shown,
                        )
                        for q in criterion.questions
                    ),
                )
                for criterion in plan.criteria
            )
            self._layouts[id(plan)] = found  # plans live as long as the export
        return found

    def rows(self, org: _Organisation) -> list[str]:
        codec, sep = self.codec, self.codec.separator
        head = codec(_HEAD, neutralise(org.row.ods_code), neutralise(org.row.name)) + sep
        answers, notes, verdicts = org.answers, org.notes, self._verdicts
        out: list[str] = []
        append = out.append
        for (criterion_id, slots), verdict in zip(
            self._layout(org.plan), org.verdicts, strict=True
        ):
            remarks = notes.get(criterion_id) if notes else None
            if remarks:
                comments = neutralise("\n".join(remarks))
                tail = sep + codec(_VERDICT, verdict[0], comments, verdict[1])
            else:
                tail = verdicts.get(verdict) or verdicts.setdefault(
                    verdict, sep + codec(_VERDICT, verdict[0], None, verdict[1])
                )
            for key, cells, known, shown in slots:
                raw = answers.get(key)
                answer = known.get(raw)
                if answer is None:
                    if shown is None:
                        answer = codec(_ANSWER, _evidence_text(raw, org.titles))
                    else:
                        answer = codec(_ANSWER, shown(raw))
                        if len(known) < CACHE_LIMIT:
                            known[raw] = answer
                append(f"{head}{cells}{answer}{tail}")
        return out
