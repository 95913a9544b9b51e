"""Starting an assessment and submitting it: the two choices a lead confirms on the way.

The site-wide CSRF check has already run on these posts, so the forms carry no token of
their own; the services decide what the choices allow.
"""

from __future__ import annotations

from wtforms import Form

from accredit.forms.assessments.confirm import YesField


class StartForm(Form):
    carry_forward = YesField("Carry forward answers and evidence from the last assessment")


class SubmitForm(Form):
    declaration = YesField("I confirm that the answers and evidence are accurate")
    unchanged = YesField("Submit the returned criteria without changing them")
