"""`accredit backup` and `accredit restore`: the database, every stored file and a manifest.

A backup is a folder, not one archive: each stored file is copied as it is (content-addressed,
so the same evidence is there once), a restore verifies and reads files one at a time without
unpacking gigabytes first, and an operator can check or sync it with ordinary tools (rsync,
``sha256sum``) or tar it for transport. Layout::

    manifest.json                        written last: without it the backup is incomplete
    database.sqlite3 | database.pgdump   the database (see backup_database)
    files/<area>/<xx>/<sha256>           evidence, certificates and evidence packs

The database is dumped before the files are copied: stored files are only ever added before
the rows naming them commit, so every file the dump refers to is already there to copy.
The secret key (``instance/secret_key``) is not included: it is a secret, kept apart.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from sqlalchemy import Engine

from accredit.config import Settings
from accredit.data.migrate import head_revision
from accredit.services.operations.backup_database import (
    DUMP_NAMES,
    counts_of,
    dump,
    kind_of,
    restore,
)
from accredit.services.operations.backup_manifest import (
    MANIFEST,
    BackupError,
    FileEntry,
    Manifest,
    hash_file,
    verify,
)
from accredit.services.storage.storage import Pruning, Storage
from accredit.services.storage.stores import backend

#: The stores a backup holds. Exports are left out: they are made again on request.
AREAS = ("evidence", "certificates", "packs")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    manifest: Manifest
    rows: int
    tables: int
    files: int
    bytes: int


def app_version() -> str:
    try:
        return metadata.version("accredit")
    except metadata.PackageNotFoundError:
        return "unknown"


def _listable(store: Storage, area: str) -> Pruning:
    if not isinstance(store, Pruning):
        raise BackupError(f"The {area} store cannot list its files, so it cannot be backed up.")
    return store


def _copy(store: Storage, sha256: str, target: Path) -> FileEntry:
    target.parent.mkdir(parents=True, exist_ok=True)
    with store.open(sha256) as source, target.open("wb") as handle:
        shutil.copyfileobj(source, handle, 1 << 20)
        handle.flush()
        os.fsync(handle.fileno())
    return hash_file(target)


def _write_manifest(dest: Path, manifest: Manifest) -> None:
    """Beside, synced, then renamed: a manifest is either whole or absent."""
    partial = dest / (MANIFEST + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(manifest.to_json())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, dest / MANIFEST)


def create_backup(settings: Settings, engine: Engine, dest: Path) -> Manifest:
    """Back the instance up into ``dest`` (a new or empty folder)."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise BackupError(f"{dest} already exists and is not empty: choose a new folder.")
    kind = kind_of(engine)
    existed = dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        database_file = DUMP_NAMES[kind]
        dumped = dump(engine, dest / database_file)
        entries = [_relative(hash_file(dest / database_file), database_file)]
        for area in AREAS:
            store = backend(settings, area)
            for sha256, _stored in _listable(store, area).stored():
                relative = f"files/{area}/{sha256[:2]}/{sha256}"
                try:
                    copied = _copy(store, sha256, dest / relative)
                except FileNotFoundError as error:
                    raise BackupError(
                        f"The stored {area} file {sha256} was deleted while the backup ran "
                        "(by accredit purge or an organisation's deletion), so the database "
                        "copy may still refer to it. Run the backup again."
                    ) from error
                if copied.sha256 != sha256:
                    raise BackupError(
                        f"The stored {area} file {sha256} no longer has that SHA-256: the "
                        "store is damaged. Replace the file from an earlier backup, then "
                        "back up again."
                    )
                entries.append(_relative(copied, relative))
        manifest = Manifest(
            app_version=app_version(),
            alembic_revision=dumped.alembic_revision,
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            database_kind=kind,
            database_file=database_file,
            row_counts=dumped.row_counts,
            files=entries,
        )
        _write_manifest(dest, manifest)
    except BaseException:
        # The folder was empty or new when we started, so all in it is ours: leave no half
        # backup behind to be mistaken for a whole one.
        for child in dest.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
        if not existed:
            dest.rmdir()
        raise
    return manifest


def _relative(entry: FileEntry, path: str) -> FileEntry:
    return FileEntry(path, entry.size, entry.sha256)


def _stored_files(manifest: Manifest) -> list[tuple[str, FileEntry]]:
    """Each stored file with its area; a file not laid out as a backup writes them is refused
    before anything is restored."""
    found: list[tuple[str, FileEntry]] = []
    for entry in manifest.files:
        if entry.path == manifest.database_file:
            continue
        parts = PurePosixPath(entry.path).parts
        if (
            len(parts) != 4
            or parts[0] != "files"
            or parts[1] not in AREAS
            or not _SHA256.match(parts[3])
            or parts[3] != entry.sha256
        ):
            raise BackupError(f"{MANIFEST} lists {entry.path}, which is not a stored file.")
        found.append((parts[1], entry))
    return found


def restore_backup(
    settings: Settings, engine: Engine, source: Path, *, force: bool = False
) -> RestoreSummary:
    """Restore the backup in ``source`` into the configured instance. Everything is checked
    before anything is written: the hashes, the database kind, and that the database is empty
    (``force`` replaces a database that is not)."""
    manifest = verify(source)
    kind = kind_of(engine)
    if manifest.database_kind != kind:
        raise BackupError(
            f"This is a backup of a {LABELS.get(manifest.database_kind, manifest.database_kind)} "
            f"database and the configured database is {LABELS[kind]}: restore it into an "
            f"instance using {LABELS.get(manifest.database_kind, manifest.database_kind)}. "
            "Nothing was restored."
        )
    head = head_revision()
    if manifest.alembic_revision != head:
        raise BackupError(
            f"This backup was taken at schema revision {manifest.alembic_revision} and this "
            f"release of accredit is at {head}. Restore it with the release that made it, then "
            "upgrade with `accredit db upgrade`. Nothing was restored."
        )
    stored = _stored_files(manifest)
    holding = {table: n for table, n in counts_of(engine).items() if n}
    if holding and not force:
        raise BackupError(
            f"The configured database is not empty ({sum(holding.values()):,} rows in "
            f"{len(holding)} tables). Restore into a fresh instance, or use --force to replace "
            "its contents. Nothing was restored."
        )
    restore(engine, source / manifest.database_file)
    size = 0
    for area, entry in stored:
        kept = backend(settings, area).put_file(source / entry.path)
        if kept != entry.sha256:  # the file changed after it was verified
            raise BackupError(f"{entry.path} changed while it was being restored.")
        size += entry.size
    counts = counts_of(engine)
    differ = [
        f"{table}: {counts.get(table, 0):,} rows, the backup had {n:,}"
        for table, n in sorted(manifest.row_counts.items())
        if counts.get(table, 0) != n
    ]
    if differ:
        raise BackupError(
            "The database was restored but its row counts differ from the backup's:\n  "
            + "\n  ".join(differ)
        )
    return RestoreSummary(
        manifest,
        rows=sum(manifest.row_counts.values()),
        tables=len(manifest.row_counts),
        files=len(stored),
        bytes=size,
    )
