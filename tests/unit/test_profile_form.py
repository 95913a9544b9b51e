"""The organisation profile form, built from a standard's profile fields (no Flask)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from accredit.domain.scoring.standard import ProfileField, ProfileFieldType
from accredit.forms.assessments.profile import profile_form, shown_choices

QUESTIONS = [
    ProfileField("offers_adults", "Offers placements to adults", ProfileFieldType.BOOLEAN),
    # A field named like one of the form's own attributes must not shadow it.
    ProfileField("data", "Is a data controller?", ProfileFieldType.BOOLEAN),
]


def test_yes_and_no_become_the_profile():
    form = profile_form(QUESTIONS)(MultiDict({"offers_adults": "yes", "data": "no"}))
    assert form.validate()
    assert form.answers() == {"offers_adults": True, "data": False}
    assert form.problems() == {}


def test_a_field_left_blank_or_sent_with_another_value_says_so_in_its_own_words():
    form = profile_form(QUESTIONS)(MultiDict({"data": "maybe"}))
    assert not form.validate()
    assert form.problems() == {
        "offers_adults": "Select yes if your organisation offers placements to adults",
        "data": "Select yes or no",
    }
    # What was sent is shown again as it was.
    assert form.chosen() == {"offers_adults": None, "data": "maybe"}


def test_the_page_shows_the_stored_profile_with_kept_choices_on_top():
    stored = {"offers_adults": False}
    assert shown_choices(QUESTIONS, stored).to_dict() == {"offers_adults": "no"}
    kept = MultiDict({"offers_adults": "yes", "data": "not-a-choice"})
    form = profile_form(QUESTIONS)(shown_choices(QUESTIONS, stored, kept))
    assert form.chosen() == {"offers_adults": "yes", "data": None}
