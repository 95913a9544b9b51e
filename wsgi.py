"""WSGI entry point: ``gunicorn wsgi:app``.

Each worker warms up as it loads the app (templates compiled, standards parsed: see
``accredit.services.operations.warm_up``), before gunicorn hands it a request.
"""

from accredit import create_app
from accredit.services.operations.warm_up import warm

app = create_app()
warm(app)
