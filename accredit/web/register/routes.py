"""The register's pages: a search of the awards that stand today, and each organisation's entry
at a stable address (its ODS code)."""

from __future__ import annotations

from flask import abort, render_template, request

from accredit.services.register import register
from accredit.web.access import public
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
