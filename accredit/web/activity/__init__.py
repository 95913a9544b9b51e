"""The annual activity return: an organisation's figures for each financial year."""

from flask import Blueprint

bp = Blueprint("activity", __name__)

from accredit.web.activity import routes  # noqa: E402,F401
