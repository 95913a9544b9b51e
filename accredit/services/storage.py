"""Where evidence bytes live: one small interface, a local folder by default.

Files are named by their SHA-256, so the same document uploaded twice (or as the same
version of two items) is stored once, and a name can never be chosen by an uploader. The
folder is under the instance path, outside anything the web server serves. Another backend
(an object store, say) only has to implement ``Storage``.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import BinaryIO, Protocol

from accredit.config import Settings

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Storage(Protocol):
    def put(self, data: bytes) -> str:
        """Keep ``data`` and return its SHA-256 (hex); storing known bytes is a no-op."""
        ...

    def open(self, sha256: str) -> BinaryIO:
        """A binary stream of the stored bytes; FileNotFoundError when they are not kept."""
        ...

    def read(self, sha256: str) -> bytes: ...

    def exists(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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
            return digest
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        # Write beside the target and rename: a reader never sees half a file, and two
        # uploads of the same bytes at once both end with the same complete file.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def open(self, sha256: str) -> BinaryIO:
        return self.path(sha256).open("rb")

    def read(self, sha256: str) -> bytes:
        return self.path(sha256).read_bytes()

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size


def storage_for(settings: Settings) -> Storage:
    """The configured storage: today always the local folder ``<instance>/evidence``."""
    return LocalStorage(settings.instance_path / "evidence")


def pack_storage_for(settings: Settings) -> Storage:
    """Where generated evidence packs are kept (by SHA-256, like evidence): a cache, since any
    pack can be made again from its assessment, but kept so verification can find it."""
    return LocalStorage(settings.instance_path / "packs")
