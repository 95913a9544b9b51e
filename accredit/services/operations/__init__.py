"""Operations: backup and restore, retention, health checks, mail, the audit trail, and loading
standards and reference data (background jobs and stored files have packages of their own).
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "audit",
    "audit_trail",
    "backup",
    "backup_manifest",
    "health",
    "mail",
    "reference",
    "retention",
    "standards",
    "warm_up",
]
