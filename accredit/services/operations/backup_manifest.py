"""A backup's manifest: what the backup holds and the SHA-256 of every byte of it.

The manifest is written last, so a folder without one is an interrupted backup, and a restore
checks every file against it before touching anything: a backup that was truncated, edited or
half copied is refused whole rather than restored in part.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    #: Relative to the backup folder, with forward slashes.
    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    app_version: str
    alembic_revision: str | None
    created: str
    database_kind: str
    #: The database dump (also listed in ``files``).
    database_file: str
    row_counts: dict[str, int]
    files: list[FileEntry] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "app_version": self.app_version,
                "alembic_revision": self.alembic_revision,
                "created": self.created,
                "database": {"kind": self.database_kind, "file": self.database_file},
                "row_counts": self.row_counts,
                "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
            },
            indent=2,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            raw: Any = json.loads(text)
            if raw["format"] != FORMAT:
                raise BackupError(
                    f"{MANIFEST} is format {raw['format']}; this version reads format {FORMAT}."
                )
            return cls(
                app_version=str(raw["app_version"]),
                alembic_revision=raw["alembic_revision"],
                created=str(raw["created"]),
                database_kind=str(raw["database"]["kind"]),
                database_file=str(raw["database"]["file"]),
                row_counts={str(k): int(v) for k, v in raw["row_counts"].items()},
                files=[
                    FileEntry(str(f["path"]), int(f["size"]), str(f["sha256"]))
                    for f in raw["files"]
                ],
            )
        except BackupError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise BackupError(f"{MANIFEST} is not a backup manifest ({error!r}).") from error


def hash_file(path: Path) -> FileEntry:
    """Size and SHA-256 of a file, read in blocks (evidence can be large)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    return FileEntry(path.name, size, digest.hexdigest())


def inside(root: Path, relative: str) -> Path:
    """The file ``relative`` names under ``root``; a path that could leave it is refused, so a
    hand-edited manifest can never make a restore read outside the backup."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"{MANIFEST} names a file outside the backup: {relative!r}.")
    return root.joinpath(*pure.parts)


def read_manifest(source: Path) -> Manifest:
    path = source / MANIFEST
    if not source.is_dir():
        raise BackupError(f"{source} is not a backup folder.")
    if not path.is_file():
        raise BackupError(
            f"{source} has no {MANIFEST}: it is not a backup, or the backup did not finish."
        )
    return Manifest.from_json(path.read_text(encoding="utf-8"))


def verify(source: Path) -> Manifest:
    """The manifest, once every file it lists is present with its size and SHA-256, and no
    file is in the backup that it does not list. Raises BackupError naming every problem."""
    manifest = read_manifest(source)
    problems: list[str] = []
    listed = {entry.path for entry in manifest.files}
    if manifest.database_file not in listed:
        problems.append(f"the database dump {manifest.database_file} is not listed")
    for entry in manifest.files:
        path = inside(source, entry.path)
        if not path.is_file():
            problems.append(f"{entry.path} is missing")
            continue
        found = hash_file(path)
        if found.size != entry.size or found.sha256 != entry.sha256:
            problems.append(f"{entry.path} has changed (its SHA-256 is not the one recorded)")
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source).as_posix()
        if path.is_file() and relative != MANIFEST and relative not in listed:
            problems.append(f"{relative} is in the backup but not in its manifest")
    if problems:
        raise BackupError(
            f"The backup in {source} does not match its manifest, so nothing was restored:\n  "
            + "\n  ".join(problems)
        )
    return manifest
