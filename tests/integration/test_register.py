"""The public register: anyone finds an organisation whose award stands today, and sees only
what its certificate prints."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from accredit.domain.accounts.organisations import OrgType
from accredit.domain.register.open_data import FIELD_NAMES
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


def test_the_register_downloads_as_csv_of_the_awards_that_stand(app, make_org, listed):
    formula = make_org("=HYPERLINK(1) Care", OrgType.SOCIAL_CARE)
    response = app.test_client().get("/register/download.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert tuple(rows[0]) == FIELD_NAMES
    names = {row[1] for row in rows[1:]}
    assert names == {"Riverside Surgery", '<script>alert("x")</script> Dental', "Last Day Hospice"}
    assert formula.name not in text and "HYPERLINK" not in text  # no award: not listed
    riverside = next(row for row in rows[1:] if row[1] == "Riverside Surgery")
    record = dict(zip(FIELD_NAMES, riverside, strict=True))
    assert record["level"] == "gold" and record["organisation_type"] == "GP practice"
    assert record["valid_until"] == (TODAY + timedelta(days=599)).isoformat()
    assert record["register_url"].endswith(f"/register/{listed['shown'].ods_code}")


def test_a_name_that_a_spreadsheet_would_run_is_written_as_text(app, make_org, make_award):
    make_award(organisation=make_org("=HYPERLINK(1) Care", OrgType.SOCIAL_CARE))
    text = app.test_client().get("/register/download.csv").get_data(as_text=True)
    assert "'=HYPERLINK(1) Care" in text
    document = app.test_client().get("/register/download.json").get_json()
    assert document["awards"][0]["organisation_name"] == "=HYPERLINK(1) Care"  # JSON: as it is


def test_the_register_downloads_as_json_with_its_version_and_licence(app, listed):
    response = app.test_client().get("/register/download.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["version"] == 1
    assert document["licence"] == "Open Government Licence v3.0"
    assert document["as_of"] == TODAY.isoformat()
    assert [f["name"] for f in document["fields"]] == list(FIELD_NAMES)
    assert {a["organisation_name"] for a in document["awards"]} == {
        "Riverside Surgery",
        '<script>alert("x")</script> Dental',
        "Last Day Hospice",
    }
    assert all(set(a) == set(FIELD_NAMES) for a in document["awards"])
    assert "a" * 64 not in response.get_data(as_text=True)


def test_the_data_page_lists_the_fields_and_the_licence(app):
    response = app.test_client().get("/register/data")
    html = page(response)
    assert html.select_one("h1").get_text(strip=True) == "Download the register"
    headers = [th.get_text(strip=True) for th in html.select("tbody th")]
    assert tuple(headers) == FIELD_NAMES
    assert "Open Government Licence v3.0" in response.text


def test_a_badge_shows_the_standing_award_and_is_cached_by_anyone(app, listed):
    from xml.etree import ElementTree

    client = app.test_client()
    response = client.get(f"/register/{listed['shown'].ods_code}/badge.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = ElementTree.fromstring(response.data)
    title = svg.find("{http://www.w3.org/2000/svg}title").text
    until = (TODAY + timedelta(days=599)).strftime("%-d %b %Y")
    assert title == f"Riverside Surgery: Gold work experience, until {until}"
    assert 'fill="#007f3b"' in response.text
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    etag = response.headers["ETag"]
    again = client.get(
        f"/register/{listed['shown'].ods_code}/badge.svg", headers={"If-None-Match": etag}
    )
    assert again.status_code == 304 and again.data == b""


def test_a_badge_turns_grey_when_the_award_ends_and_there_is_none_without_one(app, listed):
    client = app.test_client()
    expired = client.get(f"/register/{listed['expired'].ods_code}/badge.svg")
    assert "Bronze work experience award expired" in expired.text
    assert 'fill="#4c6272"' in expired.text and 'fill="#007f3b"' not in expired.text
    withdrawn = client.get(f"/register/{listed['withdrawn'].ods_code}/badge.svg")
    assert "Work experience award withdrawn" in withdrawn.text
    assert client.get(f"/register/{listed['never'].ods_code}/badge.svg").status_code == 404
    assert client.get("/register/NOPE1/badge.svg").status_code == 404


def test_a_hostile_name_stays_text_in_the_badge_and_its_snippets(app, listed):
    from xml.etree import ElementTree

    code = listed["hostile"].ods_code
    svg = app.test_client().get(f"/register/{code}/badge.svg")
    assert "<script" not in svg.text
    ElementTree.fromstring(svg.data)  # well formed whatever the name
    html = page(app.test_client().get(f"/register/{code}"))
    snippet = html.select_one("#badge-html").get_text()
    base = app.extensions["accredit.settings"].base_url.rstrip("/")
    assert snippet == (
        f'<a href="{base}/register/{code}"><img src="{base}/register/{code}/badge.svg" '
        'alt="Work experience accreditation of scriptalert(x)/script Dental"></a>'
    )
    markdown = html.select_one("#badge-markdown").get_text()
    assert markdown.endswith(f"]({base}/register/{code}/badge.svg)]({base}/register/{code})")


def test_an_ampersand_in_a_name_reads_as_and_in_the_snippets():
    from accredit.services.register.badges import snippets

    made = snippets("Smith & Jones Dental", "https://x/register/A1", "https://x/b.svg")
    assert made.alt == "Work experience accreditation of Smith and Jones Dental"
    assert 'alt="Work experience accreditation of Smith and Jones Dental"' in made.html


def test_brackets_in_a_name_do_not_break_the_markdown_link():
    from accredit.services.register.badges import snippets

    made = snippets("St [Mary] \\ Clinic", "https://x.nhs.uk/register/A1", "https://x/b.svg")
    assert made.markdown == (
        "[![Work experience accreditation of St \\[Mary\\] \\\\ Clinic](https://x/b.svg)]"
        "(https://x.nhs.uk/register/A1)"
    )


@pytest.mark.parametrize("path", ["/register", "/register/data", "REGISTER_PAGE"])
def test_register_pages_are_cached_for_visitors_but_not_for_the_signed_in(
    app, listed, people, sign_in_as, path
):
    from accredit.domain.accounts.organisations import Role

    path = path.replace("REGISTER_PAGE", f"/register/{listed['shown'].ods_code}")
    anonymous = app.test_client().get(path)
    assert anonymous.status_code == 200
    assert anonymous.headers["Cache-Control"] == "public, max-age=300"
    assert "Cookie" in anonymous.headers["Vary"]
    assert "Set-Cookie" not in anonymous.headers  # nothing of the visitor's is in it
    signed_in = sign_in_as(people[Role.ORG_LEAD]).get(path)
    assert signed_in.headers["Cache-Control"] == "no-store"
    assert "Cookie" in signed_in.headers["Vary"]
    # A visitor who has a session (the sign-in page gave them one) may be sent its cookie
    # again: such a copy is never kept either.
    visitor = app.test_client()
    visitor.get("/sign-in")
    with_session = visitor.get(path)
    assert with_session.headers["Cache-Control"] == "no-store"


def _reference(award) -> str:
    from accredit.services.reports.certificates import reference_of

    return reference_of(award)


def test_anyone_checks_a_genuine_certificate_by_its_reference(app, listed, make_award):
    from accredit.data.models import Award
    from accredit.extensions import db

    with app.app_context():
        award = db.session.query(Award).filter_by(organisation_id=listed["shown"].id).one()
        reference = _reference(award)
    response = app.test_client().get(f"/register/check?code={reference.lower()}")
    assert response.status_code == 200
    result = page(response).select_one("#check-result")
    text = " ".join(result.get_text(" ").split())
    assert "Genuine certificate" in text and f"reference {reference}" in text
    assert "The award today: Valid" in text and "Riverside Surgery" in text
    assert result.select_one(f'a[href="/register/{listed["shown"].ods_code}"]')
    assert "a" * 64 not in response.text  # the fingerprint is not shown


def test_a_certificate_whose_award_ended_is_genuine_but_no_longer_stands(app, listed):
    from accredit.data.models import Award
    from accredit.extensions import db

    with app.app_context():
        award = db.session.query(Award).filter_by(organisation_id=listed["withdrawn"].id).one()
        reference = _reference(award)
    text = app.test_client().get(f"/register/check?code={reference}").text
    assert "Genuine certificate" in text and "Withdrawn" in text
    assert "This award no longer stands" in text


@pytest.mark.parametrize(
    "code", ["WEQS-2026-000999-ABCD", "not a reference", '<script>alert("x")</script>']
)
def test_a_reference_we_never_issued_is_not_ours(app, listed, code):
    response = app.test_client().get("/register/check", query_string={"code": code})
    assert response.status_code == 200
    result = page(response).select_one("#check-result")
    assert "Not a certificate we issued" in result.get_text()
    assert "<script>" not in response.text


def test_the_check_is_rate_limited_per_address(app, listed):
    client = app.test_client()
    answers = [client.get("/register/check?code=WEQS-2026-000001-AAAA").status_code
               for _ in range(21)]  # fmt: skip
    assert answers[:20] == [200] * 20
    assert answers[20] == 429
    refused = client.get("/register/check?code=WEQS-2026-000001-AAAA")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    # Someone else, at another address, can still check.
    other = app.test_client().get(
        "/register/check?code=x", environ_base={"REMOTE_ADDR": "192.0.2.7"}
    )
    assert other.status_code == 200
