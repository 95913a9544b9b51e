"""Organisations: the HEE list, an organisation's page, and inviting people."""

from flask import Blueprint

bp = Blueprint("organisations", __name__)

from accredit.web.organisations import awards, removal, routes  # noqa: E402,F401
