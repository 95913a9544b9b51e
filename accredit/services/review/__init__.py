"""Review and awards: HEE review of a submission and overrides of criteria, moderation figures,
awards and their warnings, and random audits.
"""
