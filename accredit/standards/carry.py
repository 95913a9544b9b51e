"""Which answers carry over from one version of a standard to another: the rule the next cycle
uses when an organisation starts again from its previous answers, and the what-if simulation
uses to rescore a cohort under a newer version.

Answers are matched by key, as `diff` matches criteria and questions by id. An answer carries
over when the new version still asks the same question with the same type (a changed type
would turn a "yes" into nonsense for a number or a date) and the service does not answer it
itself, or when it is the evidence of a
criterion the new version still has. Evidence keeps only the items still in the organisation's
library. The mapping depends only on the two versions, so it is worked out once per pair.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass

from accredit.domain.scoring.evidence import is_evidence_key
from accredit.domain.scoring.standard import Standard


@dataclass(frozen=True, slots=True)
class CarryOver:
    """The answer keys of the old version that the new version takes, and which hold evidence."""

    old: str  # "weqs 2026.1"
    new: str
    keys: frozenset[str]
    evidence_keys: frozenset[str]

    def answers(
        self, answers: Mapping[str, object], live_evidence: Container[str] | None = None
    ) -> dict[str, object]:
        """The answers the new version starts with. With `live_evidence` (the ids of the
        organisation's evidence that is not removed), evidence outside it is dropped, and an
        evidence answer left empty is not carried."""
        keys = self.keys
        carried = {k: v for k, v in answers.items() if v is not None and k in keys}
        for key in self.evidence_keys.intersection(carried):
            value = carried[key]
            if isinstance(value, list) and live_evidence is not None:
                value = [v for v in value if v in live_evidence]
            if isinstance(value, list) and value:
                carried[key] = value
            else:
                del carried[key]
        return carried


_PAIRS: dict[tuple[str, str], CarryOver] = {}


def carry_over(old: Standard, new: Standard) -> CarryOver:
    """The carry-over from `old` to `new`, made once per pair of texts (content hashes name
    immutable texts)."""
    pair = (old.content_hash, new.content_hash)
    found = _PAIRS.get(pair)
    if found is None:
        found = _PAIRS[pair] = _build(old, new)
    return found


def _build(old: Standard, new: Standard) -> CarryOver:
    old_types = {q.key: q.type for q in old.questions}
    # A question the new version's service answers itself (`answered_by`) is never carried:
    # whatever an organisation typed under that key before meant something else.
    same_questions = {
        q.key
        for q in new.questions
        if q.key in old_types and old_types[q.key] is q.type and q.answered_by is None
    }
    evidence_of_criteria = {c.evidence_key for c in new.criteria}
    keys = frozenset(same_questions | evidence_of_criteria)
    return CarryOver(
        old=f"{old.id} {old.version}",
        new=f"{new.id} {new.version}",
        keys=keys,
        evidence_keys=frozenset(k for k in keys if is_evidence_key(new, k)),
    )
