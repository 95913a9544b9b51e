"""Retention: work out what has outlived its period, show it, and delete it.

``plan`` only counts, so an operator sees what a purge would take before anything goes;
``apply`` deletes every kind in one transaction with one audit event of counts (no personal
data), then removes stored evidence files nothing refers to, and the files of the cohort
exports it deleted (with any export file no export refers to). Running it twice deletes nothing
the second time.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.queries.operations import retention as queries
from accredit.data.transactions import commit_now, discard
from accredit.domain.operations.retention import (
    ORPHAN_GRACE,
    PURGE_ACTION,
    Kind,
    Periods,
    cutoffs,
    period_problems,
    unshared,
)
from accredit.extensions import db
from accredit.services.cohorts.exports import export_storage_for
from accredit.services.operations import audit
from accredit.services.storage.storage import Pruning, Storage

log = logging.getLogger("accredit.retention")


class RetentionSettingsError(Exception):
    """The retention settings would delete records still in use; the message says which."""


@dataclass(frozen=True, slots=True)
class KindPlan:
    kind: Kind
    days: int
    cutoff: datetime
    count: int


@dataclass(frozen=True, slots=True)
class Plan:
    now: datetime
    kinds: tuple[KindPlan, ...]
    #: Stored evidence files no version refers to (older than the grace period); None when
    #: the storage cannot list what it keeps.
    orphans: tuple[str, ...] | None
    #: Stored cohort export files going: those of the exports past their period, and any no
    #: export refers to (older than the grace period); None when the storage cannot list.
    export_files: tuple[str, ...] | None = None

    @property
    def empty(self) -> bool:
        return not any(k.count for k in self.kinds) and not self.orphans and not self.export_files


@dataclass(frozen=True, slots=True)
class Purged:
    counts: dict[Kind, int]
    files_deleted: int
    export_files_deleted: int = 0


def _cutoffs(settings: Settings, now: datetime) -> tuple[Periods, dict[Kind, datetime]]:
    periods = settings.retention_periods()
    problems = period_problems(periods)
    if problems:
        raise RetentionSettingsError("; ".join(problems))
    window = timedelta(minutes=settings.sign_in_window_minutes)
    return periods, cutoffs(now, periods, window)


def _orphans(storage: Storage, now: datetime) -> tuple[str, ...] | None:
    if not isinstance(storage, Pruning):
        return None
    old_enough = {sha for sha, stored_at in storage.stored() if stored_at < now - ORPHAN_GRACE}
    return tuple(unshared(old_enough, queries.hashes_in_use(old_enough)))


def _export_files(storage: Storage, cutoff: datetime, now: datetime) -> tuple[str, ...] | None:
    """The export files a purge deletes. A file is stored a moment before its job records it,
    so one no export refers to goes only once it is older than the grace period."""
    if not isinstance(storage, Pruning):
        return None
    unrecorded = {sha for sha, stored_at in storage.stored() if stored_at < now - ORPHAN_GRACE}
    candidates = queries.expired_export_files(cutoff) | unrecorded
    return tuple(sorted(candidates - queries.kept_export_files(cutoff)))


def plan(
    settings: Settings,
    storage: Storage,
    now: datetime | None = None,
    export_storage: Storage | None = None,
) -> Plan:
    """What a purge at ``now`` would delete; deletes nothing."""
    now = now or utcnow()
    periods, when = _cutoffs(settings, now)
    kinds = tuple(
        KindPlan(kind, periods.days(kind), when[kind], queries.count_expired(kind, when[kind]))
        for kind in Kind
    )
    export_storage = export_storage or export_storage_for(settings)
    return Plan(
        now=now,
        kinds=kinds,
        orphans=_orphans(storage, now),
        export_files=_export_files(export_storage, when[Kind.COHORT_EXPORTS], now),
    )


def apply(
    settings: Settings,
    storage: Storage,
    now: datetime | None = None,
    export_storage: Storage | None = None,
) -> Purged:
    """Delete what ``plan`` shows: the records in one transaction, then the files (after the
    commit, so a failed transaction never costs a file)."""
    now = now or utcnow()
    _periods, when = _cutoffs(settings, now)
    orphans = _orphans(storage, now) or ()
    export_storage = export_storage or export_storage_for(settings)
    export_files = _export_files(export_storage, when[Kind.COHORT_EXPORTS], now) or ()
    with commit_now():
        counts = {kind: queries.delete_expired(kind, when[kind]) for kind in Kind}
        if any(counts.values()) or orphans or export_files:
            summary = {kind.value: n for kind, n in counts.items()}
            files = {"files": len(orphans), "export_files": len(export_files)}
            audit.record(PURGE_ACTION, "retention", after={**summary, **files})
    db.session.expire_all()  # deleted rows must not linger in the session as if still there
    return Purged(
        counts=counts,
        files_deleted=delete_unreferenced(storage, orphans),
        export_files_deleted=delete_unreferenced(
            export_storage, export_files, in_use=queries.export_files_in_use
        ),
    )


def delete_unreferenced(
    storage: Storage,
    hashes: Iterable[str],
    in_use: Callable[[Iterable[str]], set[str]] | None = queries.hashes_in_use,
) -> int:
    """Delete these stored files, each only if ``in_use`` (by default: any evidence version;
    for export files, any export kept) finds nothing referring to it; ``in_use=None`` for
    files nothing may cite any more (the exports of a deleted organisation's cohorts). A file
    that cannot be deleted is logged and left: the next purge lists it.

    An upload of the same bytes may be under way: it stores the file, then commits its row.
    So each file that could be cited is copied aside before it goes and checked again after:
    when a reference appeared meanwhile, the file is put back. The upload, for its part,
    checks after its commit that its file is still there (``uploads.still_stored``). Between
    the two, whichever order the steps fall in, a cited file is never left missing.
    """
    if not isinstance(storage, Pruning):
        return 0
    deleted = 0
    for sha256 in sorted(set(hashes)):
        if in_use is None:
            try:
                deleted += storage.delete(sha256)
            except OSError:
                log.exception("could not delete stored file %s; delete it by hand", sha256)
            continue
        if in_use([sha256]):
            continue
        deleted += _delete_unless_cited(storage, sha256, in_use)
    return deleted


def _delete_unless_cited(
    storage: Storage, sha256: str, in_use: Callable[[Iterable[str]], set[str]]
) -> int:
    assert isinstance(storage, Pruning)
    folder = Path(tempfile.mkdtemp(prefix="accredit-delete-"))
    copy = folder / sha256
    try:
        try:
            with storage.open(sha256) as stream, copy.open("wb") as out:
                shutil.copyfileobj(stream, out)
        except FileNotFoundError:
            return 0
        if not storage.delete(sha256):
            return 0
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        log.exception("could not delete stored file %s; the next purge will retry", sha256)
        return 0
    discard()  # a fresh look: the check must see commits made meanwhile
    if not in_use([sha256]):
        shutil.rmtree(folder, ignore_errors=True)
        return 1
    try:
        storage.put_file(copy)
    except Exception:
        # The copy is then the only one: it stays where it is for an operator to put back.
        log.critical("stored file %s is cited but could not be put back: copy at %s", sha256, copy)
        raise
    shutil.rmtree(folder, ignore_errors=True)
    log.warning("stored file %s was cited while it was deleted; put it back", sha256)
    return 0
