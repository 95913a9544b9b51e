"""Forms for people and organisations: signing in, two-factor, invitations, and organisation
details and removal.
"""
