"""A worker warms up before its first request: every template compiled, the stored standards
parsed, and no database connection left for a forked worker to share."""

from __future__ import annotations

from accredit.services.operations import standards as stored_standards
from accredit.services.operations.warm_up import warm
from accredit.standards import loader


def test_warm_compiles_every_template_and_parses_the_stored_standards(app, standards_loaded):
    loader.clear_cache()
    stored_standards._BY_HASH.clear()
    compiled = warm(app)
    environment = app.jinja_env
    names = [n for n in environment.list_templates() if n.endswith(".html")]
    assert compiled >= len(names) > 50
    # Jinja keeps each compiled template in the environment's cache, keyed by its loader.
    cached = {key[1] for key in environment.cache}
    assert set(names) <= cached
    assert "cohorts/dashboard.html" in cached
    assert stored_standards._BY_HASH, "the stored standards were not parsed"
    assert app.extensions["accredit.db"].engine.pool.checkedout() == 0


def test_warm_on_a_database_without_a_schema_still_starts(tmp_path):
    from accredit import create_app

    app = create_app({"instance_path": tmp_path, "secret_key": "warm-test"})
    assert warm(app) > 50


def test_workers_that_run_jobs_themselves_import_weasyprint_while_warming(app, monkeypatch):
    from accredit.services.reports import packs

    prepared = []
    monkeypatch.setattr(packs, "prepare", lambda: prepared.append(True))
    warm(app)  # no Redis: packs are made in the web workers
    assert prepared == [True]
    monkeypatch.setattr(app.extensions["accredit.settings"], "redis_url", "redis://127.0.0.1:1")
    warm(app)  # with Redis the RQ workers make them, and import it themselves
    assert prepared == [True]


def test_nothing_a_first_request_needs_is_imported_by_the_request(tmp_path):
    """A fresh process that has warmed up imports no module while it signs someone in."""
    import subprocess
    import sys

    script = """
import re, sys
from accredit import create_app
from accredit.services.operations.warm_up import warm
from accredit.data.migrate import upgrade
from accredit.extensions import db
app = create_app({"instance_path": sys.argv[1], "secret_key": "warm-test"})
upgrade(db.engine)
warm(app)
client = app.test_client()
page = client.get("/sign-in").text
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
before = set(sys.modules)
answer = client.post(
    "/sign-in", data={"csrf_token": token, "email": "no.one@example.org", "password": "x"}
)
assert "Enter a correct email address and password" in answer.text, answer.status_code
print(sorted(set(sys.modules) - before))
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "[]", done.stdout


def test_with_redis_a_worker_imports_rq_while_warming_not_on_its_first_queued_job(tmp_path):
    import subprocess
    import sys

    script = """
import sys
from accredit import create_app
from accredit.services.operations.warm_up import warm
settings = {"instance_path": sys.argv[1], "secret_key": "warm-test"}
warm(create_app({**settings, "redis_url": "redis://127.0.0.1:1/0"}))
print("rq" in sys.modules, "weasyprint" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # RQ queues the packs; the RQ worker draws them, so the web worker never loads WeasyPrint.
    assert done.stdout.split() == ["True", "False"]
