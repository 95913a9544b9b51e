"""Spotting a zip bomb inside an Office or OpenDocument file without inflating it.

.docx, .xlsx, .pptx and the OpenDocument formats are zip archives. A few kilobytes of
compressed zeros can declare a gigabyte, and whatever opens the file next (the virus scanner, a
reviewer's Word, a future text extractor) would inflate it. The archive's central directory
lists every member's compressed and uncompressed size, so reading that alone (never the
members) is enough to refuse an archive that claims too much, or squeezes too hard to be a
document. Real documents stay far inside these limits: their XML compresses about ten to one,
and images are already compressed.

The declared sizes are what zipfile enforces when a member is read, so an archive that lies
about them cannot inflate past what it declared.
"""

from __future__ import annotations

import io
import zipfile

#: The most a document may expand to, all members together.
MAX_EXPANDED = 256 * 1024 * 1024
#: Members, counting folders: a workbook with thousands of sheets is still far below this.
MAX_MEMBERS = 10_000
#: Compression ratio above which a large member is not document content.
MAX_RATIO = 200
#: Members smaller than this may compress as well as they like (empty XML parts do).
RATIO_FLOOR = 1024 * 1024

TOO_EXPANDED = (
    "The selected file expands to far more than a document should when it is opened, so it "
    "cannot be uploaded. Open it, save it again as a new file and upload that"
)
TOO_MANY_PARTS = (
    "The selected file has too many parts inside it to be a document, so it cannot be uploaded"
)


def zip_bomb_problem(data: bytes) -> str | None:
    """Why the zip archive ``data`` must be refused as a zip bomb, or None.

    Bytes that are not a readable zip are not this check's business: None.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
        return None
    if len(members) > MAX_MEMBERS:
        return TOO_MANY_PARTS
    total = 0
    for member in members:
        total += member.file_size
        if total > MAX_EXPANDED:
            return TOO_EXPANDED
        squeezed = member.file_size > RATIO_FLOOR
        if squeezed and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            return TOO_EXPANDED
    return None
