"""The service with ACCREDIT_STORAGE_URL pointing at an S3-compatible server (moto, started on
127.0.0.1 by tests/support/object_store.py; skipped with the reason when it cannot start):
evidence uploaded through the pages lands in the bucket and nowhere on local disk, comes back
byte for byte, and an evidence pack made by a background job reads it from there."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from pypdf import PdfReader

from accredit.config import Settings
from accredit.data.models import (
    Answer,
    Assessment,
    EvidenceFile,
    EvidenceItem,
    EvidenceLink,
    User,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.assessments.workspace import load
from accredit.services.jobs import backends as job_backends
from tests.integration.evidence_helpers import add, added_item, base
from tests.support import files
from tests.support.forms import csrf_token
from tests.support.html import page
from tests.support.object_store import KEY_ID, SECRET, ObjectStore, object_store_fixture  # noqa: F401

POLICY = files.pdf("Safeguarding policy", 2)


@pytest.fixture
def s3(settings: Settings, object_store: ObjectStore) -> str:
    """Point the test's settings at a new bucket (before the app is made from them)."""
    bucket = object_store.new_bucket()
    settings.storage_url = object_store.url(bucket, "accredit")
    settings.storage_key_id, settings.storage_secret = KEY_ID, SECRET
    return bucket


def _keys(object_store: ObjectStore, bucket: str, area: str) -> list[str]:
    return [k for k in object_store.keys(bucket) if k.startswith(f"accredit/{area}/")]


def _local_files(settings: Settings) -> list[str]:
    root = settings.instance_path
    found = [p for p in root.rglob("*") if p.is_file()] if root.exists() else []
    return [str(p.relative_to(root)) for p in found if p.parts[-2:][0] != "outbox"]


def test_uploaded_evidence_lives_in_the_bucket_and_downloads_whole(
    s3,
    object_store,
    clients,
    org,
    settings,
):
    lead = clients[Role.ORG_LEAD]
    item = added_item(add(lead, org, data=POLICY, filename="Safeguarding policy.pdf"))
    version = db.session.query(EvidenceFile).filter_by(item_id=item.id).one()
    assert version.sha256 == hashlib.sha256(POLICY).hexdigest()
    assert _keys(object_store, s3, "evidence") == [
        f"accredit/evidence/{version.sha256[:2]}/{version.sha256}"
    ]
    stored = [name for name in _local_files(settings) if "evidence" in name]
    assert stored == []  # nothing under instance/evidence

    response = lead.get(f"{base(org)}/{item.id}/versions/1/download")
    assert response.status_code == 200
    assert response.data == POLICY
    assert response.mimetype == "application/pdf"
    # HEE staff read the same object.
    again = clients[Role.HEE_ADMIN].get(f"{base(org)}/{item.id}/versions/1/download")
    assert again.data == POLICY


def test_a_refused_upload_puts_nothing_in_the_bucket(s3, object_store, clients, org):
    response = add(clients[Role.ORG_LEAD], org, data=files.elf(), filename="policy.pdf")
    assert response.status_code == 200
    assert (
        "The selected file is a program" in page(response).select_one(".nhsuk-error-summary").text
    )
    assert object_store.keys(s3) == []
    assert db.session.query(EvidenceItem).count() == 0


def test_an_unreachable_bucket_fails_the_upload_and_records_nothing(
    s3,
    object_store,
    clients,
    org,
    settings,
):
    """A wrong bucket is an error the operator must see, and no item may point at bytes that
    were never kept."""
    settings.storage_url = object_store.url("no-such-bucket", "accredit")
    response = add(clients[Role.ORG_LEAD], org, data=POLICY)
    assert response.status_code == 500
    db.session.rollback()
    assert db.session.query(EvidenceItem).count() == 0


def test_an_object_missing_from_the_bucket_is_a_404_not_a_crash(
    s3,
    object_store,
    clients,
    org,
):
    lead = clients[Role.ORG_LEAD]
    item = added_item(add(lead, org, data=POLICY))
    object_store.client().delete_object(Bucket=s3, Key=_keys(object_store, s3, "evidence")[0])
    assert lead.get(f"{base(org)}/{item.id}/versions/1/download").status_code == 404


def _cite(assessment_id: int, item_id: int) -> None:
    """Cite the item as evidence of the first criterion that already has evidence listed, as
    the criterion page's evidence picker does."""
    assessment = db.session.get(Assessment, assessment_id)
    ws = load(assessment)
    key = next(
        c.evidence_key
        for c in ws.standard.criteria
        if isinstance(ws.answers.get(c.evidence_key), list)
    )
    with unit_of_work():
        row = db.session.query(Answer).filter_by(assessment_id=assessment_id, key=key).one()
        row.value = [*row.value, str(item_id)]
        db.session.add(EvidenceLink(assessment_id=assessment_id, key=key, item_id=item_id))


def test_an_evidence_pack_is_made_from_the_bucket(
    s3,
    object_store,
    clients,
    people,
    org,
    enrol,
    settings,
):
    lead = clients[Role.ORG_LEAD]
    person = db.session.get(User, people[Role.ORG_LEAD].id)
    assessment_id = seed_stage(enrol(org), person, Stage.BRONZE).id
    item = added_item(add(lead, org, data=POLICY, title="Safeguarding policy"))
    _cite(assessment_id, item.id)

    url = f"/assessments/{assessment_id}/pack"
    response = lead.post(url, data={"csrf_token": csrf_token(lead, url), "scope": "all"})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert job_backends.drain(120)
    status = lead.get(job_url + "/status").get_json()
    assert status["status"] == "done", status
    pack = lead.get(status["download"])
    assert pack.status_code == 200 and pack.data.startswith(b"%PDF")

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages)
    assert "Safeguarding policy, page 2" in " ".join(text.split())  # read from the bucket
    packs_kept = _keys(object_store, s3, "packs")
    assert len(packs_kept) == 1 and re.search(r"/[0-9a-f]{64}$", packs_kept[0])
    assert not any(name.startswith(("evidence", "packs")) for name in _local_files(settings))


def test_a_backup_takes_the_bucket_files_and_a_restore_puts_them_in_another_bucket(
    s3, object_store, clients, org, settings, tmp_path
):
    """``accredit backup``/``restore`` list and copy stored files through the same storage
    interface, so an instance on object storage is backed up whole (see Production)."""
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("the bucket side is the same on PostgreSQL (test_backup covers its dumps)")
    from accredit.data.database import make_engine
    from accredit.services.operations.backup import create_backup, restore_backup

    added_item(add(clients[Role.ORG_LEAD], org, data=POLICY))
    digest = hashlib.sha256(POLICY).hexdigest()
    manifest = create_backup(settings, db.engine, tmp_path / "backup")
    assert f"files/evidence/{digest[:2]}/{digest}" in [entry.path for entry in manifest.files]

    other_bucket = object_store.new_bucket()
    (tmp_path / "restored").mkdir()
    restored = Settings(
        instance_path=tmp_path / "restored" / "instance",
        database_url=f"sqlite:///{tmp_path / 'restored' / 'accredit.db'}",
        secret_key="restored",
        storage_url=object_store.url(other_bucket, "accredit"),
        storage_key_id=KEY_ID,
        storage_secret=SECRET,
    )
    engine = make_engine(restored.database_url)
    try:
        summary = restore_backup(restored, engine, tmp_path / "backup")
    finally:
        engine.dispose()
    assert summary.files == len(manifest.files) - 1  # every file but the database dump
    assert f"accredit/evidence/{digest[:2]}/{digest}" in object_store.keys(other_bucket)
    from accredit.services.storage.stores import storage_for

    assert storage_for(restored).read(digest) == POLICY
