"""Stored files (evidence, packs, certificates, exports): the store interface and the local
folder (``storage``), the S3-compatible bucket (``storage_s3``), and where each kind of file is
kept (``stores``).
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "storage",
    "stores",
]
