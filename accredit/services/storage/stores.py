"""Every file store in the service is made here, by area (evidence, packs, certificates, exports):
a folder under the instance, or a prefix of the S3-compatible bucket ``ACCREDIT_STORAGE_URL`` names.
"""

from __future__ import annotations

import os

from accredit.config import Settings
from accredit.services.storage.storage import LocalStorage, Storage


def backend(settings: Settings, area: str) -> Storage:
    """The store for one kind of file (``evidence``, ``packs``, ``certificates``, ``exports``):
    the folder ``<instance>/<area>``, or the prefix ``<prefix>/<area>`` of the bucket named by
    ``ACCREDIT_STORAGE_URL``. Every store in the service is made here."""
    if not settings.storage_url:
        return LocalStorage(settings.instance_path / area)
    # boto3 is slow to import: only a service that uses a bucket pays for it.
    from accredit.services.storage.storage_s3 import S3Location, S3Storage, make_client

    location = S3Location.parse(settings.storage_url)
    # Clients are thread-safe and slow to make, so one per process; the process id is in the
    # key because a forked child (an RQ job) must not share its parent's connections.
    key = (os.getpid(), location, settings.storage_key_id, settings.storage_secret)
    if key not in _CLIENTS:
        _CLIENTS[key] = make_client(location, settings.storage_key_id, settings.storage_secret)
    return S3Storage(_CLIENTS[key], location.within(area))


_CLIENTS: dict[tuple[object, ...], object] = {}


def storage_for(settings: Settings) -> Storage:
    """Where uploaded evidence is kept."""
    return backend(settings, "evidence")


def pack_storage_for(settings: Settings) -> Storage:
    """Where generated evidence packs are kept (by SHA-256, like evidence): a cache, since any
    pack can be made again from its assessment, but kept so verification can find it."""
    return backend(settings, "packs")
