"""Is this evidence pack or award certificate genuine? HEE staff upload the file, or paste its
fingerprint (or a certificate's reference).

A file is genuine when its bytes are exactly those of a pack the service made (every pack made
is kept by its SHA-256). A file that claims a known fingerprint (in its metadata or on its
pages) but whose bytes differ has been changed since it was made: edited, re-saved or printed
to PDF again, so it cannot be trusted as it stands. Anything else is not a pack from here.
Certificates follow the same rule against the digests recorded when each was handed out
(``services/reports/award_verification.py``), and the page also says whether the award is valid
today.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO

from pypdf import PdfReader

from accredit.data.models import Assessment, Pack, Snapshot
from accredit.data.queries.reports.packs import (
    packs_with_file,
    packs_with_fingerprint,
    snapshots_with_fingerprint,
)
from accredit.domain.review.fingerprint import fingerprint as fingerprint_of
from accredit.domain.review.fingerprint import looks_like_fingerprint
from accredit.services.assessments.workspace import load
from accredit.services.reports import award_verification, fingerprints
from accredit.services.reports.award_verification import AwardCheck
from accredit.services.reports.pdf_claims import claimed

log = logging.getLogger("accredit.verify")
_KEYWORD = re.compile(r"accredit-fingerprint:([0-9a-f]{64})")
_PRINTED = re.compile(r"Fingerprint\s+([0-9a-f]{64})")


class Verdict(StrEnum):
    GENUINE = "genuine"  # the exact file we made
    KNOWN = "known"  # a fingerprint we stored (pasted)
    CHANGED = "changed"  # claims a known fingerprint, but the file is not ours as made
    UNKNOWN = "unknown"  # a fingerprint nobody stored
    NOT_A_PACK = "not_a_pack"  # no fingerprint to be found


@dataclass(frozen=True, slots=True)
class Match:
    snapshot: Snapshot
    assessment: Assessment
    packs: list[Pack]
    #: Whether the assessment still has this fingerprint (nothing changed since).
    still_current: bool


@dataclass
class Outcome:
    verdict: Verdict
    fingerprint: str | None = None
    matches: list[Match] = field(default_factory=list)
    pack: Pack | None = None
    #: Awards made on this fingerprint, or the one a certificate names.
    awards: list[AwardCheck] = field(default_factory=list)
    #: What was checked: "pack" or "certificate" (a pasted fingerprint of an award).
    document: str = "pack"
    #: The certificate reference an upload or a pasted value named.
    reference: str | None = None


def _certificate(verdict: Verdict, reference: str, award: AwardCheck | None) -> Outcome:
    awards = [award] if award else []
    fingerprint = award.award.fingerprint if award else None
    return Outcome(verdict, fingerprint, [], None, awards, "certificate", reference)


def check_fingerprint(text: str) -> Outcome:
    """A pasted fingerprint (of a snapshot, and so of any pack or award made from it) or a
    certificate reference."""
    if award_verification.looks_like_reference(text):
        reference = text.strip().upper()
        award = award_verification.by_reference(reference)
        found = award_verification.check(award) if award else None
        return _certificate(Verdict.KNOWN if found else Verdict.UNKNOWN, reference, found)
    value = text.strip().lower()
    if not looks_like_fingerprint(value):
        return Outcome(Verdict.NOT_A_PACK)
    matches = _matches(value)
    awards = award_verification.by_fingerprint(value)
    verdict = Verdict.KNOWN if matches or awards else Verdict.UNKNOWN
    return Outcome(
        verdict, value, matches, awards=awards, document="certificate" if awards else "pack"
    )


def check_file(upload: bytes | IO[bytes]) -> Outcome:
    """Check an uploaded file, given as bytes or a binary stream (read in chunks: a pack with
    its evidence can be large)."""
    stream = io.BytesIO(upload) if isinstance(upload, bytes) else upload
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    packs = packs_with_file(digest.hexdigest())
    if packs:
        pack = packs[0]
        return Outcome(Verdict.GENUINE, pack.fingerprint, _matches(pack.fingerprint), pack)
    reference, claimed = _claims(stream)
    if reference is not None:
        return _check_certificate(reference, digest.hexdigest())
    if claimed is None:
        return Outcome(Verdict.NOT_A_PACK)
    matches = _matches(claimed)
    return Outcome(Verdict.CHANGED if matches else Verdict.UNKNOWN, claimed, matches)


def _check_certificate(reference: str, digest: str) -> Outcome:
    award = award_verification.by_reference(reference)
    if award is None:
        return _certificate(Verdict.UNKNOWN, reference, None)
    genuine = award_verification.issued(award, digest)
    found = award_verification.check(award)
    return _certificate(Verdict.GENUINE if genuine else Verdict.CHANGED, reference, found)


def _claims(data: bytes | IO[bytes]) -> tuple[str | None, str | None]:
    """(certificate reference, fingerprint) a PDF claims, each None when it says nothing or is
    not a readable PDF. A certificate is recognised first: it carries a fingerprint too."""
    try:
        reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
        reference = award_verification.claimed_reference(reader)
        return reference, None if reference else _fingerprint_in(reader)
    except Exception as error:  # best effort: pypdf raises many kinds on damaged files
        log.info("Nothing could be read from an upload: %s", type(error).__name__)
        return None, None


def claimed_fingerprint(data: bytes | IO[bytes]) -> str | None:
    """The fingerprint a PDF says it has: in its metadata keywords, else printed on its first
    page. None when it is not a readable PDF or says nothing."""
    try:
        return _fingerprint_in(PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data))
    except Exception as error:  # best effort: pypdf raises many kinds on damaged files
        log.info("No fingerprint could be read from an upload: %s", type(error).__name__)
        return None


def _fingerprint_in(reader: PdfReader) -> str | None:
    return claimed(reader, _KEYWORD, _PRINTED)


def _matches(fingerprint: str) -> list[Match]:
    packs = packs_with_fingerprint(fingerprint)
    found = []
    for snapshot, assessment in snapshots_with_fingerprint(fingerprint):
        # The stored snapshot must still hash to its fingerprint: a row edited in the database
        # does not vouch for anything.
        if fingerprint_of(snapshot.data) != fingerprint:
            continue
        current = fingerprints.current(load(assessment)).fingerprint
        found.append(
            Match(
                snapshot,
                assessment,
                [p for p in packs if p.assessment_id == assessment.id],
                current == fingerprint,
            )
        )
    return found
