"""Local storage lists what it keeps and deletes a file by its hash (for retention)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accredit.services.storage.storage import LocalStorage, Pruning


def test_it_lists_stored_files_with_when_they_were_stored(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    assert list(storage.stored()) == []  # no folder yet
    before = datetime.now(UTC) - timedelta(seconds=1)
    first, second = storage.put(b"one"), storage.put(b"two")
    (tmp_path / first[:2] / ".upload-half-written").write_bytes(b"o")
    listed = dict(storage.stored())
    assert set(listed) == {first, second}
    assert before < listed[first] <= datetime.now(UTC)
    assert isinstance(storage, Pruning)


def test_storing_known_bytes_again_counts_as_stored_now_without_rewriting(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    digest = storage.put(b"policy")
    path = storage.path(digest)
    os.utime(path, (1_700_000_000, 1_700_000_000))  # an old file
    time.sleep(0.02)
    first = dict(storage.stored())[digest]
    time.sleep(0.02)
    storage.put(b"policy")
    assert dict(storage.stored())[digest] > first
    assert path.stat().st_mtime == 1_700_000_000  # the bytes were not written again


def test_delete_removes_only_that_file_and_says_whether_it_was_there(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    gone, kept = storage.put(b"gone"), storage.put(b"kept")
    assert storage.delete(gone) is True
    assert not storage.exists(gone) and storage.read(kept) == b"kept"
    assert storage.delete(gone) is False


def test_delete_refuses_anything_but_a_hash(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).delete("../secret_key")
