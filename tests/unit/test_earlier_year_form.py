"""The "start an earlier year's return" choice (a plain GET form, no Flask needed)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from accredit.forms.assessments.activity_return import EarlierYearForm

OPEN = range(2017, 2026)


def test_a_year_on_the_list_is_chosen():
    assert EarlierYearForm(MultiDict({"year": "2019"})).chosen(OPEN) == 2019


def test_anything_else_chooses_nothing():
    for sent in ({"year": "2030"}, {"year": "2016"}, {"year": "twenty"}, {"year": "20190"}, {}):
        assert EarlierYearForm(MultiDict(sent)).chosen(OPEN) is None, sent
