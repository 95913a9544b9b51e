"""Standard version files: load and validate YAML into domain objects, diff versions, CLI."""

from accredit.standards.loader import (
    Problem,
    StandardFileError,
    content_hash,
    discover,
    load_standard,
    parse_standard,
    version_files,
)

__all__ = [
    "Problem",
    "StandardFileError",
    "content_hash",
    "discover",
    "load_standard",
    "parse_standard",
    "version_files",
]
