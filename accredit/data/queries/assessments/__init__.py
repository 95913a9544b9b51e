"""Queries behind self-assessment: assessments, answers, comments, assignments, stashes,
evidence links, the action plan, known answers and activity returns.
"""
