"""Rules of an assessment's life: its lifecycle, comments, the action plan and the annual
activity return. Pure Python.
"""
