"""WSGI entry point: ``gunicorn wsgi:app``."""

from accredit import create_app

app = create_app()
