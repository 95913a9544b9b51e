"""Queries behind operations: the audit trail, backup, health, jobs, retention and stored
standards.
"""
