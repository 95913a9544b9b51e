"""The readiness report page, for the organisation and HEE staff (through their scope)."""

from __future__ import annotations

from flask import render_template

from accredit.services.reports import report
from accredit.web.access import current_scope, signed_in
from accredit.web.helpers import may_edit, settings, workspace_or_404
from accredit.web.reports.blueprint import bp


@bp.route("/assessments/<int:assessment_id>/report", endpoint="report")
@signed_in
def report_page(assessment_id: int) -> str:
    ws = workspace_or_404(assessment_id)
    return render_template(
        "reports/report.html",
        report=report.build(ws, scope=current_scope(), settings=settings()),
        assessment=ws.assessment,
        editable=may_edit(ws.assessment),
    )
