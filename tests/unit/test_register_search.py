"""The public register's search, read from a URL, and which awards it shows."""

from __future__ import annotations

from datetime import date

import pytest

from accredit.domain.register.search import PAGE_SIZE, RegisterSearch, on_register, page_count
from accredit.domain.review.awards import AwardStatus

KNOWN = {"regions": ["Y56", "Y58"], "org_types": ["gp_practice", "trust"], "levels": ["gold"]}


def test_a_search_keeps_what_it_knows_and_drops_the_rest():
    search = RegisterSearch.parse(
        {"q": "  Leeds   Road  ", "region": "Y56", "type": "trust", "level": "gold", "page": "3"},
        **KNOWN,
    )
    assert search == RegisterSearch("Leeds Road", "Y56", "trust", "gold", 3)
    assert search.narrowed
    odd = RegisterSearch.parse(
        {"region": "<script>", "type": "castle", "level": "platinum", "page": "-2"}, **KNOWN
    )
    assert odd == RegisterSearch()
    assert not odd.narrowed


@pytest.mark.parametrize("raw", ["0", "x", "", "1e3", "99999999", " "])
def test_a_page_that_is_not_a_sensible_whole_number_is_the_first(raw):
    assert RegisterSearch.parse({"page": raw}, **KNOWN).page == 1


def test_the_words_are_cut_to_a_hundred_characters():
    assert len(RegisterSearch.parse({"q": "a" * 500}, **KNOWN).words) == 100


def test_links_leave_out_defaults_and_a_new_filter_goes_back_to_page_one():
    search = RegisterSearch(words="surgery", region="Y56", page=4)
    assert search.args() == {"q": "surgery", "region": "Y56"}
    assert search.args(page=5) == {"q": "surgery", "region": "Y56", "page": "5"}
    assert search.args(level="gold") == {"q": "surgery", "region": "Y56", "level": "gold"}


def test_pages():
    assert page_count(0) == 1
    assert page_count(PAGE_SIZE) == 1
    assert page_count(PAGE_SIZE + 1) == 2


def test_the_register_shows_current_awards_up_to_their_last_valid_day():
    expiry = date(2028, 12, 7)  # valid until 6 December 2028
    assert on_register(AwardStatus.CURRENT, expiry, date(2028, 12, 6))
    assert not on_register(AwardStatus.CURRENT, expiry, date(2028, 12, 7))
    assert not on_register(AwardStatus.WITHDRAWN, expiry, date(2027, 1, 1))
    assert not on_register(AwardStatus.SUPERSEDED, expiry, date(2027, 1, 1))
