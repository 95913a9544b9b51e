"""Rules of review and awards: agreement with each criterion, moderation, awards and audits,
certificates and fingerprints. Pure Python.
"""
