"""A standard version as immutable data: what the YAML in standards/ becomes once loaded and
validated.
Nothing here knows about YAML, files or the web. Build instances through `accredit.standards.loader`
so that the cross-checks (unique ids, earlier-only references, reachable levels) hold; the
dataclasses themselves only index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from accredit.domain.scoring.conditions import Condition

#: Reserved question id: the answer key "<criterion id>/evidence" records the criterion's attached
#: evidence.
EVIDENCE = "evidence"


class StandardStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    #: Replaced by a later version: still scores the assessments pinned to it, but no cohort can
    #: start on it.
    SUPERSEDED = "superseded"
    RETIRED = "retired"


class LevelRule(StrEnum):
    """Which criteria a level's weighted score is taken over (see standards/README.md)."""

    #: The level's own criteria only, so lower levels' weights cannot carry it.
    OWN = "own"
    #: The level's criteria and those of every lower level.
    CUMULATIVE = "cumulative"


class ProfileFieldType(StrEnum):
    BOOLEAN = "boolean"
    CHOICE = "choice"
    NUMBER = "number"


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    YES_PARTLY_NO = "yes_partly_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"
    URL = "url"
    EVIDENCE = "evidence"


#: Types that carry `options`.
CHOICE_TYPES = frozenset(
    {
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MULTIPLE_CHOICE,
    }
)
#: Types scored unless `scored: false` (numbers are scored only with a `scoring` block).
SCORED_BY_DEFAULT = CHOICE_TYPES


class ServiceFact(StrEnum):
    """What a question's `answered_by` may name: facts the service answers "yes" or "no" from
    its own records, so nobody types them (see `accredit.domain.scoring.known_answers`)."""

    ACTIVITY_RETURN_DUE = "activity_return_due"
    ACTIVITY_RETURN_SUBMITTED = "activity_return_submitted"

    @property
    def description(self) -> str:
        return _FACT_DESCRIPTIONS[self]


_FACT_DESCRIPTIONS = {
    ServiceFact.ACTIVITY_RETURN_DUE: (
        "An activity return was due for the last financial year: the organisation took part "
        "in an earlier assessment cycle during that year (a first cycle owes none)"
    ),
    ServiceFact.ACTIVITY_RETURN_SUBMITTED: (
        "The organisation has submitted its activity return for the last financial year"
    ),
}


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str
    score: float | None = None
    hint: str = ""


#: Built-in options of the yes/no types; a standard may relabel or rescore them but not change the
#: values.
YES_NO_OPTIONS = (Option("yes", "Yes", 1.0), Option("no", "No", 0.0))
YES_PARTLY_NO_OPTIONS = (
    Option("yes", "Yes", 1.0),
    Option("partly", "Partly", 0.5),
    Option("no", "No", 0.0),
)


@dataclass(frozen=True, slots=True)
class ProfileField:
    id: str
    label: str
    type: ProfileFieldType
    options: tuple[Option, ...] = ()
    #: Help shown under the question on the profile page.
    hint: str = ""


@dataclass(frozen=True, slots=True)
class Level:
    id: str
    name: str
    colour: str
    threshold: float
    description: str = ""
    #: This level's rule when it differs from `readiness.level_rule`.
    rule: LevelRule | None = None
    #: Own criteria that must be met (capped at the number that apply).
    min_met: int = 0
    #: The share of own criteria `standards check` requires to be needed, when it differs from
    #: `readiness.min_own_share`.
    min_own_share: float | None = None


@dataclass(frozen=True, slots=True)
class ReadinessRule:
    level_rule: LevelRule = LevelRule.OWN
    mandatory_must_be_met: bool = True
    partly_meets_mandatory: bool = False
    evidence_required_for_met: bool = True
    partly_credit: float = 0.5
    #: `standards check` reports a level reachable with fewer than this share of its own
    #: criteria met (0: only a level reachable with none of them).
    min_own_share: float = 0.0

    @property
    def cumulative(self) -> bool:
        return self.level_rule is LevelRule.CUMULATIVE


@dataclass(frozen=True, slots=True)
class NumberScoring:
    """Exactly one of the `met_` bounds is set; the matching `partly_` bound is optional."""

    met_at_least: float | None = None
    partly_at_least: float | None = None
    met_at_most: float | None = None
    partly_at_most: float | None = None


@dataclass(frozen=True, slots=True)
class ChoiceScoring:
    """`sum`: selected scores added, capped at 1. `count`: selected options (score != 0) counted."""

    method: str = "sum"
    met_at_least: int | None = None
    partly_at_least: int | None = None


Scoring = NumberScoring | ChoiceScoring


@dataclass(frozen=True, slots=True)
class Validation:
    required: bool = True
    min: float | None = None
    max: float | None = None
    max_length: int | None = None


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    criterion_id: str
    text: str
    type: QuestionType
    hint: str = ""
    options: tuple[Option, ...] = ()
    scoring: Scoring | None = None
    scored: bool = False
    validation: Validation = Validation()
    show_if: Condition | None = None
    #: The service answers this question from its own records; users never type it.
    answered_by: ServiceFact | None = None
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.criterion_id}/{self.id}")

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True, slots=True)
class EvidenceSpec:
    required: bool = False
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    section_id: str
    title: str
    level: str
    questions: tuple[Question, ...]
    guidance: str = ""
    mandatory: bool = False
    weight: float = 1.0
    applies_if: Condition | None = None
    evidence: EvidenceSpec = EvidenceSpec()
    tags: tuple[str, ...] = ()

    @property
    def evidence_key(self) -> str:
        """Answer key under which evidence attached to this criterion is recorded."""
        return f"{self.id}/{EVIDENCE}"

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(f"{self.id}/{question_id}")


def _words(slug: str) -> str:
    """A tag's words: dashes are spaces, except in "pre-" ("pre-placement" stays hyphenated)."""
    words = slug.replace("pre-", "pre\0").replace("-", " ").replace("\0", "-")
    return words.capitalize()


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    criteria: tuple[Criterion, ...]
    description: str = ""
    alignment: str = ""

    @property
    def aligned_to(self) -> str:
        """The alignment tag in words: "hee:placement-induction" -> "HEE: Placement induction"
        (a short scheme before the colon is an acronym); "" when the file does not say."""
        scheme, _, name = self.alignment.partition(":")
        if not name:
            return _words(scheme)
        owner = scheme.upper() if len(scheme) <= 4 else scheme.replace("-", " ").title()
        return f"{owner}: {_words(name)}"


@dataclass(frozen=True, slots=True)
class Standard:
    id: str
    title: str
    version: str
    status: StandardStatus
    effective: dt.date
    profile_fields: tuple[ProfileField, ...]
    levels: tuple[Level, ...]
    sections: tuple[Section, ...]
    content_hash: str
    readiness: ReadinessRule = ReadinessRule()
    description: str = ""
    #: Who owns the standard the criteria are aligned to ("Fair Train"); None when the file
    #: does not say, and then nothing is said about an owner.
    owner: str | None = None
    source: str = field(default="", compare=False)
    # Indexes built once; `_plan` is a slot the scorer fills lazily with its compiled plan.
    _criteria: tuple[Criterion, ...] = field(init=False, repr=False, compare=False)
    _criteria_by_id: dict[str, Criterion] = field(init=False, repr=False, compare=False)
    _questions_by_key: dict[str, Question] = field(init=False, repr=False, compare=False)
    _levels_by_id: dict[str, int] = field(init=False, repr=False, compare=False)
    _plan: object = field(init=False, default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        criteria = tuple(c for s in self.sections for c in s.criteria)
        object.__setattr__(self, "_criteria", criteria)
        object.__setattr__(self, "_criteria_by_id", {c.id: c for c in criteria})
        object.__setattr__(
            self, "_questions_by_key", {q.key: q for c in criteria for q in c.questions}
        )
        object.__setattr__(self, "_levels_by_id", {lv.id: i for i, lv in enumerate(self.levels)})

    def __hash__(self) -> int:
        return hash((self.id, self.version, self.content_hash))

    @property
    def slug(self) -> str:
        return f"{self.id}/{self.version}"

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]

    @property
    def wording_note(self) -> str:
        """What the start page, the readiness report and the evidence pack say about the
        criteria: the wording is ours, aligned to the standard, not the standard's own text
        (which is not published in a form we can use)."""
        owned = f" (owned by {self.owner})" if self.owner else ""
        return (
            f"The criteria are this service's own wording, aligned to the {self.title}{owned}. "
            "They are not the standard's official text."
        )

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """Every criterion in file order (sections in order, criteria in order)."""
        return self._criteria

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions_by_key.values())

    @property
    def answered_by_service(self) -> tuple[Question, ...]:
        """The questions the service answers itself (`answered_by`), in file order."""
        return tuple(q for q in self._questions_by_key.values() if q.answered_by is not None)

    def criterion(self, criterion_id: str) -> Criterion:
        return self._criteria_by_id[criterion_id]

    def question(self, key: str) -> Question:
        """The question with answer key "<criterion id>/<question id>"."""
        return self._questions_by_key[key]

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def level(self, level_id: str) -> Level:
        return self.levels[self._levels_by_id[level_id]]

    def level_index(self, level_id: str) -> int:
        return self._levels_by_id[level_id]

    def rule_for(self, level: Level) -> LevelRule:
        """How `level` is reached: its own rule, else the standard's."""
        return level.rule or self.readiness.level_rule

    def own_share_for(self, level: Level) -> float:
        share = level.min_own_share
        return self.readiness.min_own_share if share is None else share

    @property
    def open_for_new_cohorts(self) -> bool:
        return self.status is StandardStatus.PUBLISHED

    def levels_up_to(self, level_id: str) -> tuple[Level, ...]:
        """The level and every lower one, lowest first."""
        return self.levels[: self._levels_by_id[level_id] + 1]

    def profile_field(self, field_id: str) -> ProfileField:
        for profile_field in self.profile_fields:
            if profile_field.id == field_id:
                return profile_field
        raise KeyError(field_id)
