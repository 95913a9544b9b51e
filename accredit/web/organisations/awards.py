"""An award's certificate: organisation staff of its organisation and HEE staff whose scope
allows the organisation download it; anyone else is told it does not exist (404)."""

from __future__ import annotations

from io import BytesIO

from flask import abort, current_app, send_file
from werkzeug.wrappers import Response

from accredit.data.queries.review.awards import award_by_id
from accredit.domain.review.awards import AwardStatus
from accredit.services.reports import certificates
from accredit.services.reports.printing import Printing
from accredit.web.access import current_scope, signed_in
from accredit.web.helpers import settings, signed_in_user
from accredit.web.organisations.blueprint import bp


@bp.route("/awards/<int:award_id>/certificate.pdf")
@signed_in
def award_certificate(award_id: int) -> Response:
    award = award_by_id(current_scope(), award_id)
    # A withdrawn award's certificate is not handed out again (the verify page still knows it).
    if award is None or award.status is AwardStatus.WITHDRAWN:
        abort(404)
    try:
        printing = Printing.of(current_app, settings())
        made = certificates.certificate(settings(), printing, award, signed_in_user())
    except certificates.CertificateUnavailable:
        abort(404)
    response = send_file(
        BytesIO(made.data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=made.file_name,
        etag=made.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
