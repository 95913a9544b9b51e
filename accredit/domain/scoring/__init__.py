"""Judgement: a standard version as data, the condition language, the scoring plan, scoring and
its results, why a criterion is not met, answers and how they merge and display, evidence
questions, the profile, known answers, and the questionnaire runner. Pure Python.
"""
