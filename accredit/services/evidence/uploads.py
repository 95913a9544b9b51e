"""Accepting an uploaded file: size, type from the bytes, the scanner, then storage.

The order matters: nothing refused ever reaches storage, and the scanner only sees files of a
type we would keep. Bytes are stored before the caller's database transaction: if that fails,
an unreferenced file is left behind, which is harmless (the next upload of the same bytes
reuses it), whereas the other order could leave a row pointing at nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from accredit.data.models import User
from accredit.data.transactions import commit_now
from accredit.services.evidence.filetypes import FileType, FileTypeRefused, detect, safe_filename
from accredit.services.evidence.scanning import Scanner
from accredit.services.operations import audit
from accredit.services.storage.storage import Storage

log = logging.getLogger("accredit.uploads")

SCAN_REFUSED = "The selected file did not pass our virus check and cannot be uploaded"
SCAN_FAILED = "We could not check the selected file for viruses. Try again later"


class UploadRefused(Exception):
    """A file that cannot be kept: too large, empty, the wrong type, or unsafe. The message
    is shown to the user as it is."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    filetype: FileType
    #: The uploader's name made safe, with an extension that matches the content.
    name: str
    sha256: str
    size: int


def too_large_message(max_bytes: int) -> str:
    return f"The selected file must be {max_bytes // (1024 * 1024)}MB or smaller"


def check_upload(
    filename: str, data: bytes, *, actor: User, target: str, max_bytes: int, scanner: Scanner
) -> tuple[FileType, str]:
    """The detected type and safe name of an acceptable upload, else UploadRefused."""
    if len(data) > max_bytes:
        raise UploadRefused(too_large_message(max_bytes))
    try:
        filetype = detect(data)
    except FileTypeRefused as refusal:
        raise UploadRefused(str(refusal)) from None
    name = safe_filename(filename, filetype)
    try:
        reason = scanner.scan(data, name)
    except Exception:
        # Fail closed: a scanner that cannot answer must not wave files through.
        log.exception("The scanner failed on an upload for %s", target)
        raise UploadRefused(SCAN_FAILED) from None
    if reason:
        log.warning("The scanner refused an upload for %s: %s", target, reason)
        with commit_now():
            audit.record("upload-refused", target, actor=actor, detail=f"{name}: {reason}")
        raise UploadRefused(SCAN_REFUSED)
    return filetype, name


def accept_upload(
    filename: str,
    data: bytes,
    *,
    actor: User,
    target: str,
    storage: Storage,
    scanner: Scanner,
    max_bytes: int,
) -> StoredFile:
    """Check the upload and keep its bytes; ``target`` names it in the log and audit trail."""
    filetype, name = check_upload(
        filename, data, actor=actor, target=target, max_bytes=max_bytes, scanner=scanner
    )
    return StoredFile(filetype, name, storage.put(data), len(data))


def still_stored(storage: Storage, sha256: str, data: bytes) -> None:
    """After the upload's row has committed: its file must still be there. Deleting an
    organisation (or a purge) may have removed the same bytes, which nothing yet cited, between
    our store and our commit; then they are stored again from the upload itself. (The deletion
    checks again after deleting too: see
    accredit.services.operations.retention.delete_unreferenced.)"""
    if not storage.exists(sha256):
        log.warning("stored file %s went while its upload was saved; stored it again", sha256)
        storage.put(data)
