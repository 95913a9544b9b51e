"""Answer templates for `accredit seed-bench`: a few dozen realistic answer sets per profile, each
scored once by the real engine, so thousands of organisations can share them and their stored
summaries still tell the truth about their answers.

A template is built from the standard's data (`demo_assessments.fill`: the best answers for the
wanted levels), then varied: fewer sections, the rest answered plainly, optional criteria
weakened, answers left out or worsened at random, always checked against the level the stage
promises. Evidence answers cite a placeholder that the seeder swaps for each organisation's own
evidence item (one item, so every count stays what the template was scored with).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.scoring.evidence import is_evidence_key
from accredit.domain.scoring.questionnaire import completion, gaps, profile_for, section_progress
from accredit.domain.scoring.results import Result
from accredit.domain.scoring.scoring import score
from accredit.domain.scoring.standard import QuestionType, Standard
from accredit.seed.demo_assessments import _rest, _short_of, fill
from accredit.services.assessments.assessments import summary_values

#: What template answers cite as evidence, replaced by the organisation's evidence item id.
EVIDENCE = "0"


class BenchStage(StrEnum):
    NOT_STARTED = "not started"
    STARTED = "started, nothing answered"
    PART_DONE = "part done"
    BRONZE = "ready for Bronze"
    SILVER = "ready for Silver"
    GOLD = "ready for Gold"
    SUBMITTED = "submitted"


#: How many different answer sets each stage has (per profile).
VARIANTS = {
    BenchStage.STARTED: 1,
    BenchStage.PART_DONE: 5,
    BenchStage.BRONZE: 3,
    BenchStage.SILVER: 3,
    BenchStage.GOLD: 3,
    BenchStage.SUBMITTED: 3,
}

#: The level a stage's answers must reach (None: below Bronze); submitted ones by variant.
_LEVEL = {BenchStage.BRONZE: "bronze", BenchStage.SILVER: "silver", BenchStage.GOLD: "gold"}
_SUBMITTED_AS = (BenchStage.BRONZE, BenchStage.SILVER, BenchStage.GOLD)


@dataclass(frozen=True, slots=True)
class Template:
    """Answers (key, value, whether the value cites evidence) and the summary the engine gave."""

    answers: tuple[tuple[str, object, bool], ...]
    summary: dict[str, Any]

    @property
    def level(self) -> str | None:
        return self.summary["level_reached"]


def summary_of(result: Result, completion_percent: float) -> dict[str, Any]:
    """The stored summary's values, exactly as a save stores them (minus the time)."""
    return summary_values(result, completion_percent)


Answers = dict[str, object]


class Templates:
    """Templates made on first use and kept, by stage, variant and scoring profile."""

    def __init__(self, standard: Standard, seed: int) -> None:
        self.standard = standard
        self.seed = seed
        self._made: dict[tuple[BenchStage, int, tuple[tuple[str, object], ...]], Template] = {}

    def profile(self, org_type: str, flags: Mapping[str, object]) -> dict[str, object]:
        return profile_for(org_type, dict(flags), self.standard)

    def get(self, stage: BenchStage, variant: int, profile: dict[str, object]) -> Template:
        key = (stage, variant, tuple(sorted(profile.items())))
        if key not in self._made:
            rng = random.Random(f"{self.seed}:{stage}:{variant}:{key[2]}")
            answers = self._answers(stage, variant, profile, rng)
            self._made[key] = self._scored(answers, profile)
        return self._made[key]

    def ladder(self, stage: BenchStage, variant: int, profile: dict[str, object]) -> list[Template]:
        """The templates an organisation passed through on its way to this one (oldest first),
        for its weekly progress points."""
        steps: list[tuple[BenchStage, int]] = [(BenchStage.STARTED, 0)]
        if stage is BenchStage.PART_DONE:
            steps += [(BenchStage.PART_DONE, v) for v in range(variant)]
        elif stage is not BenchStage.STARTED:
            top = _SUBMITTED_AS[variant] if stage is BenchStage.SUBMITTED else stage
            steps += [(BenchStage.PART_DONE, 0), (BenchStage.PART_DONE, 2)]
            steps += [(level, 0) for level in _SUBMITTED_AS[: _SUBMITTED_AS.index(top)]]
            if stage is BenchStage.SUBMITTED:
                steps.append((top, 1))  # every question answered, then sent
        if stage is not BenchStage.STARTED:
            steps.append((stage, variant))
        return [self.get(s, v, profile) for s, v in steps]

    def _scored(self, answers: Answers, profile: dict[str, object]) -> Template:
        result = score(self.standard, profile, answers)
        done = completion(section_progress(self.standard, result, answers))
        rows = tuple(
            (key, value, is_evidence_key(self.standard, key)) for key, value in answers.items()
        )
        return Template(rows, summary_of(result, done))

    def _answers(
        self, stage: BenchStage, variant: int, profile: dict[str, object], rng: random.Random
    ) -> Answers:
        s, p = self.standard, profile
        if stage is BenchStage.STARTED:
            return {}
        if stage is BenchStage.PART_DONE:
            if variant < 4:
                answers = fill(s, p, 1, EVIDENCE, (1, 2, 4, 6)[variant])
                return self._degrade(answers, p, rng, 3, drop=True, keep=lambda r: True)
            # Everything answered, but a mandatory Bronze criterion is not met yet.
            answers = _rest(s, p, fill(s, p, 1, EVIDENCE), EVIDENCE)
            return self._break_mandatory(answers, p)
        if stage is BenchStage.SUBMITTED:
            top = _SUBMITTED_AS[variant]
            answers = self._full(top, p)
            return self._degrade(answers, p, rng, 4, drop=False, keep=self._submittable(top, p))
        wanted = _LEVEL[stage]
        answers = self._level_answers(stage, variant, p)
        if score(s, p, answers).highest_level != wanted:
            answers = self._full(stage, p)
        return self._degrade(answers, p, rng, 2 + 3 * variant, drop=True, keep=self._at(wanted))

    def _full(self, stage: BenchStage, profile: dict[str, object]) -> Answers:
        """Every question answered, ready for the stage's level and not the next."""
        levels = ("bronze", "silver", "gold").index(_LEVEL[stage]) + 1
        s = self.standard
        answers = _rest(s, profile, fill(s, profile, levels, EVIDENCE), EVIDENCE)
        return _short_of(s, profile, answers, levels)

    def _level_answers(
        self, stage: BenchStage, variant: int, profile: dict[str, object]
    ) -> Answers:
        s, p = self.standard, profile
        levels = ("bronze", "silver", "gold").index(_LEVEL[stage]) + 1
        if variant == 1:
            return self._full(stage, p)
        answers = fill(s, p, levels, EVIDENCE)
        if variant == 2 and levels < 3:
            # Some of the next level started too: more answered, still short of it.
            answers = {**fill(s, p, levels + 1, EVIDENCE, 4), **answers}
        return _short_of(s, p, answers, levels)

    def _at(self, level: str) -> Callable[[Result], bool]:
        return lambda result: result.highest_level == level

    def _submittable(
        self, stage: BenchStage, profile: dict[str, object]
    ) -> Callable[[Result], bool]:
        level = _LEVEL[stage]
        return lambda result: result.highest_level == level and not gaps(self.standard, result)

    def _degrade(
        self,
        answers: Answers,
        profile: dict[str, object],
        rng: random.Random,
        tries: int,
        drop: bool,
        keep: Callable[[Result], bool],
    ) -> Answers:
        """Leave out (`drop`) or worsen a few random answers, each change kept only while the
        result still passes `keep`: answer sets that look less machine-made."""
        current = dict(answers)
        keys = [k for k in current if not is_evidence_key(self.standard, k)]
        for key in rng.sample(keys, min(tries, len(keys))):
            trial = dict(current)
            question = self.standard.question(key)
            if drop:
                del trial[key]
            elif question.options:
                worst = min(question.options, key=lambda o: o.score or 0).value
                multiple = question.type is QuestionType.MULTIPLE_CHOICE
                trial[key] = [question.options[-1].value] if multiple else worst
            else:
                continue
            if keep(score(self.standard, profile, trial)):
                current = trial
        return current

    def _break_mandatory(self, answers: Answers, profile: dict[str, object]) -> Answers:
        """Worsen the first mandatory Bronze criterion that can fail, so Bronze is blocked."""
        for criterion in self.standard.criteria:
            if not criterion.mandatory or criterion.level != self.standard.levels[0].id:
                continue
            for question in criterion.questions:
                if question.key in answers and question.options:
                    trial = dict(answers)
                    trial[question.key] = min(question.options, key=lambda o: o.score or 0).value
                    if score(self.standard, profile, trial).highest_level is None:
                        return trial
        return answers


def submitted_statuses(rng: random.Random) -> AssessmentStatus:
    """Where a submitted assessment has got to with HEE."""
    roll = rng.random()
    if roll < 0.5:
        return AssessmentStatus.SUBMITTED
    if roll < 0.7:
        return AssessmentStatus.IN_REVIEW
    if roll < 0.9:
        return AssessmentStatus.ACCEPTED
    return AssessmentStatus.RETURNED
