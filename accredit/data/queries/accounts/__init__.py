"""Queries behind accounts: organisations, people, users, two-factor, the sign-in throttle and
deleting an organisation.
"""
