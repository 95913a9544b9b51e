"""Review and awards: HEE review of a submission and overrides of criteria, moderation figures,
awards and their warnings, and random audits.
"""

# The modules other packages may import; the rest are this capability's own (the
# public_faces contract in pyproject.toml keeps it so).
__all__ = [
    "audits",
    "award_warnings",
    "awards",
    "moderation",
    "review",
    "review_overrides",
]
