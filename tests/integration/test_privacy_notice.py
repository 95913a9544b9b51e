"""The privacy notice says how long each kind of record is kept, from the settings in force,
so it cannot drift from what `accredit purge` deletes."""

from __future__ import annotations

from tests.support.html import page


def _kept(client) -> dict[str, str]:
    soup = page(client.get("/privacy-notice"))
    heading = soup.find("h2", string="How long we keep it")
    assert heading is not None
    items = heading.find_next("ul").find_all("li")
    return {
        li.get_text(" ", strip=True).split(":")[0]: li.get_text(" ", strip=True) for li in items
    }


def test_the_notice_gives_each_period_in_force(client):
    kept = _kept(client)
    assert kept["invitations"].endswith("90 days after they were used or ran out")
    assert kept["records of password reset requests"].endswith(": 30 days")
    assert kept["records of failed sign-ins"].endswith(": 90 days")
    uploads = "lists of organisations and their leads' names and emails that HEE staff upload"
    assert next(v for k, v in kept.items() if k.startswith(uploads)).endswith(": 30 days")
    assert (
        "cohort: 30 days"
        in kept["spreadsheets and evidence pack downloads that HEE staff make of a cohort"]
    )
    assert (
        "2,555 days (about 7 years)" in kept["the record of sign-ins and changes (the audit trail)"]
    )


def test_changed_settings_change_the_notice(app, settings, client):
    settings.retain_exports_days = 1  # the app holds this very Settings object
    settings.retain_audit_days = 1100
    kept = _kept(client)
    assert (
        "cohort: 1 day"
        in kept["spreadsheets and evidence pack downloads that HEE staff make of a cohort"]
    )
    assert (
        "1,100 days (about 3 years)" in kept["the record of sign-ins and changes (the audit trail)"]
    )


def test_the_notice_says_a_deleted_organisations_people_are_not_named(client):
    text = page(client.get("/privacy-notice")).get_text(" ", strip=True)
    assert "without their names or email addresses" in text
