"""Rules of operations: reading the audit trail and how long short-lived records are kept.
Pure Python.
"""
