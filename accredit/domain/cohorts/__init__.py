"""Rules behind cohorts: reading a cohort CSV, the dashboard's filters and activity totals, the
peer benchmark and disclosure control, and spreadsheet-safe text. Pure Python.
"""
