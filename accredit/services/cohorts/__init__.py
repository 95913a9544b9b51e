"""Cohorts and exports: cohorts and their members (one by one or from a CSV import), reviewers,
the cohort dashboard and its weekly progress, what-if simulation, and bulk exports (CSV, XLSX,
ZIP of packs).
"""
