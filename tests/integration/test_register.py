"""The public register: anyone finds an organisation whose award stands today, and sees only
what its certificate prints."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from accredit.domain.accounts.organisations import OrgType
from accredit.domain.register.search import PAGE_SIZE
from accredit.domain.review.awards import AwardStatus
from tests.support.html import page

TODAY = date.today()


@pytest.fixture
def listed(make_org, make_award):
    """One organisation of each kind the register must show or hide."""
    made = {
        "shown": make_org("Riverside Surgery", OrgType.GP_PRACTICE, region="london"),
        "hostile": make_org(
            '<script>alert("x")</script> Dental', OrgType.DENTAL_PRACTICE, region="london"
        ),
        "expired": make_org("Lapsed Hospital"),
        "last_day": make_org("Last Day Hospice", OrgType.SOCIAL_CARE, region="midlands"),
        "withdrawn": make_org("Withdrawn Trust"),
        "superseded": make_org("Superseded Trust"),
        "never": make_org("Never Awarded Trust"),
    }
    make_award(organisation=made["shown"], level="gold")
    make_award(organisation=made["hostile"], level="bronze")
    make_award(organisation=made["expired"], expires_on=TODAY)  # its last day was yesterday
    make_award(organisation=made["last_day"], expires_on=TODAY + timedelta(days=1), level="silver")
    make_award(organisation=made["withdrawn"], status=AwardStatus.WITHDRAWN)
    make_award(organisation=made["superseded"], status=AwardStatus.SUPERSEDED)
    return made


def _names(response) -> set[str]:
    return {a.get_text(strip=True) for a in page(response).select(".app-register__entry h2 a")}


def test_anyone_sees_the_awards_that_stand_today_and_no_others(app, listed):
    response = app.test_client().get("/register")
    assert response.status_code == 200
    assert _names(response) == {
        "Riverside Surgery",
        '<script>alert("x")</script> Dental',
        "Last Day Hospice",
    }
    # A name is text, never markup.
    assert '<script>alert("x")</script>' not in response.text
    assert "&lt;script&gt;" in response.text
    count = page(response).select_one("#register-count").get_text(" ", strip=True)
    assert " ".join(count.split()) == "Showing 1 to 3 of 3 awards."


def test_search_by_name_or_ods_code_and_filter_by_region_type_and_level(app, listed):
    client = app.test_client()
    assert _names(client.get("/register?q=riverside")) == {"Riverside Surgery"}
    code = listed["last_day"].ods_code
    assert _names(client.get(f"/register?q={code.lower()}")) == {"Last Day Hospice"}
    assert _names(client.get("/register?region=midlands")) == {"Last Day Hospice"}
    assert _names(client.get("/register?type=gp_practice")) == {"Riverside Surgery"}
    assert _names(client.get("/register?level=gold")) == {"Riverside Surgery"}
    # Wildcards are letters to search for, not patterns.
    assert _names(client.get("/register?q=%25")) == set()
    nothing = client.get("/register?q=no+such+place")
    assert "No organisation on the register matches your search." in nothing.text
    # A level nobody holds today is not offered, and an unknown value filters nothing.
    everyone = _names(client.get("/register"))
    assert _names(client.get("/register?level=platinum&region=nowhere")) == everyone


def test_the_level_filter_offers_only_levels_held_today_lowest_first(app, standards_loaded, listed):
    options = page(app.test_client().get("/register")).select("#level option")
    assert [o.get("value") for o in options] == ["", "bronze", "silver", "gold"]


def test_an_organisation_page_shows_its_award_and_nothing_else(app, listed):
    shown = listed["shown"]
    response = app.test_client().get(f"/register/{shown.ods_code.lower()}")
    assert response.status_code == 200
    html = page(response)
    assert html.select_one("h1").get_text(strip=True) == "Riverside Surgery"
    summary = " ".join(html.select_one(".nhsuk-summary-list").get_text(" ").split())
    valid_until = (TODAY + timedelta(days=599)).strftime("%-d %B %Y")
    assert f"Award Gold Awarded on {(TODAY - timedelta(days=100)).strftime('%-d %B %Y')}" in summary
    assert f"Valid until {valid_until}" in summary
    assert "Work Experience Quality Standard, version 2026.1" in summary
    assert "a" * 64 not in response.text  # the fingerprint is for checks, not for show
    canonical = html.select_one("link[rel=canonical]")["href"]
    assert canonical.endswith(f"/register/{shown.ods_code}")
    assert "Riverside Surgery" in html.select_one("meta[name=description]")["content"]


@pytest.mark.parametrize("kind", ["expired", "withdrawn", "superseded", "never"])
def test_an_organisation_without_a_standing_award_has_no_page(app, listed, kind):
    assert app.test_client().get(f"/register/{listed[kind].ods_code}").status_code == 404


def test_an_unknown_code_is_not_found(app, listed):
    assert app.test_client().get("/register/NOPE1").status_code == 404


def test_the_register_pages_through_its_awards(app, make_award):
    for _ in range(PAGE_SIZE + 3):
        make_award()
    client = app.test_client()
    assert len(_names(client.get("/register"))) == PAGE_SIZE
    second = client.get("/register?page=2")
    assert len(_names(second)) == 3
    assert "Showing 21 to 23 of 23 awards." in " ".join(second.text.split())
    beyond = client.get("/register?page=9")
    assert "There is no page 9." in beyond.text


def test_a_signed_in_user_sees_the_same_register(app, listed, people, sign_in_as):
    from accredit.domain.accounts.organisations import Role

    client = sign_in_as(people[Role.ORG_LEAD])
    assert _names(client.get("/register")) == _names(app.test_client().get("/register"))
