"""Reports and packs: the readiness report, the peer benchmark, the PDF evidence pack and its
charts, certificates, fingerprints and the public check of a pack or certificate.
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "award_verification",
    "benchmark",
    "certificates",
    "charts",
    "fingerprints",
    "packs",
    "pdf",
    "printing",
    "qr_code",
    "report",
    "verification",
]
