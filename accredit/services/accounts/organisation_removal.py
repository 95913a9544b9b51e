"""Deleting an organisation with everything it holds, evidence files included.

The database goes first, in one transaction with its audit event; the organisation's stored
files are deleted only once that has committed, so a failed deletion loses nothing. Files are
stored once by content, so a file another organisation's evidence also refers to stays.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from accredit.data.models import Organisation, User
from accredit.data.queries.accounts import organisation_removal as queries
from accredit.data.queries.operations.retention import cohort_export_files, hashes_in_use
from accredit.data.queries.scope import Scope
from accredit.data.transactions import commit_now
from accredit.domain.accounts.organisations import Role
from accredit.domain.operations.retention import unshared
from accredit.extensions import db
from accredit.services.cohorts import exports
from accredit.services.operations import audit
from accredit.services.operations.retention import delete_unreferenced
from accredit.services.storage.storage import Storage


class RemovalRefused(Exception):
    """The organisation was not deleted; the message says why and is shown as it is."""


@dataclass(frozen=True, slots=True)
class RemovalPreview:
    counts: dict[str, int]
    #: Stored files that go with it, and those kept because another organisation uses them.
    files_deleted: int
    files_shared: int
    #: Stored cohort exports that hold its data (made before the deletion).
    exports: int = 0


@dataclass(frozen=True, slots=True)
class Removed:
    name: str
    counts: dict[str, int]
    files_deleted: int
    files_shared: int
    #: Cohort exports made before the deletion (they hold its data), deleted with it.
    exports_deleted: int = 0


def preview(scope: Scope, organisation: Organisation) -> RemovalPreview:
    """What deleting the organisation would take, without deleting anything."""
    hashes = queries.evidence_hashes(scope, organisation.id)
    return _preview(scope, organisation.id, hashes, _export_hashes(scope, organisation.id))


def _preview(
    scope: Scope, organisation_id: int, hashes: set[str], exports: set[str]
) -> RemovalPreview:
    shared = hashes_in_use(hashes, besides_organisation=organisation_id)
    return RemovalPreview(
        counts=queries.removal_counts(scope, organisation_id),
        files_deleted=len(unshared(hashes, shared)),
        files_shared=len(shared),
        exports=len(exports),
    )


def delete_organisation(
    actor: User,
    scope: Scope,
    organisation: Organisation,
    storage: Storage,
    pack_storage: Storage | None = None,
    export_storage: Storage | None = None,
) -> Removed:
    """Delete the organisation, its people and all its data, then its unshared evidence files,
    the evidence packs made from its assessments (they hold copies of its evidence) and its
    cohorts' exports made so far (they hold its answers and packs). An export's page then says
    it is no longer stored and offers to make it again, without the organisation."""
    if actor.role is not Role.HEE_ADMIN or not scope.sees_all:
        raise RemovalRefused("Only HEE admins can delete organisations")
    org_id, name, ods = organisation.id, organisation.name, organisation.ods_code
    hashes = queries.evidence_hashes(scope, org_id)
    packs = queries.pack_hashes(scope, org_id)
    exports = _export_hashes(scope, org_id)
    before = _preview(scope, org_id, hashes, exports)
    try:
        with commit_now():
            if not queries.delete_organisation(scope, org_id):
                raise RemovalRefused(f"{name} has already been deleted")
            audit.record(
                "organisation-deleted",
                f"organisation:{org_id}",
                actor=actor,
                before={"name": name, "ods_code": ods},
                after={**before.counts, "files deleted": before.files_deleted},
            )
    except IntegrityError as error:
        raise RemovalRefused(
            f"{name} could not be deleted because other records still refer to it. "
            "Nothing has been deleted."
        ) from error
    db.session.expire_all()  # its rows went by cascade: nothing loaded may stand for them
    # Evidence first: it matters most, and exports can be large to delete.
    shared = hashes_in_use(hashes)
    files_deleted = delete_unreferenced(storage, unshared(hashes, shared))
    if pack_storage is not None:
        delete_unreferenced(pack_storage, packs, in_use=queries.packs_in_use)
    exports_deleted = 0
    if export_storage is not None:  # every copy holds the deleted data: none is kept
        exports_deleted = delete_unreferenced(export_storage, exports, in_use=None)
    return Removed(
        name=name,
        counts=before.counts,
        files_deleted=files_deleted,
        files_shared=len(shared),
        exports_deleted=exports_deleted,
    )


def _export_hashes(scope: Scope, organisation_id: int) -> set[str]:
    prefixes = [exports.subject_prefix(c) for c in queries.cohort_ids(scope, organisation_id)]
    return cohort_export_files(prefixes)
