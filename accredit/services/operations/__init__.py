"""Operations: background jobs and the worker, file storage (disk or S3), backup and restore,
retention, health checks, mail, the audit trail, and loading standards and reference data.
"""
