"""Self-assessment: starting and reading an assessment, saving answers, working together
(assignments, comments, stashed edits), the profile, submitting and resubmitting, the action
plan, the next cycle's carried answers, and the annual activity return.
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "actions",
    "activity_returns",
    "activity_totals",
    "assessments",
    "collaboration",
    "known_answers",
    "next_cycle",
    "profile",
    "resubmission",
    "stash",
    "submission",
    "workspace",
]
