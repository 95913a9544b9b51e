"""Forms for answering an assessment: starting and submitting it, question pages, the profile,
sharing the work, the action plan and the activity return.
"""
