"""The NHS.UK header and footer, rendered by nhsuk-frontend-jinja once and then reused.

The package's header macro costs about a millisecond a page, on every page. Its output differs
between requests only in the signed-in person's name and the sign-out form, so we render it
once with placeholders and fill them in: the markup is always exactly the package's.
"""

from __future__ import annotations

from flask import current_app, url_for
from markupsafe import Markup, escape

from accredit.config import Settings
from accredit.domain.service import SERVICE_NAME as SERVICE

_NAME, _FORM = "\x00account-name\x00", "\x00account-form\x00"

_HEADER = """{% from "nhsuk/components/header/macro.jinja" import header %}{{ header({
  "service": {"text": service, "href": home},
  "logo": {"href": home},
  "account": {"items": [{"text": name, "icon": true}, {"html": form}]} if signed_in else none,
  "navigation": {"items": []}
}) }}"""
_FOOTER = """{% from "nhsuk/components/footer/macro.jinja" import footer %}{{ footer({
  "meta": {"items": [
    {"href": register, "text": "Register of accredited organisations"},
    {"href": accessibility, "text": "Accessibility statement"},
    {"href": privacy, "text": "Privacy notice"}
  ]},
  "copyright": "\u00a9 " ~ issuer
}) }}"""


def _cached(key: tuple[str, ...], source: str, **context: object) -> str:
    cache: dict[tuple[str, ...], str] = current_app.extensions.setdefault("accredit.layout", {})
    html = cache.get(key)
    if html is None:
        html = current_app.jinja_env.from_string(source).render(**context)
        cache[key] = html
    return html


def nhs_header(account_name: str | None = None, account_form: str | None = None) -> Markup:
    home = url_for("pages.index")
    signed_in = account_name is not None
    html = _cached(
        ("header", home, str(signed_in)),
        _HEADER,
        service=SERVICE,
        home=home,
        signed_in=signed_in,
        name=_NAME,
        form=Markup(_FORM),
    )
    if signed_in:
        html = html.replace(_NAME, str(escape(account_name))).replace(
            _FORM, str(account_form or "")
        )
    return Markup(html)


def issuer_name() -> str:
    """Who issues awards and runs the service (ACCREDIT_ISSUER_NAME)."""
    settings: Settings = current_app.extensions["accredit.settings"]
    return settings.issuer_name


def nhs_footer() -> Markup:
    accessibility = url_for("pages.accessibility_statement")
    privacy = url_for("pages.privacy_notice")
    register = url_for("register.search")
    return Markup(
        _cached(
            ("footer", accessibility, privacy, register),
            _FOOTER,
            accessibility=accessibility,
            privacy=privacy,
            register=register,
            issuer=issuer_name(),
        )
    )
