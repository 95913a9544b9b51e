"""Self-assessment: starting and reading an assessment, saving answers, working together
(assignments, comments, stashed edits), the profile, submitting and resubmitting, the action
plan, the next cycle's carried answers, and the annual activity return.
"""
