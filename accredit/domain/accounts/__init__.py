"""Rules of accounts: organisation types and roles, who may invite or change whom, sessions,
the sign-in throttle, one-time passwords and recovery codes. Pure Python.
"""
