"""What a web worker does before it takes its first request, so no user pays for it.

A new process compiles every template it renders, configures the ORM's mappers, parses the
standards stored in the database, reads and tallies the peer figures of the readiness report's
benchmark, reads the chart font's metrics and imports the email address checker that WTForms
loads on the first sign-in, each on first use: a second or two at 10,000 organisations that
would otherwise fall on whoever the worker served first. Where background
jobs run in the web workers (no Redis), it imports WeasyPrint too, so the first pack does not
wait for it; with Redis, it imports RQ, which queues them. ``warm`` does it all at
start-up. ``wsgi.py`` calls it, so it runs once in gunicorn's master with ``--preload`` (the
workers share the result) or in each worker as it loads the app. It leaves no database
connection open, so forked workers never share one.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import configure_mappers

from accredit.data.queries.operations.standards import standard_versions
from accredit.extensions import db
from accredit.services.operations.standards import pinned_standard
from accredit.services.reports import benchmark, charts, packs

log = logging.getLogger("accredit.warm_up")

#: Modules imported on first use inside a request: WTForms' Email validator loads its checker
#: on the first sign-in (30 ms or more), which loads the IDNA codec as it checks the domain.
FIRST_USE_IMPORTS = ("email_validator", "encodings.idna")


def warm(app: Any) -> int:
    """Do a process's first-use work now; the number of templates compiled."""
    started = time.perf_counter()
    configure_mappers()
    charts.prepare()
    for module in FIRST_USE_IMPORTS:
        importlib.import_module(module)
    settings = app.extensions["accredit.settings"]
    if settings.redis_url:
        importlib.import_module("rq")  # a worker's first queued job: 100 modules, 80 ms or more
    else:
        packs.prepare()
    environment = app.jinja_env
    names = [name for name in environment.list_templates() if _is_template(name)]
    for name in names:
        environment.get_template(name)
    with app.app_context():
        try:
            for stored in standard_versions():
                standard = pinned_standard(stored.standard_id, stored.version, stored.content_hash)
                sections = [section.id for section in standard.sections]
                benchmark.keep_for(settings, stored.standard_id, stored.version, sections)
        except SQLAlchemyError:
            # Not migrated yet: the first request parses what it needs once there is a schema.
            log.warning("standards not warmed: the database has no schema yet")
        finally:
            db.remove()
    if db.engine is not None:
        db.engine.dispose()  # forked workers must each open their own connections
    log.info(
        "warmed up", extra={"templates": len(names), "ms": (time.perf_counter() - started) * 1e3}
    )
    return len(names)


def _is_template(name: str) -> bool:
    return name.endswith((".html", ".jinja", ".txt", ".xml")) and "/." not in name
