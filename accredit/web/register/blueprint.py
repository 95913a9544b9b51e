"""This blueprint's object, apart from its routes so that they can import it."""

from flask import Blueprint

bp = Blueprint("register", __name__)
