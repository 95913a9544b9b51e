"""``/audit-trail``: the trail, newest first, filtered by URL arguments; one event; the CSV export.

HEE admins only (the decorator refuses everyone else with 403; the queries return nothing
for any other scope as well).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, abort, render_template, request, stream_with_context

from accredit.domain.operations.audit_trail import (
    FILTER_FIELDS,
    changes,
    parse_filter,
    parse_page,
    summary,
)
from accredit.services.cohorts.exports_csv import CSV_MEDIA_TYPE
from accredit.services.operations import audit_trail
from accredit.web.access import current_scope, hee_admin_only
from accredit.web.audit_trail.blueprint import bp
from accredit.web.helpers import signed_in_user


@bp.route("/audit-trail")
@hee_admin_only
def index() -> str:
    parsed = parse_filter(request.args)
    scope = current_scope()
    page = audit_trail.events_page(scope, parsed.filter, parse_page(request.args.get("page")))
    return render_template(
        "audit_trail/index.html",
        filter=parsed.filter,
        errors=parsed.errors,
        fields=FILTER_FIELDS,
        page=page,
        actions=audit_trail.actions(scope),
        summary=summary,
    )


@bp.route("/audit-trail/events/<int:event_id>")
@hee_admin_only
def event(event_id: int) -> str:
    row = audit_trail.event(current_scope(), event_id)
    if row is None:
        abort(404)
    return render_template(
        "audit_trail/event.html",
        row=row,
        changes=changes(row.event.before, row.event.after),
        back_args=parse_filter(request.args).filter.query_args(),
    )


@bp.route("/audit-trail/export.csv")
@hee_admin_only
def export_csv() -> Response:
    parsed = parse_filter(request.args)
    chunks = audit_trail.csv_export(current_scope(), signed_in_user(), parsed.filter)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d-%H%M")
    response = Response(stream_with_context(chunks), mimetype=CSV_MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response
