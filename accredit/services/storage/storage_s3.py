"""Evidence, packs, certificates and exports on S3-compatible object storage.

Used when ``ACCREDIT_STORAGE_URL`` is set, so several app servers and workers on different
machines see the same files (a local folder is only shared by processes on one machine).
Objects are content-addressed exactly as in ``LocalStorage``: ``<prefix>/<sha[:2]>/<sha>``,
so a put of known bytes changes nothing and no uploader can choose a key.

The URL names the bucket, a key prefix, and optionally the endpoint (for MinIO, Ceph, moto
or any S3-compatible server) and region::

    s3://bucket/some/prefix?endpoint=http://127.0.0.1:9000&region=eu-west-2

Credentials are ``ACCREDIT_STORAGE_KEY_ID``/``ACCREDIT_STORAGE_SECRET`` when given, and
otherwise whatever boto3's standard chain finds (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``,
a shared credentials file, an instance role), which is what hosted deployments usually use.
"""

from __future__ import annotations

import base64
import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO, cast
from urllib.parse import parse_qs, urlsplit

from accredit.services.storage.storage import SHA256_PATTERN, sha256_of

# Opened objects up to this size stay in memory; bigger ones spill to a temporary file.
_SPOOL_BYTES = 8 * 1024 * 1024
_BLOCK = 1 << 20
_MISSING = {"404", "NoSuchKey", "NotFound"}


class StorageURLError(ValueError):
    """ACCREDIT_STORAGE_URL cannot be understood; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class S3Location:
    """Where objects go, parsed from ACCREDIT_STORAGE_URL."""

    bucket: str
    prefix: str
    endpoint: str | None
    region: str | None

    @classmethod
    def parse(cls, url: str) -> S3Location:
        parts = urlsplit(url)
        if parts.scheme != "s3":
            raise StorageURLError(f"ACCREDIT_STORAGE_URL must start with s3://, not {url!r}")
        if not parts.netloc:
            raise StorageURLError("ACCREDIT_STORAGE_URL names no bucket (s3://bucket/prefix)")
        query = parse_qs(parts.query)
        unknown = set(query) - {"endpoint", "region"}
        if unknown:
            raise StorageURLError(
                f"ACCREDIT_STORAGE_URL has unknown options: {', '.join(sorted(unknown))}"
            )
        endpoint = query.get("endpoint", [None])[-1]
        if endpoint is not None and urlsplit(endpoint).scheme not in {"http", "https"}:
            raise StorageURLError("The storage endpoint must be an http:// or https:// address")
        return cls(
            bucket=parts.netloc,
            prefix=parts.path.strip("/"),
            endpoint=endpoint,
            region=query.get("region", [None])[-1],
        )

    def within(self, area: str) -> S3Location:
        """The same bucket with ``area`` appended to the prefix (evidence, packs, ...)."""
        prefix = f"{self.prefix}/{area}" if self.prefix else area
        return S3Location(self.bucket, prefix, self.endpoint, self.region)


def make_client(location: S3Location, key_id: str | None, secret: str | None) -> Any:
    """A boto3 S3 client; imported here so installs without object storage never load boto3."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=location.endpoint,
        region_name=location.region or "us-east-1",
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        # Path-style addressing works with every S3-compatible server (a bucket name need not
        # resolve as a host name); retries cover the brief errors object stores do give.
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5}),
    )


def _missing(error: Exception) -> bool:
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code")) in _MISSING


class S3Storage:
    """The ``Storage`` interface over one bucket and key prefix."""

    def __init__(self, client: Any, location: S3Location) -> None:
        self.client = client
        self.location = location

    def key(self, sha256: str) -> str:
        # As in LocalStorage: only a digest can name an object, so no value can reach
        # another prefix of the bucket.
        if not SHA256_PATTERN.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        name = f"{sha256[:2]}/{sha256}"
        return f"{self.location.prefix}/{name}" if self.location.prefix else name

    def _head(self, sha256: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            return cast(
                dict[str, Any],
                self.client.head_object(Bucket=self.location.bucket, Key=self.key(sha256)),
            )
        except ClientError as error:
            if _missing(error):
                return None
            raise

    def _touch(self, sha256: str) -> None:
        """Mark a kept object as stored again now (copying it onto itself is how S3 updates
        LastModified), so a retention sweep's grace period for orphans starts afresh, as it
        does for a local file."""
        key = self.key(sha256)
        self.client.copy_object(
            Bucket=self.location.bucket,
            Key=key,
            CopySource={"Bucket": self.location.bucket, "Key": key},
            MetadataDirective="REPLACE",
        )

    def put(self, data: bytes) -> str:
        digest = sha256_of(data)
        head = self._head(digest)
        if head is not None and head.get("ContentLength") == len(data):
            self._touch(digest)
            return digest
        # The server checks the bytes it received against our SHA-256 and refuses the put
        # when they differ, so a corrupted transfer never lands under the digest's name.
        self.client.put_object(
            Bucket=self.location.bucket,
            Key=self.key(digest),
            Body=data,
            ChecksumSHA256=base64.b64encode(bytes.fromhex(digest)).decode(),
        )
        return digest

    def put_file(self, path: Path) -> str:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                digest.update(block)
        sha256 = digest.hexdigest()
        head = self._head(sha256)
        if head is not None and head.get("ContentLength") == path.stat().st_size:
            self._touch(sha256)
        else:
            # upload_file sends big files in parts, never holding the whole file in memory.
            self.client.upload_file(str(path), self.location.bucket, self.key(sha256))
        return sha256

    def open(self, sha256: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        key = self.key(sha256)
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)  # noqa: SIM115 (returned)
        try:
            self.client.download_fileobj(self.location.bucket, key, spool)
        except ClientError as error:
            spool.close()
            if _missing(error):
                raise FileNotFoundError(f"s3://{self.location.bucket}/{key}") from error
            raise
        spool.seek(0)
        return cast(BinaryIO, spool)

    def read(self, sha256: str) -> bytes:
        with self.open(sha256) as stream:
            return stream.read()

    def exists(self, sha256: str) -> bool:
        return self._head(sha256) is not None

    def size(self, sha256: str) -> int:
        head = self._head(sha256)
        if head is None:
            raise FileNotFoundError(f"s3://{self.location.bucket}/{self.key(sha256)}")
        return int(head["ContentLength"])

    # -- Pruning (retention): delete what nothing refers to, list what is kept ----------

    def delete(self, sha256: str) -> bool:
        # S3 deletes answer the same whether or not the object existed: ask first.
        if self._head(sha256) is None:
            return False
        self.client.delete_object(Bucket=self.location.bucket, Key=self.key(sha256))
        return True

    def stored(self) -> Iterator[tuple[str, datetime]]:
        prefix = f"{self.location.prefix}/" if self.location.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.location.bucket, Prefix=prefix
        )
        for listing in pages:
            for item in listing.get("Contents", []):
                name = str(item["Key"])[len(prefix) :]
                folder, _, sha256 = name.partition("/")
                # Only <sha[:2]>/<sha> objects are stored files; anything else is not ours.
                if SHA256_PATTERN.match(sha256) and folder == sha256[:2]:
                    yield sha256, item["LastModified"].astimezone(UTC)
