"""Snapshots and fingerprints: canonical, sensitive to every part an assessor relies on."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from accredit.domain.review.fingerprint import (
    EvidenceRef,
    canonical,
    cited_evidence,
    fingerprint,
    looks_like_fingerprint,
    snapshot,
)
from tests.unit.scoring_helpers import WEQS

EVIDENCE = [EvidenceRef(7, "file", "Policy", "a" * 64, 2)]


def _snap(**changes):
    values = {
        "organisation_id": 1,
        "ods_code": "RX1",
        "assessment_id": 10,
        "standard": WEQS,
        "answers": {"1.1/policy": "yes", "1.1/evidence": ["7"], "2.1/formats": ["b", "a"]},
        "statuses": {"1.1": "met", "2.1": "partly_met"},
        "evidence": EVIDENCE,
    }
    values.update(changes)
    return snapshot(**values)


def test_the_same_content_gives_the_same_fingerprint_whatever_the_order():
    one = _snap()
    other = _snap(
        answers={"2.1/formats": ["a", "b"], "1.1/evidence": ["7"], "1.1/policy": "yes"},
        statuses={"2.1": "partly_met", "1.1": "met"},
    )
    assert fingerprint(one) == fingerprint(other)
    assert looks_like_fingerprint(fingerprint(one))


def test_blank_answers_do_not_count():
    assert fingerprint(_snap()) == fingerprint(
        _snap(answers={**_snap()["answers"], "3.1/notes": "", "3.2/list": [], "3.3/x": None})
    )


def test_every_part_changes_the_fingerprint():
    base = fingerprint(_snap())
    changed = [
        _snap(answers={"1.1/policy": "no", "1.1/evidence": ["7"], "2.1/formats": ["a", "b"]}),
        _snap(statuses={"1.1": "partly_met", "2.1": "partly_met"}),
        _snap(evidence=[EvidenceRef(7, "file", "Policy", "b" * 64, 2)]),
        _snap(evidence=[EvidenceRef(7, "file", "Policy", "a" * 64, 3)]),
        _snap(assessment_id=11),
        _snap(organisation_id=2),
        _snap(comments=[{"criterion": "1.1", "author": 3, "body": "Minutes to follow"}]),
        _snap(actions=[{"criterion": "2.1", "description": "Ask the board", "status": "done"}]),
        _snap(context={"status": "submitted"}),
    ]
    assert len({base, *(fingerprint(s) for s in changed)}) == len(changed) + 1


@given(st.text(), st.lists(st.integers(0, 99)))
def test_a_stored_snapshot_read_back_gives_the_same_fingerprint(text, ids):
    """What the verify page relies on: a snapshot stored as JSON and read back re-hashes to
    the fingerprint it was stored under, whatever the answers hold."""
    data = _snap(answers={"1.1/notes": text, "1.1/evidence": [str(i) for i in ids]})
    assert fingerprint(json.loads(canonical(data))) == fingerprint(data)
    assert fingerprint(json.loads(json.dumps(data))) == fingerprint(data)


def test_cited_evidence_comes_from_evidence_keys_and_questions_only():
    evidence_question = next(
        q.key for c in WEQS.criteria for q in c.questions if q.type.value == "evidence"
    )
    answers = {
        "1.1/evidence": ["3", "4"],
        evidence_question: ["4"],
        "1.1/policy": ["99"],  # not an evidence question: ignored
        "2.1/evidence": ["not-a-number"],
    }
    cited = cited_evidence(WEQS, answers)
    assert cited == {3: ["1.1/evidence"], 4: sorted(["1.1/evidence", evidence_question])}
    # The order of ids inside an answer is not content.
    shuffled = {**answers, "1.1/evidence": ["4", "3"]}
    assert list(cited_evidence(WEQS, shuffled)) == list(cited)
