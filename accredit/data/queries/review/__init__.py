"""Queries behind review and awards: review rounds, awards and random audits."""
