"""Deleting stored files while someone uploads the same bytes: a cited file is never lost.

Files are stored once by content. An upload stores its bytes, then commits the row that cites
them; a deletion (of an organisation, or a purge) checks that nothing cites a file, then
deletes it. Each side checks again after its own step, so whichever way the steps interleave,
the file a committed row cites is there. The interleavings are forced here with a store that
runs the other side at the worst moment.
"""

from __future__ import annotations

from pathlib import Path

from accredit.data.models import EvidenceFile, EvidenceItem, Organisation
from accredit.data.queries.scope import scope_for
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.accounts import organisation_removal
from accredit.services.storage.storage import LocalStorage, sha256_of
from accredit.services.storage.stores import storage_for
from tests.integration.evidence_helpers import stored_file

DATA = b"The same policy, uploaded by two organisations at once.\n"


class DeletedThen(LocalStorage):
    """A store that runs ``then`` straight after it deletes a file: the other side's step
    landing between the deletion and the check that follows it."""

    def __init__(self, root: Path, then) -> None:
        super().__init__(root)
        self.then = then

    def delete(self, sha256: str) -> bool:
        deleted = super().delete(sha256)
        if deleted:
            self.then(sha256)
        return deleted


class GoneAfterPut(LocalStorage):
    """A store whose first put is undone at once: a deletion that found nothing citing the
    bytes (our row is not committed yet) removing them between our store and our commit."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.undone = 0

    def put(self, data: bytes) -> str:
        digest = super().put(data)
        if not self.undone:
            self.undone += 1
            super().delete(digest)
        return digest


def _upload(settings, actor, organisation, storage) -> EvidenceItem:
    return stored_file(actor, organisation, DATA, storage)


def _cite(organisation_id: int, user_id: int, sha256: str) -> None:
    """Another organisation's upload committing its row for these bytes."""
    with unit_of_work():
        item = EvidenceItem(
            organisation_id=organisation_id,
            kind="file",
            title="The same policy",
            description="",
            uploaded_by_id=user_id,
            current_version=1,
        )
        db.session.add(item)
        db.session.flush()
        db.session.add(
            EvidenceFile(
                item_id=item.id,
                version=1,
                sha256=sha256,
                filename="policy.txt",
                media_type="text/plain",
                size=len(DATA),
                uploaded_by_id=user_id,
            )
        )


def test_a_file_cited_while_the_deletion_removed_it_is_put_back(
    settings, make_assessment, make_user, org, other_org, people
):
    lead = make_user(Role.ORG_LEAD, org)
    other_lead = make_user(Role.ORG_LEAD, other_org)
    make_assessment(org, lead)
    _upload(settings, lead, db.session.get(Organisation, org.id), storage_for(settings))
    root = settings.instance_path / "evidence"
    cited = []
    store = DeletedThen(root, lambda sha: cited.append(_cite(other_org.id, other_lead.id, sha)))
    admin = people[Role.HEE_ADMIN]
    scope = scope_for(admin.id, admin.role, admin.organisation_id)
    removed = organisation_removal.delete_organisation(
        admin, scope, db.session.get(Organisation, org.id), store
    )
    assert cited, "the deletion did delete the file, so the other side did run in between"
    assert removed.files_deleted == 0  # put back: Other Trust's evidence cites it now
    assert store.read(sha256_of(DATA)) == DATA


def test_an_upload_whose_file_was_deleted_before_its_commit_stores_it_again(
    settings, make_user, org
):
    lead = make_user(Role.ORG_LEAD, org)
    store = GoneAfterPut(settings.instance_path / "evidence")
    item = _upload(settings, lead, db.session.get(Organisation, org.id), store)
    assert store.undone == 1
    assert item.current_version == 1
    assert store.read(sha256_of(DATA)) == DATA
