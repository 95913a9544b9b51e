"""Where evidence bytes live: one small interface, a local folder by default.

Files are named by their SHA-256, so the same document uploaded twice (or as the same
version of two items) is stored once, and a name can never be chosen by an uploader. The
folder is under the instance path, outside anything the web server serves. With
``ACCREDIT_STORAGE_URL`` set, every store is a prefix of one S3-compatible bucket instead
(``storage_s3.S3Storage``), so processes on several machines share the files; ``backend``
is the one place that chooses.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Protocol, runtime_checkable

SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")


_SHA256 = SHA256_PATTERN


class Storage(Protocol):
    def put(self, data: bytes) -> str:
        """Keep ``data`` and return its SHA-256 (hex); storing known bytes is a no-op."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """A binary stream of the stored bytes; FileNotFoundError when they are not kept."""
        ...

    def put_file(self, path: Path) -> str:
        """Keep a copy of the file at ``path`` (read in blocks: it may be bigger than memory
        should hold) and return its SHA-256; ``path`` itself is left as it was."""
        ...

    def read(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...


@runtime_checkable
class Pruning(Protocol):
    """What retention needs besides ``Storage``: deleting a file nothing refers to any more,
    and listing what is kept (with when it was last stored) to find such files."""

    def delete(self, sha256: str) -> bool:
        """Delete the stored bytes; False when they were not kept."""
        ...

    def stored(self) -> Iterator[tuple[str, datetime]]:
        """Every kept file's SHA-256 and when it was last stored (UTC)."""
        ...


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mark_stored_now(target: Path) -> None:
    """Known bytes stored again count as stored now (a retention sweep's grace period for
    orphans starts afresh) without rewriting them: setting the times they already have
    moves only the inode's change time, which reads never touch."""
    status = target.stat()
    os.utime(target, ns=(status.st_atime_ns, status.st_mtime_ns))


def _write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write beside the target and rename: a reader never sees half a file, and two uploads
    of the same bytes at once both end with the same complete file."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class LocalStorage:
    """Files at ``<root>/<sha256[:2]>/<sha256>``: two-level so no folder grows huge."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        # The hash comes from our own database, but checking it costs nothing and means no
        # value can ever walk out of the root.
        if not _SHA256.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        target = self.path(digest)
        if target.exists() and target.stat().st_size == len(data):
            _mark_stored_now(target)
            return digest
        _write_atomically(target, lambda handle: handle.write(data))
        return digest

    def put_file(self, path: Path) -> str:
        digest = hashlib.sha256()
        with path.open("rb") as source:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
        sha256 = digest.hexdigest()
        target = self.path(sha256)
        size = path.stat().st_size
        if target.exists() and target.stat().st_size == size:
            _mark_stored_now(target)
            return sha256
        with path.open("rb") as source:
            _write_atomically(target, lambda handle: shutil.copyfileobj(source, handle, 1 << 20))
        return sha256

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def delete(self, sha256: str) -> bool:
        try:
            self.path(sha256).unlink()
        except FileNotFoundError:
            return False
        return True

    def stored(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if not folder.is_dir():
                continue
            for file in sorted(folder.iterdir()):
                # Half-written uploads (".upload-...") and anything else not named by a hash
                # are not stored files.
                if _SHA256.match(file.name) and file.is_file():
                    status = file.stat()
                    latest = max(status.st_mtime, status.st_ctime)
                    yield file.name, datetime.fromtimestamp(latest, UTC)
