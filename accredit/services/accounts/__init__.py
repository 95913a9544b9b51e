"""Accounts and people: signing in (throttle, two-factor, password reset), invitations, people
and their roles, organisations and their deletion.
"""
