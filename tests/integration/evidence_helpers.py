"""Shared by the evidence tests: adding items through the pages as a browser would, or
straight through the service when a test is about what happens to the stored file."""

from __future__ import annotations

import io
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from accredit.data.models import EvidenceItem, Organisation, User
from accredit.data.transactions import unit_of_work
from accredit.extensions import db
from accredit.services.evidence import evidence
from accredit.services.evidence.scanning import NO_SCANNER
from accredit.services.storage.storage import Storage
from tests.support import files
from tests.support.forms import csrf_token


def base(organisation: Organisation | int) -> str:
    org_id = organisation if isinstance(organisation, int) else organisation.id
    return f"/organisations/{org_id}/evidence"


def add(
    client: FlaskClient,
    organisation: Organisation,
    *,
    kind: str = "file",
    data: bytes | None = None,
    filename: str = "Work experience policy.pdf",
    **fields: Any,
) -> TestResponse:
    """Post the add-evidence form as a browser would (a file part is always sent)."""
    url = f"{base(organisation)}/new"
    form: dict[str, Any] = {
        "kind": kind,
        "title": "Work experience policy",
        "description": "Approved by the board",
        "effective_date-day": "1",
        "effective_date-month": "4",
        "effective_date-year": "2025",
        "url": "",
        "statement": "",
        "csrf_token": csrf_token(client, url),
    }
    form.update(fields)
    content = files.pdf() if data is None and kind == "file" else (data or b"")
    form["file"] = (io.BytesIO(content), filename if kind == "file" else "")
    return client.post(url, data=form, content_type="multipart/form-data")


def upload_new_version(
    client: FlaskClient, item: EvidenceItem, data: bytes, filename: str, **fields: Any
) -> TestResponse:
    url = f"{base(item.organisation_id)}/{item.id}/new-version"
    form: dict[str, Any] = {
        "csrf_token": csrf_token(client, url),
        "effective_date-day": "",
        "effective_date-month": "",
        "effective_date-year": "",
        "file": (io.BytesIO(data), filename),
    }
    form.update(fields)
    return client.post(url, data=form, content_type="multipart/form-data")


def only_item() -> EvidenceItem:
    db.session.expire_all()
    return db.session.query(EvidenceItem).one()


def added_item(response: TestResponse) -> EvidenceItem:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    item_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    db.session.expire_all()
    item = db.session.get(EvidenceItem, item_id)
    assert item is not None
    return item


def stored_file(
    actor: User, organisation: Organisation, data: bytes, storage: Storage, title: str = "A policy"
) -> EvidenceItem:
    """A file item added through the evidence service (no scanner, a 1 MB limit)."""
    return evidence.add_file(
        actor=actor,
        organisation=organisation,
        title=title,
        description="",
        effective_date=None,
        filename="policy.txt",
        data=data,
        storage=storage,
        scanner=NO_SCANNER,
        max_bytes=1024 * 1024,
    )


def cite(assessment_id: int, criterion_id: str, item_ids: list[int]) -> None:
    """Set the evidence a criterion cites, written directly (as a past save would have)."""
    from sqlalchemy import select

    from accredit.data.models import Answer

    key = f"{criterion_id}/evidence"
    with unit_of_work():
        cited = db.session.scalars(select(Answer).filter_by(assessment_id=assessment_id, key=key))
        answer = cited.first()
        if answer is None:
            db.session.add(Answer(assessment_id=assessment_id, key=key, value=item_ids))
        else:
            answer.value = item_ids
