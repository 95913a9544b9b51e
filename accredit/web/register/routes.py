"""The register's pages: a search of the awards that stand today, and each organisation's entry
at a stable address (its ODS code)."""

from __future__ import annotations

import json

from flask import Response, abort, render_template, request

from accredit.data.base import utcnow
from accredit.domain.register import open_data as fields
from accredit.services.register import open_data, register
from accredit.web.access import public
from accredit.web.helpers import settings
from accredit.web.register.blueprint import bp


@bp.route("/register")
@public
def search() -> str:
    page = register.search_page(request.args.to_dict())
    return render_template("register/search.html", view=page)


@bp.route("/register/<ods_code>")
@public
def organisation(ods_code: str) -> str:
    entries = register.entry(ods_code)
    if not entries:
        abort(404)
    return render_template("register/organisation.html", entries=entries, first=entries[0])


@bp.route("/register/data")
@public
def data() -> str:
    """The downloads, their fields and their licence."""
    return render_template("register/data.html", fields=fields)


@bp.route("/register/download.csv")
@public
def download_csv() -> Response:
    return Response(
        open_data.csv_file(settings().base_url),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{_file_name("csv")}"'},
    )


@bp.route("/register/download.json")
@public
def download_json() -> Response:
    body = json.dumps(open_data.json_document(settings().base_url), ensure_ascii=False)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{_file_name("json")}"'},
    )


def _file_name(extension: str) -> str:
    return f"accredited-organisations-{utcnow().date().isoformat()}.{extension}"
