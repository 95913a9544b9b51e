"""Local evidence storage: content-addressed, de-duplicated, atomic, and closed to odd names."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from accredit.config import Settings
from accredit.services.storage.storage import LocalStorage
from accredit.services.storage.stores import storage_for


def test_files_are_kept_under_their_sha256(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    data = b"Work experience policy"
    digest = storage.put(data)
    assert digest == hashlib.sha256(data).hexdigest()
    assert (tmp_path / digest[:2] / digest).read_bytes() == data
    assert storage.exists(digest) and storage.size(digest) == len(data)
    assert storage.read(digest) == data
    with storage.open(digest) as stream:
        assert stream.read() == data


def test_the_same_bytes_are_stored_once(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    first = storage.put(b"same")
    mtime = (tmp_path / first[:2] / first).stat().st_mtime_ns
    assert storage.put(b"same") == first
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [tmp_path / first[:2] / first]
    assert (tmp_path / first[:2] / first).stat().st_mtime_ns == mtime  # not rewritten


def test_a_truncated_copy_is_replaced(tmp_path: Path) -> None:
    """A file cut short (a disk filled up before atomic writes, say) is healed by the next put."""
    storage = LocalStorage(tmp_path)
    digest = storage.put(b"complete contents")
    (tmp_path / digest[:2] / digest).write_bytes(b"compl")
    storage.put(b"complete contents")
    assert storage.read(digest) == b"complete contents"


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path, monkeypatch) -> None:
    storage = LocalStorage(tmp_path)

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        storage.put(b"data")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("name", ["../../etc/passwd", "ab", "A" * 64, "0" * 63, "", "0" * 64 + "/"])
def test_only_sha256_names_are_accepted(tmp_path: Path, name: str) -> None:
    storage = LocalStorage(tmp_path)
    with pytest.raises(ValueError):
        storage.exists(name)
    with pytest.raises(ValueError):
        storage.open(name)


def test_missing_files_raise_file_not_found(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    assert not storage.exists("0" * 64)
    with pytest.raises(FileNotFoundError):
        storage.open("0" * 64)


def test_the_default_storage_is_under_the_instance_folder(tmp_path: Path) -> None:
    settings = Settings(instance_path=tmp_path, database_url="sqlite://", secret_key="x")
    storage = storage_for(settings)
    assert isinstance(storage, LocalStorage) and storage.root == tmp_path / "evidence"
