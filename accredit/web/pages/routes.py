"""Pages that need no data beyond the signed-in user and the service's settings."""

from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from accredit.data.queries.accounts import organisations as org_queries
from accredit.web.access import current_scope, public, signed_in
from accredit.web.helpers import settings
from accredit.web.pages.blueprint import bp


@bp.route("/")
@public
def index() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    return render_template("pages/index.html")


@bp.route("/home")
@signed_in
def home() -> str:
    scope = current_scope()
    organisations = org_queries.visible_organisations(scope) if not scope.is_hee else []
    return render_template("pages/home.html", organisations=organisations)


@bp.route("/accessibility-statement")
@public
def accessibility_statement() -> str:
    return render_template("pages/accessibility-statement.html")


@bp.route("/privacy-notice")
@public
def privacy_notice() -> str:
    """What is kept and for how long, read from the retention settings in force."""
    return render_template(
        "pages/privacy-notice.html",
        periods=settings().retention_periods(),
        days=lambda n: f"{n:,} day{'' if n == 1 else 's'}",
    )
