"""Award certificates: a one-page tagged PDF, issued once and then served exactly as issued.

How a tampered certificate is caught: every certificate file the service hands out is kept
(by SHA-256, in ``instance/certificates/``) and its digest recorded in the audit trail as
``award.certificate-issued`` against the award. Later downloads serve that same file, so an
award has one certificate however often it is downloaded. The verify page calls an uploaded
certificate genuine only when its bytes hash to a digest recorded for the award it names;
naming a real award with other bytes is "changed".

We keep digests rather than regenerating a certificate to compare: a regenerated file differs
after any change to the template, the fonts or WeasyPrint, or to the organisation's name, and
every certificate already handed out would then look forged. A recorded digest stays true.
The audit trail is the record because it is append-only and already says who did what when;
no table holds certificates (a ``certificates`` table would do the same job).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import ModuleType

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Award, User
from accredit.data.queries.review.awards import (
    CERTIFICATE_ISSUED,
    award_target,
    issued_certificates,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.review.awards import is_valid
from accredit.domain.review.certificates import reference
from accredit.services.operations import audit
from accredit.services.operations.standards import latest_published
from accredit.services.reports import qr_code
from accredit.services.reports.printing import Printing
from accredit.services.storage.storage import Storage
from accredit.services.storage.stores import backend

log = logging.getLogger("accredit.certificates")

TEMPLATE = "print/certificate.html"


def certificate_storage_for(settings: Settings) -> Storage:
    return backend(settings, "certificates")


def reference_of(award: Award) -> str:
    return reference(award.standard_id, award.awarded_on, award.id, award.fingerprint)


#: The QR code's name among the certificate's own resources (``accredit:resource/...``).
QR_RESOURCE = "check-qr.svg"


@dataclass(frozen=True, slots=True)
class CertificateData:
    """What the certificate prints: the award as recorded, nothing looked up again."""

    award: Award
    reference: str
    verify_url: str
    #: The public check page, this certificate's reference filled in (printed, and in the QR).
    check_url: str
    #: Who issues the award (ACCREDIT_ISSUER_NAME when the certificate is first made: the
    #: file is kept as issued, so a later change of setting leaves it as it was).
    issuer: str
    #: Who owns the standard the criteria are aligned to, as its (immutable) version file
    #: names it; None when the file names nobody, and then the certificate names nobody.
    owner: str | None = None


def gather(settings: Settings, award: Award) -> CertificateData:
    pinned = latest_published(award.standard_id, award.standard_version)
    return CertificateData(
        award,
        reference_of(award),
        f"{settings.base_url}/verify",
        check_url(settings, reference_of(award)),
        settings.issuer_name,
        pinned[0].owner if pinned is not None else None,
    )


def html_of(data: CertificateData, printing: Printing) -> str:
    """The print layout through the app's own Jinja environment (as the evidence pack)."""
    template = printing.templates.get_template(TEMPLATE)
    return template.render(certificate=data, award=data.award, organisation=data.award.organisation)


def _pdf() -> ModuleType:
    """WeasyPrint is slow to import: only the processes that make PDFs pay for it."""
    from accredit.services.reports import pdf

    return pdf


def check_url(settings: Settings, reference: str) -> str:
    """The public check page with this certificate's reference filled in (its QR code)."""
    return f"{settings.base_url.rstrip('/')}/register/check?code={reference}"


def render(settings: Settings, printing: Printing, award: Award) -> bytes:
    pdf = _pdf()
    data = gather(settings, award)
    qr = qr_code.svg_bytes(check_url(settings, data.reference))
    fetcher = pdf.SafeFetcher(
        printing.static_folder, {QR_RESOURCE: pdf.Resource(qr, "image/svg+xml")}
    )
    return bytes(pdf.render(html_of(data, printing), fetcher).data)


@dataclass(frozen=True, slots=True)
class Certificate:
    data: bytes
    sha256: str
    reference: str

    @property
    def file_name(self) -> str:
        return f"certificate-{self.reference.lower()}.pdf"


class CertificateUnavailable(Exception):
    """The award is no longer valid and no certificate was ever issued for it."""

    def __init__(self, award: Award) -> None:
        super().__init__(f"Award {award.id} is not valid, and had no certificate issued")
        self.award = award


def certificate(settings: Settings, printing: Printing, award: Award, actor: User) -> Certificate:
    """The award's certificate as issued; made, kept and recorded the first time it is asked
    for (or again, recorded again, if its stored file has been lost: copies handed out before
    stay verifiable by their own digest)."""
    storage = certificate_storage_for(settings)
    for digest in reversed(issued_certificates(award.id)):
        try:
            return Certificate(storage.read(digest), digest, reference_of(award))
        except FileNotFoundError:
            log.warning("Certificate %s of award %s is missing from storage", digest, award.id)
    if not is_valid(award.status, award.expires_on, utcnow().date()):
        # Copies handed out while it was valid stay as issued (above); a certificate is never
        # made for the first time for an award that no longer stands.
        raise CertificateUnavailable(award)
    content = render(settings, printing, award)
    digest = storage.put(content)
    with unit_of_work():
        audit.record(
            CERTIFICATE_ISSUED,
            award_target(award.id),
            actor=actor,
            after={"sha256": digest, "reference": reference_of(award), "size": len(content)},
        )
    return Certificate(content, digest, reference_of(award))
