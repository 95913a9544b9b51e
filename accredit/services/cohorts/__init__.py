"""Cohorts and exports: cohorts and their members (one by one or from a CSV import), reviewers,
the cohort dashboard and its weekly progress, what-if simulation, and bulk exports (CSV, XLSX,
ZIP of packs).
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "cohort_import",
    "cohort_reviewers",
    "cohorts",
    "dashboard",
    "exports",
    "exports_csv",
    "exports_rows",
    "import_invitations",
    "progress",
    "what_if",
]
