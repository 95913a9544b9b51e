"""Evidence: uploading files (type, size and zip-bomb checks, virus scanning) and the library of
items an organisation links to its answers.
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "evidence",
    "filetypes",
    "scanning",
    "uploads",
]
