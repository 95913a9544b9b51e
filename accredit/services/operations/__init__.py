"""Operations: background jobs and the worker, file storage (disk or S3), backup and restore,
retention, health checks, mail, the audit trail, and loading standards and reference data.
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "audit",
    "audit_trail",
    "backup",
    "backup_manifest",
    "health",
    "job_backends",
    "job_handlers",
    "jobs",
    "mail",
    "reference",
    "retention",
    "running_app",
    "standards",
    "storage",
    "stores",
    "worker",
]
