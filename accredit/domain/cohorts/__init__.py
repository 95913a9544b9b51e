"""Rules behind cohorts: reading a cohort CSV, the dashboard's filters, the peer benchmark and
disclosure control, and spreadsheet-safe text. Pure Python.
"""
