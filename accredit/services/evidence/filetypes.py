"""What an uploaded file really is, decided from its bytes, and a name that is safe to send.

The browser's Content-Type and the file's name are whatever the uploader says they are, so
neither is trusted: libmagic (through python-magic) reads the content, and the result must be
on an allow-list. Each kind of refusal has its own message so people know what to do next.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import magic

from accredit.services.evidence.zip_bombs import zip_bomb_problem


@dataclass(frozen=True, slots=True)
class FileType:
    """An accepted type: what we serve it as, what we call it, and the names it may keep."""

    media_type: str
    label: str
    extension: str
    #: Extensions an uploader's name may keep for this type (the canonical one first).
    extensions: tuple[str, ...]


class FileTypeRefused(Exception):
    """The content is not something we accept; the message is shown to the user."""


def _type(media_type: str, label: str, *extensions: str) -> FileType:
    return FileType(media_type, label, extensions[0], extensions)


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
PLAIN_TEXT = _type("text/plain", "Plain text", "txt", "text", "csv", "md", "log")
ACCEPTED: dict[str, FileType] = {
    t.media_type: t
    for t in (
        _type("application/pdf", "PDF", "pdf"),
        _type("application/msword", "Word document", "doc"),
        _type(_OOXML + "wordprocessingml.document", "Word document", "docx"),
        _type("application/vnd.ms-excel", "Excel spreadsheet", "xls"),
        _type(_OOXML + "spreadsheetml.sheet", "Excel spreadsheet", "xlsx"),
        _type("application/vnd.ms-powerpoint", "PowerPoint presentation", "ppt"),
        _type(_OOXML + "presentationml.presentation", "PowerPoint presentation", "pptx"),
        _type(_ODF + "text", "OpenDocument text", "odt"),
        _type(_ODF + "spreadsheet", "OpenDocument spreadsheet", "ods"),
        _type(_ODF + "presentation", "OpenDocument presentation", "odp"),
        _type("image/png", "PNG image", "png"),
        _type("image/jpeg", "JPEG image", "jpg", "jpeg"),
        PLAIN_TEXT,
        _type("text/csv", "CSV", "csv", "txt"),
    )
}
ACCEPTED_LIST = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, plain text or CSV"

PROGRAMS = frozenset(
    {
        "application/x-executable",
        "application/x-pie-executable",
        "application/x-sharedlib",
        "application/x-object",
        "application/x-coredump",
        "application/x-elf",
        "application/x-mach-binary",
        "application/x-dosexec",
        "application/x-msdownload",
        "application/x-ms-ne-executable",
        "application/vnd.microsoft.portable-executable",
        "application/x-msi",
        "application/java-archive",
        "application/x-java-applet",
        "application/vnd.android.package-archive",
        "application/x-bytecode.python",
        "application/javascript",
        "text/javascript",
    }
)
# Scripts are programs too, whatever their extension; other text/x-* guesses are prose that
# happened to contain a keyword (libmagic calls many ordinary notes "text/x-Algol68").
SCRIPTS = re.compile(r"^text/x-(?:shellscript|python|perl|php|ruby|tcl|awk|lua|msdos-batch|script)")
NOT_PLAIN_TEXT = frozenset({"text/html", "text/xml", "text/rtf"})
ARCHIVES = frozenset(
    {
        "application/zip",
        "application/x-zip-compressed",
        "application/x-7z-compressed",
        "application/x-rar",
        "application/vnd.rar",
        "application/x-rar-compressed",
        "application/gzip",
        "application/x-gzip",
        "application/x-bzip2",
        "application/x-xz",
        "application/x-lzma",
        "application/zstd",
        "application/zlib",
        "application/x-tar",
        "application/x-cpio",
        "application/x-archive",
        "application/vnd.ms-cab-compressed",
        "application/x-iso9660-image",
    }
)

EMPTY = "The selected file is empty"
PROGRAM = (
    "The selected file is a program (an executable), which cannot be uploaded. "
    "Upload a document, spreadsheet, presentation, image or text file"
)
ARCHIVE = (
    "The selected file is a zip or other compressed archive, not an Office document. "
    "Upload the document itself"
)
UNRECOGNISED = f"The selected file must be a {ACCEPTED_LIST} file"


def detect(data: bytes) -> FileType:
    """The accepted type of ``data``, or FileTypeRefused with the message to show."""
    if not data:
        raise FileTypeRefused(EMPTY)
    media_type = magic.from_buffer(data[: 1 << 20], mime=True).lower()
    if media_type == "application/zip":
        # libmagic only recognises Office files whose first entry is [Content_Types].xml;
        # Google Docs, LibreOffice and python-docx often write the entries in another order.
        media_type = _zip_document_type(data) or media_type
    if media_type in ACCEPTED:
        if data.startswith(b"PK"):  # an Office or OpenDocument file is a zip archive
            problem = zip_bomb_problem(data)
            if problem:
                raise FileTypeRefused(problem)
        return ACCEPTED[media_type]
    if media_type in PROGRAMS or SCRIPTS.match(media_type):
        raise FileTypeRefused(PROGRAM)
    if media_type in ARCHIVES:
        raise FileTypeRefused(ARCHIVE)
    if media_type.startswith("text/x-") and media_type not in NOT_PLAIN_TEXT:
        return PLAIN_TEXT
    raise FileTypeRefused(UNRECOGNISED)


_OOXML_MAIN = {
    b"wordprocessingml.document.main+xml": _OOXML + "wordprocessingml.document",
    b"spreadsheetml.sheet.main+xml": _OOXML + "spreadsheetml.sheet",
    b"presentationml.presentation.main+xml": _OOXML + "presentationml.presentation",
}
_PART_LIMIT = 256 * 1024


def _zip_document_type(data: bytes) -> str | None:
    """An Office Open XML or OpenDocument type read from the zip's own manifest, or None.

    Only two small, size-checked parts are read, so a zip bomb costs nothing.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {info.filename: info for info in archive.infolist()}
            manifest = names.get("[Content_Types].xml")
            if manifest is not None and manifest.file_size <= _PART_LIMIT:
                content_types = archive.read(manifest)
                for marker, media_type in _OOXML_MAIN.items():
                    if marker in content_types:
                        return media_type
                return None
            mimetype = names.get("mimetype")
            if mimetype is not None and mimetype.file_size <= 200:
                declared = archive.read(mimetype).decode("ascii", "replace").strip()
                return declared if declared.startswith(_ODF) else None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError):
        return None
    return None


# Control, format (zero-width, bidi overrides), surrogate, private-use and unassigned code
# points: invisible or misleading in a file name ("invoice\u202efdp.exe" shows as "...exe.pdf").
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
)
_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")
FALLBACK_STEM = "evidence"
NAME_BYTES = 255


def safe_filename(name: str, filetype: FileType | None = None) -> str:
    """A file name that is safe on any disk and in a Content-Disposition header.

    Keeps what a person would recognise (accents, spaces) and drops what could mislead or
    escape: path parts, invisible characters, Windows device names. With ``filetype`` the
    extension must be one that type may have, so a PDF is never offered as ``.html``.
    """
    name = unicodedata.normalize("NFKC", name or "")
    name = "".join(" " if ch.isspace() else ch for ch in name)  # tabs, newlines: a space
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(_WINDOWS_FORBIDDEN.sub("_", name).split())
    stem, dot, extension = name.rpartition(".")
    if not dot or not _EXTENSION.match(extension.lower()):
        stem, extension = name, ""
    extension = extension.lower()
    if filetype is not None and extension not in filetype.extensions:
        extension = filetype.extension
    stem = stem.strip(" .") or FALLBACK_STEM
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"{FALLBACK_STEM}-{stem}"
    suffix = f".{extension}" if extension else ""
    return _truncate(stem, NAME_BYTES - len(suffix.encode())) + suffix


def _truncate(text: str, limit: int) -> str:
    """The longest prefix of ``text`` within ``limit`` UTF-8 bytes, never splitting a character."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore").rstrip(" .") or FALLBACK_STEM


def describe_size(size: int) -> str:
    """Sizes as people read them on NHS.UK pages: "512 bytes", "1.2 KB", "3 MB"."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f}".removesuffix(".0") + f" {unit}"
        value /= 1024
    return f"{value:.1f}".removesuffix(".0") + " GB"
