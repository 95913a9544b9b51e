"""The small forms behind single-choice posts: submit, start, assign, comment, pack, action."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from accredit.forms.assessments.actions import NewActionForm
from accredit.forms.assessments.assessment import StartForm, SubmitForm
from accredit.forms.assessments.collaboration import AssignForm, CommentForm
from accredit.forms.evidence.packs import PackForm
from accredit.services.reports.packs import PackScope


def test_a_declaration_counts_only_when_the_box_posted_yes():
    assert SubmitForm(MultiDict({"declaration": "yes"})).declaration.data is True
    assert SubmitForm(MultiDict({"declaration": "true"})).declaration.data is False
    assert SubmitForm(MultiDict({})).declaration.data is False
    both = SubmitForm(MultiDict({"declaration": "yes", "unchanged": "yes"}))
    assert both.unchanged.data is True


def test_carrying_forward_is_chosen_only_by_yes():
    assert StartForm(MultiDict({"carry_forward": "yes"})).carry_forward.data is True
    assert StartForm(MultiDict({"carry_forward": "no"})).carry_forward.data is False


def test_assign_and_comment_hand_the_service_what_was_posted_or_nothing():
    assert AssignForm(MultiDict({"assignee": "7"})).chosen() == "7"
    assert AssignForm(MultiDict({})).chosen() == ""
    assert CommentForm(MultiDict({"body": "See the <b>policy</b>"})).text() == (
        "See the <b>policy</b>"
    )
    assert CommentForm(MultiDict({})).text() == ""


def test_a_pack_scope_must_be_one_of_ours():
    for scope in PackScope:
        form = PackForm(MultiDict({"scope": scope.value}))
        assert form.validate() and form.chosen() is scope
    assert not PackForm(MultiDict({"scope": "everything"})).validate()
    assert not PackForm(MultiDict({})).validate()


def test_a_new_action_names_its_criterion():
    assert NewActionForm(MultiDict({"criterion_id": "B1.2"})).criterion() == "B1.2"
    assert NewActionForm(MultiDict({})).criterion() == ""
