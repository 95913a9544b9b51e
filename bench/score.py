"""Benchmark: load the shipped WEQS standard and score 10,000 random assessments.

Run from the repository root: `.venv/bin/python bench/score.py`. Each figure is printed beside its
target; the script exits 1 if any target is missed. Data is random but seeded, so runs compare.
"""

from __future__ import annotations

import datetime as dt
import gc
import random
import sys
import time
from pathlib import Path

from accredit.domain.scoring import score
from accredit.domain.standard import (
    ProfileFieldType,
    Question,
    QuestionType,
    Standard,
    StandardStatus,
)
from accredit.standards import StandardFileError, load_standard
from accredit.standards.loader import clear_cache

ROOT = Path(__file__).resolve().parents[1]
ASSESSMENTS = 10_000
SEED = 20260401
TARGETS = {"load": 1.0, "score": 2.0}


def shipped_weqs() -> Path:
    """The newest published WEQS version, or the test fixture until content exists."""
    published = []
    for path in sorted((ROOT / "standards" / "weqs").glob("*.yaml")):
        try:
            standard = load_standard(path)
        except StandardFileError as exc:
            print(exc, file=sys.stderr)
            continue
        if standard.status is StandardStatus.PUBLISHED:
            published.append((standard.effective, standard.version, path))
    if published:
        return max(published)[2]
    return ROOT / "tests" / "unit" / "fixtures" / "mini.yaml"


def random_profile(standard: Standard, rng: random.Random) -> dict[str, object]:
    profile: dict[str, object] = {}
    for field in standard.profile_fields:
        if field.type is ProfileFieldType.BOOLEAN:
            profile[field.id] = rng.random() < 0.5
        elif field.type is ProfileFieldType.CHOICE:
            profile[field.id] = rng.choice(field.options).value
        else:
            profile[field.id] = rng.randint(0, 5000)
    return profile


def best_answer(question: Question) -> object:
    """The answer that scores highest (what a mature organisation would say)."""
    kind = question.type
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return max(question.options, key=lambda o: o.score or 0.0).value
    if kind is QuestionType.MULTIPLE_CHOICE:
        return [o.value for o in question.options if o.score != 0]
    scoring = question.scoring
    if kind is QuestionType.NUMBER and scoring is not None:
        return getattr(scoring, "met_at_least", None) or getattr(scoring, "met_at_most", 0)
    return None


def random_answer(question: Question, rng: random.Random, maturity: float) -> object:
    if rng.random() < maturity:
        best = best_answer(question)
        if best is not None:
            return best
    kind = question.type
    values = [o.value for o in question.options]
    if kind in (QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE):
        return rng.choice(values)
    if kind is QuestionType.MULTIPLE_CHOICE:
        return rng.sample(values, rng.randint(0, len(values)))
    if kind is QuestionType.NUMBER:
        return rng.choice([rng.randint(0, 20), rng.randint(0, 500), round(rng.uniform(0, 100), 1)])
    if kind is QuestionType.DATE:
        return (dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))).isoformat()
    if kind is QuestionType.URL:
        return f"https://example.org/{rng.randint(1, 999)}"
    if kind is QuestionType.EVIDENCE:
        return [f"ev-{rng.randint(1, 99)}" for _ in range(rng.randint(1, 3))]
    return rng.choice(["Head of education", "Workforce lead", "Learning and development"])


def random_answers(standard: Standard, rng: random.Random) -> dict[str, object]:
    """An organisation of random maturity: the more mature, the more best answers and evidence.

    Some questions are left blank or hold junk, as stored answers sometimes do.
    """
    maturity = rng.random() ** 0.25
    answers: dict[str, object] = {}
    for question in standard.questions:
        roll = rng.random()
        if roll < 0.05 + 0.9 * maturity:
            answers[question.key] = random_answer(question, rng, maturity)
        elif roll < 0.97:
            continue
        else:
            answers[question.key] = rng.choice(["", "maybe", 7, None, ["x"]])
    for criterion in standard.criteria:
        if rng.random() < maturity:
            answers[criterion.evidence_key] = [f"ev-{rng.randint(1, 99)}"]
    return answers


def main() -> int:
    path = shipped_weqs()
    clear_cache()
    started = time.perf_counter()
    standard = load_standard(path, check_location=path.parent.parent.name == "standards")
    load_seconds = time.perf_counter() - started

    rng = random.Random(SEED)
    cases = [
        (random_profile(standard, rng), random_answers(standard, rng)) for _ in range(ASSESSMENTS)
    ]
    # The generated inputs (about a million objects) are harness data, not scoring work: move them
    # out of the garbage collector's way so the figure measures scoring. Results stay collected.
    gc.collect()
    gc.freeze()
    started, cpu_started = time.perf_counter(), time.process_time()
    results = [score(standard, profile, answers) for profile, answers in cases]
    score_seconds = time.perf_counter() - started
    score_cpu = time.process_time() - cpu_started

    levels: dict[str | None, int] = {}
    for result in results:
        levels[result.highest_level] = levels.get(result.highest_level, 0) + 1
    spread = ", ".join(
        f"{level or 'none'} {count}" for level, count in sorted(levels.items(), key=str)
    )

    print(
        f"standard: {path.relative_to(ROOT)} ({standard.id} {standard.version}, "
        f"{len(standard.criteria)} criteria, {len(standard.questions)} questions)"
    )
    figures = [
        ("load", "load and validate the standard (no cache)", load_seconds),
        ("score", f"score {ASSESSMENTS:,} assessments", score_seconds),
    ]
    missed = 0
    for key, label, seconds in figures:
        target = TARGETS[key]
        ok = seconds < target
        missed += not ok
        print(f"{label}: {seconds:.2f} s (target < {target:.2f} s){'' if ok else '  MISSED'}")
    print(
        f"per assessment: {score_seconds / ASSESSMENTS * 1e6:.0f} us "
        f"(one process; CPU {score_cpu:.2f} s); highest levels: {spread}"
    )
    if missed:
        print(f"bench/score.py: {missed} of {len(figures)} targets missed")
        return 1
    print(f"bench/score.py: all {len(figures)} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
