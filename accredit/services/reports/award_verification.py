"""Is this certificate genuine, and is its award valid today? The verify page's half for awards.

A certificate names its award twice: by reference (``WEQS-2026-000123-3F9A``, in its metadata
keywords and printed on it) and by fingerprint. An uploaded file is genuine only when its bytes
hash to a certificate the service recorded handing out for that award (see
``services/reports/certificates.py`` for why digests are kept rather than files regenerated); a file
naming a real award with other bytes has been changed and is not to be trusted as it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pypdf import PdfReader

from accredit.data.base import utcnow
from accredit.data.models import Award
from accredit.data.queries.review.awards import (
    award_for_verification,
    awards_with_fingerprint,
    issued_certificates,
)
from accredit.domain.review.certificates import (
    Standing,
    matches_reference,
    parse_reference,
    standing,
)
from accredit.services.reports.certificates import reference_of
from accredit.services.reports.pdf_claims import claimed

_KEYWORD = re.compile(r"accredit-certificate:([A-Za-z0-9-]+)")
_PRINTED = re.compile(r"Certificate reference\s+([A-Z][A-Z0-9]*-\d{4}-\d{6,}-[0-9A-F]{4})")


@dataclass(frozen=True, slots=True)
class AwardCheck:
    """An award as the verify page shows it."""

    award: Award
    reference: str
    standing: Standing


def check(award: Award, today: date | None = None) -> AwardCheck:
    today = today or utcnow().date()
    return AwardCheck(award, reference_of(award), standing(award.status, award.expires_on, today))


def by_reference(text: str) -> Award | None:
    """The award a typed reference names; None when no award matches it in every part."""
    ref = parse_reference(text)
    if ref is None:
        return None
    award = award_for_verification(ref.award_id)
    if award is None or not matches_reference(
        ref, award.standard_id, award.awarded_on, award.id, award.fingerprint
    ):
        return None
    return award


def looks_like_reference(text: str) -> bool:
    return parse_reference(text) is not None


def by_fingerprint(fingerprint: str) -> list[AwardCheck]:
    return [check(a) for a in awards_with_fingerprint(fingerprint)]


def claimed_reference(reader: PdfReader) -> str | None:
    """The reference a PDF says it is a certificate for: in its keywords, else printed on its
    first page. The caller guards against damaged files."""
    return claimed(reader, _KEYWORD, _PRINTED)


def issued(award: Award, digest: str) -> bool:
    """Whether these bytes are a certificate the service handed out for the award."""
    return digest in issued_certificates(award.id)
