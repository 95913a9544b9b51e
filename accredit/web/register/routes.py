"""The register's pages: a search of the awards that stand today, and each organisation's entry
at a stable address (its ODS code)."""

from __future__ import annotations

import json

from flask import Response, abort, make_response, render_template, request, url_for
from flask_login import current_user

from accredit.data.base import utcnow
from accredit.domain.register import open_data as fields
from accredit.extensions import limiter
from accredit.services.register import badges, open_data, register
from accredit.services.reports import award_verification
from accredit.web.access import public
from accredit.web.helpers import settings
from accredit.web.register.blueprint import bp
from accredit.web.security import cache_for_everyone

#: How long anyone not signed in (and any cache between) may keep a register page: a new or
#: ended award shows within five minutes.
PAGE_MAX_AGE = 300


@bp.route("/register")
@public
def search() -> Response:
    page = register.search_page(request.args.to_dict())
    return _shared(render_template("register/search.html", view=page))


@bp.route("/register/<ods_code>")
@public
def organisation(ods_code: str) -> Response:
    entries = register.entry(ods_code)
    if not entries:
        abort(404)
    first = entries[0]
    base = settings().base_url.rstrip("/")
    snippets = badges.snippets(
        first.name,
        base + url_for("register.organisation", ods_code=first.ods_code),
        base + url_for("register.badge", ods_code=first.ods_code),
    )
    return _shared(
        render_template(
            "register/organisation.html", entries=entries, first=first, snippets=snippets
        )
    )


#: Checks one address may make: enough for anyone checking a pile of certificates by hand, too
#: few to walk the space of references.
CHECKS_PER_ADDRESS = "20 per minute; 200 per hour"
#: A reference is about 25 characters; anything longer is not one.
CODE_MAX = 64


@bp.route("/register/check")
@public
@limiter.limit(CHECKS_PER_ADDRESS)
def check() -> str:
    """Is a certificate genuine (by the reference printed on it), and does its award stand
    today? Only what the certificate itself prints is shown."""
    code = " ".join(request.args.get("code", "").split())[:CODE_MAX].upper()
    award = award_verification.by_reference(code) if code else None
    found = award_verification.check(award) if award is not None else None
    return render_template("register/check.html", code=code, found=found)


@bp.route("/register/data")
@public
def data() -> Response:
    """The downloads, their fields and their licence."""
    return _shared(render_template("register/data.html", fields=fields))


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


#: How long anyone (a browser, a proxy, a page that embeds the badge) may keep a badge.
BADGE_MAX_AGE = 3600


@bp.route("/register/<ods_code>/badge.svg")
@public
def badge(ods_code: str) -> Response:
    """The organisation's badge, for its own pages to embed: the same for everyone, cached for
    an hour, answered 304 when the copy a browser holds is still right."""
    drawn = badges.badge(ods_code)
    if drawn is None:
        abort(404)
    response = cache_for_everyone(Response(drawn.svg, mimetype="image/svg+xml"), BADGE_MAX_AGE)
    response.set_etag(drawn.etag)
    response.make_conditional(request)  # 304 and no body when If-None-Match still holds
    return response


def _shared(html: str) -> Response:
    """A register page, kept by caches when the visitor sent no cookie at all: then it is the
    page anyone gets, and no cookie goes back with it. A signed-in person's copy carries their
    name in the header, and any session's answer may renew its cookie: never kept."""
    response = make_response(html)
    if current_user.is_authenticated or request.cookies:
        response.vary.add("Cookie")
        return response
    return cache_for_everyone(response, PAGE_MAX_AGE)
