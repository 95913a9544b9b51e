"""One contract for every storage backend: the same tests run against the local folder and
against S3Storage on moto's S3 server (a subprocess on 127.0.0.1; skipped with the reason
when it cannot start). No Flask and no database: only the storage interface."""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from accredit.config import Settings
from accredit.services.storage.storage import LocalStorage, Pruning, Storage
from accredit.services.storage.storage_s3 import (
    S3Location,
    S3Storage,
    StorageURLError,
    make_client,
)
from accredit.services.storage.stores import backend, storage_for
from tests.support.object_store import KEY_ID, SECRET, ObjectStore, object_store_fixture  # noqa: F401

PDF = b"%PDF-1.7\nWork experience policy\n%%EOF\n"
BAD_NAMES = ["../../etc/passwd", "ab", "A" * 64, "0" * 63, "", "0" * 64 + "/", "g" * 64]
MISSING = "0" * 64


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "evidence")
    store: ObjectStore = request.getfixturevalue("object_store")
    location = S3Location.parse(store.url(store.new_bucket(), "tenant/evidence"))
    return S3Storage(make_client(location, KEY_ID, SECRET), location)


def test_put_returns_the_sha256_and_the_bytes_come_back(storage: Storage) -> None:
    digest = storage.put(PDF)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert storage.exists(digest)
    assert storage.size(digest) == len(PDF)
    assert storage.read(digest) == PDF
    with storage.open(digest) as stream:
        assert stream.read(4) == b"%PDF"
        assert stream.read() == PDF[4:]


def test_putting_the_same_bytes_again_keeps_one_copy(storage: Storage) -> None:
    first = storage.put(PDF)
    assert storage.put(PDF) == first
    assert storage.read(first) == PDF


def test_different_bytes_are_kept_apart(storage: Storage) -> None:
    one, two = storage.put(b"one"), storage.put(b"two")
    assert one != two
    assert (storage.read(one), storage.read(two)) == (b"one", b"two")


def test_an_empty_file_is_kept(storage: Storage) -> None:
    digest = storage.put(b"")
    assert storage.exists(digest) and storage.size(digest) == 0 and storage.read(digest) == b""


def test_a_file_on_disk_is_kept_by_its_digest_and_left_in_place(
    storage: Storage, tmp_path: Path
) -> None:
    big = bytes(range(256)) * 40_000  # 10 MB: more than one block, more than one S3 part
    source = tmp_path / "export.zip"
    source.write_bytes(big)
    digest = storage.put_file(source)
    assert digest == hashlib.sha256(big).hexdigest()
    assert storage.size(digest) == len(big) and storage.read(digest) == big
    assert source.read_bytes() == big
    assert storage.put_file(source) == digest  # again: nothing changes


def test_missing_files_raise_file_not_found(storage: Storage) -> None:
    assert not storage.exists(MISSING)
    with pytest.raises(FileNotFoundError):
        storage.open(MISSING)
    with pytest.raises(FileNotFoundError):
        storage.read(MISSING)
    with pytest.raises(FileNotFoundError):
        storage.size(MISSING)


@pytest.mark.parametrize("name", BAD_NAMES)
def test_only_sha256_names_are_accepted(storage: Storage, name: str) -> None:
    for use in (storage.exists, storage.open, storage.read, storage.size):
        with pytest.raises(ValueError, match="SHA-256"):
            use(name)


# -- Pruning, which retention uses: delete and list ------------------------------------


def test_both_backends_support_pruning(storage: Storage) -> None:
    assert isinstance(storage, Pruning)


def test_delete_removes_the_file_and_says_whether_it_was_kept(storage: Storage) -> None:
    assert isinstance(storage, Pruning)
    digest = storage.put(PDF)
    keep = storage.put(b"another")
    assert storage.delete(digest) is True
    assert not storage.exists(digest) and storage.exists(keep)
    assert storage.delete(digest) is False
    with pytest.raises(ValueError, match="SHA-256"):
        storage.delete("../" + digest)


def test_stored_lists_every_kept_file_with_when_it_was_stored(storage: Storage) -> None:
    assert isinstance(storage, Pruning)
    before = datetime.now(UTC) - timedelta(seconds=5)
    kept = {storage.put(b"one"), storage.put(b"two")}
    listed = dict(storage.stored())
    assert set(listed) == kept
    assert all(
        before <= when <= datetime.now(UTC) + timedelta(seconds=5) for when in listed.values()
    )


def test_storing_known_bytes_again_marks_them_stored_now(storage: Storage) -> None:
    """Retention only deletes orphans older than its grace period: bytes uploaded again (a
    new item citing an old file) must count as new, on every backend."""
    assert isinstance(storage, Pruning)
    digest = storage.put(PDF)
    first = dict(storage.stored())[digest]
    time.sleep(1.1)  # S3 keeps LastModified to the second
    storage.put(PDF)
    assert dict(storage.stored())[digest] > first


# -- S3 only: where objects go, and how the URL is read ---------------------------------


def test_objects_are_named_by_prefix_and_digest(object_store: ObjectStore) -> None:
    bucket = object_store.new_bucket()
    settings = Settings(
        instance_path=Path("/nonexistent"),
        database_url="sqlite://",
        secret_key="x",
        storage_url=object_store.url(bucket, "trust"),
        storage_key_id=KEY_ID,
        storage_secret=SECRET,
    )
    evidence, packs = storage_for(settings), backend(settings, "packs")
    assert isinstance(evidence, S3Storage) and isinstance(packs, S3Storage)
    digest = evidence.put(PDF)
    packs.put(b"a pack")
    pack = hashlib.sha256(b"a pack").hexdigest()
    assert object_store.keys(bucket) == sorted(
        [f"trust/evidence/{digest[:2]}/{digest}", f"trust/packs/{pack[:2]}/{pack}"]
    )
    assert not packs.exists(digest)  # each kind of file has its own prefix
    assert not Path("/nonexistent").exists()  # nothing was written locally


def test_without_a_storage_url_files_stay_in_the_instance_folder(tmp_path: Path) -> None:
    settings = Settings(instance_path=tmp_path, database_url="sqlite://", secret_key="x")
    for area in ("evidence", "packs", "certificates", "exports"):
        store = backend(settings, area)
        assert isinstance(store, LocalStorage) and store.root == tmp_path / area


def test_a_missing_bucket_is_an_error_not_a_missing_file(object_store: ObjectStore) -> None:
    """A misconfigured bucket must fail loudly: reading it as "file not found" would show
    users a 404 for evidence that is safe elsewhere."""
    location = S3Location.parse(object_store.url("no-such-bucket-here", "x"))
    storage = S3Storage(make_client(location, KEY_ID, SECRET), location)
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        storage.put(PDF)


@pytest.mark.parametrize(
    ("url", "parsed"),
    [
        ("s3://bucket", S3Location("bucket", "", None, None)),
        (
            "s3://bucket/a/b/?endpoint=http://127.0.0.1:9000&region=eu-west-2",
            S3Location("bucket", "a/b", "http://127.0.0.1:9000", "eu-west-2"),
        ),
    ],
)
def test_storage_urls_are_read(url: str, parsed: S3Location) -> None:
    assert S3Location.parse(url) == parsed


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/var/accredit/evidence", "must start with s3://"),
        ("https://bucket.example/prefix", "must start with s3://"),
        ("s3:///prefix", "names no bucket"),
        ("s3://bucket/x?endpoint=ftp://host", "http:// or https://"),
        ("s3://bucket/x?acl=public-read", "unknown options: acl"),
    ],
)
def test_bad_storage_urls_are_refused_with_a_reason(url: str, message: str) -> None:
    with pytest.raises(StorageURLError, match=message):
        S3Location.parse(url)
