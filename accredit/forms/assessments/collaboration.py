"""Giving a part of an assessment to a colleague, and commenting on a criterion.

Who may be chosen, and how long a comment may be, are checked by the collaboration service
(its messages are the ones people see); these forms only read the post.
"""

from __future__ import annotations

from wtforms import Form, RadioField, TextAreaField


class AssignForm(Form):
    # "" takes the item back from whoever had it; the choices are the organisation's people.
    assignee = RadioField("Who should answer this?", validate_choice=False, default="")

    def chosen(self) -> str:
        return str(self.assignee.data or "")


class CommentForm(Form):
    body = TextAreaField("Add a comment", default="")

    def text(self) -> str:
        return str(self.body.data or "")
