"""Scale-out: two gunicorn masters (two workers each), an RQ worker, PostgreSQL, Redis and an
S3-compatible bucket, brought up as README's "Production" section says (tests/browser/stack.py),
and one person's journey alternating between the two servers: sign in on A, answer on B,
upload evidence on A, cite it on B, ask for the evidence pack on A, watch the background job
finish and download the pack on B. Every page is checked by ``Site`` (axe included).

Skipped with the reason when PostgreSQL (ACCREDIT_TEST_POSTGRES_URL), Redis on 127.0.0.1:6379
or moto's S3 server is not there. This test is also the smoke test of the production steps:
``accredit db upgrade``, ``accredit init``, gunicorn, ``accredit worker``, /readyz.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from accredit import create_app
from accredit.config import Settings
from accredit.data.models import Assessment, Cohort, CohortMembership, Job, Organisation, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.extensions import db
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.server import PASSWORD, _hash
from tests.browser.stack import Stack, own_database, redis_url, stack_env, start_stack
from tests.browser.support import Site
from tests.support import files, profiles
from tests.support.database import postgres_url
from tests.support.object_store import ObjectStore, object_store_fixture  # noqa: F401
from tests.support.rq import redis_answers

pytestmark = pytest.mark.browser

LEAD = "lee.lead@northgate.example.nhs.uk"


@pytest.fixture
def stack(tmp_path: Path, object_store: ObjectStore) -> Iterator[Stack]:
    url = postgres_url()
    if url is None:
        pytest.skip("the scale-out test needs PostgreSQL: set ACCREDIT_TEST_POSTGRES_URL")
    if not redis_answers():
        pytest.skip("the scale-out test needs Redis on 127.0.0.1:6379")
    with own_database(url) as database_url:
        env = stack_env(database_url, object_store, object_store.new_bucket())
        running = start_stack(env, tmp_path)
        try:
            yield running
        finally:
            running.stop()
            _forget_queue(env["ACCREDIT_JOB_QUEUE"])
            db.remove()
            if db.engine is not None:
                db.engine.dispose()


def _forget_queue(queue: str) -> None:
    from redis import Redis

    connection = Redis.from_url(redis_url())
    keys = list(connection.scan_iter(f"*{queue}*"))
    if keys:
        connection.delete(*keys)


def _seed(stack: Stack, tmp_path: Path) -> Organisation:
    """An organisation in a WEQS cohort with its lead, written as HEE's admin pages would."""
    from accredit.data.queries.accounts.organisations import region_by_code

    env = stack.env
    settings = Settings(
        instance_path=tmp_path / "instance-test",
        database_url=env["ACCREDIT_DATABASE_URL"],
        secret_key=env["ACCREDIT_SECRET_KEY"],
        storage_url=env["ACCREDIT_STORAGE_URL"],
        storage_key_id=env["ACCREDIT_STORAGE_KEY_ID"],
        storage_secret=env["ACCREDIT_STORAGE_SECRET"],
        log_level="WARNING",
    )
    app = create_app(settings)
    with app.app_context(), unit_of_work() as session:
        organisation = Organisation(
            name="Northgate Hospitals NHS Foundation Trust",
            ods_code="RX1",
            org_type=OrgType.ACUTE_TRUST,
            region=region_by_code("north-east-yorkshire"),
            profile=profiles.answered(),
        )
        session.add(organisation)
        session.flush()
        cohort = Cohort(
            name="North East cohort 2026", year=2026, standard_id="weqs", standard_version="2026.1"
        )
        session.add(cohort)
        session.flush()
        session.add(CohortMembership(cohort_id=cohort.id, organisation_id=organisation.id))
        session.add(
            User(
                email=LEAD,
                name="Lee Lead",
                role=Role.ORG_LEAD,
                organisation_id=organisation.id,
                password_hash=_hash(PASSWORD),
                active=True,
                session_version=1,
            )
        )
    db.remove()
    return organisation


def test_one_journey_across_two_servers_a_worker_and_an_object_store(
    chromium: Any, stack: Stack, object_store: ObjectStore, tmp_path: Path
) -> None:
    organisation = _seed(stack, tmp_path)
    # One browser (one cookie jar: cookies do not depend on the port), a tab on each server.
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    a, b = (Site(context.new_page(), url) for url in stack.urls)
    try:
        _journey(a, b, organisation, tmp_path)
        b.page.screenshot(path=str(tmp_path / "pack-ready-on-b.png"), full_page=True)
        for site in (a, b):
            site.watch.assert_all_checked()
            site.watch.assert_clean()
    except BaseException:
        for n, site in enumerate((a, b)):
            shot = tmp_path / f"server-{n}.png"
            site.page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot of {site.page.url}: {shot}; logs in {stack.logs}")
        raise
    finally:
        context.close()

    # Both servers served the journey; each used only the shared services, not its own disk.
    for n in (0, 1):
        assert re.search(r'"GET /assessments/\d+', stack.access_log(n)), f"server {n} unused"
    local = [p for p in tmp_path.glob("instance-*/**/*") if p.is_file()]
    assert not [p for p in local if p.parent.parent.name in {"evidence", "packs"}], local
    bucket_keys = _bucket_keys(stack, object_store)
    assert any(k.startswith("accredit/evidence/") for k in bucket_keys)
    assert any(k.startswith("accredit/packs/") for k in bucket_keys)
    # The pack was made by the RQ worker from the shared queue, not inside a web server.
    from redis import Redis
    from rq import Queue
    from rq.registry import FinishedJobRegistry

    queue = Queue(stack.env["ACCREDIT_JOB_QUEUE"], connection=Redis.from_url(redis_url()))
    assert FinishedJobRegistry(queue=queue).count == 1
    job = db.session.query(Job).one()
    assert (job.kind, job.status) == ("pack", "done")
    db.remove()


def _bucket_keys(stack: Stack, object_store: ObjectStore) -> list[str]:
    bucket = stack.env["ACCREDIT_STORAGE_URL"].removeprefix("s3://").split("/", 1)[0]
    return object_store.keys(bucket)


def _journey(a: Site, b: Site, organisation: Organisation, tmp_path: Path) -> None:
    a.sign_in(LEAD, PASSWORD)
    assert "Lee Lead" in a.body_text()

    # B already knows who this is: the session cookie is signed with the shared secret key.
    b.goto("/home")
    b.follow("Self-assessment")
    b.follow("Start self-assessment")
    b.follow("Organisational commitment")
    assert b.heading() == "1.1 There is a named work experience lead"
    b.page.get_by_label("Yes", exact=True).first.check()
    b.page.get_by_label("What is their job title?").fill("Head of education")
    b.page.locator("input[name=q3][value=yes]").check()
    b.follow(b.page.get_by_role("button", name="Save and continue"))
    assert b.heading().startswith("1.2 ")
    criterion_page = b.path

    # A uploads evidence: it goes to the bucket, which B must read.
    policy = tmp_path / "Safeguarding policy.pdf"
    policy.write_bytes(files.pdf("Safeguarding policy", 2))
    a.goto("/home")
    a.follow("Evidence library")
    a.follow("Upload a file")
    a.page.locator("input[type=file][name=file]").set_input_files(str(policy))
    a.submit({"Title": "Safeguarding policy"}, "Add to the library")
    assert a.heading() == "Safeguarding policy"
    with a.page.expect_download() as download:
        a.page.get_by_role("link", name=re.compile("Download")).first.click()
    assert Path(download.value.path()).read_bytes() == policy.read_bytes()

    # B answers 1.2 citing it (the page is read again to list the new item).
    b.goto(criterion_page)
    b.page.locator("input[name=q1][value=yes]").check()
    b.page.locator("input[name=q2][value=yes]").check()
    b.page.get_by_label("Day").fill("14")
    b.page.get_by_label("Month").fill("2")
    b.page.get_by_label("Year").fill("2025")
    b.page.get_by_label("Safeguarding policy").check()
    b.follow(b.page.get_by_role("button", name="Save and continue"))
    assert b.heading().startswith("1.3 ")

    # A asks for the pack; the worker makes it; B follows the job and downloads it.
    assessment_id = _assessment_id(organisation)
    a.goto(f"/assessments/{assessment_id}/pack")
    assert a.heading() == "Evidence pack"
    a.follow(a.page.get_by_role("button", name=re.compile(r"^Make the pack\W+whole assessment")))
    job_path = a.path
    assert re.fullmatch(rf"/assessments/{assessment_id}/pack/jobs/\d+", job_path), job_path
    a.goto("/home")  # leave the progress page (its script would reload it when done)

    b.goto(job_path)
    if "ready" not in b.heading():
        # The page's script polls the job (on B) and reloads into the finished page.
        b.page.wait_for_function(
            # While the page reloads there is briefly no h1 to read.
            "() => (document.querySelector('h1')?.textContent || '').includes('ready')",
            timeout=90_000,
        )
        b.page.wait_for_load_state("load")
        b.check_page()
    assert b.heading() == "Your evidence pack is ready"
    with b.page.expect_download() as download:
        b.page.get_by_role("link", name="Download the pack (PDF)").click()
    data = Path(download.value.path()).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title.startswith("Evidence pack: Northgate Hospitals")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Head of education" in text  # B's answer
    assert "Safeguarding policy, page 2" in text  # A's upload, read from the bucket


def _assessment_id(organisation: Organisation) -> int:
    """Read from the shared database (the test process's app was made from the same one)."""
    found = db.session.query(Assessment.id).filter_by(organisation_id=organisation.id).one()
    db.remove()
    return int(found[0])
