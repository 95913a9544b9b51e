"""Adding organisations to a cohort: from a CSV file (checked, previewed, imported only when an
HEE admin confirms) or one at a time. Existing organisations are matched by ODS code; leads
without an account are invited."""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import select

from accredit.data.base import utcnow
from accredit.data.models import (
    AuditEvent,
    Cohort,
    CohortImport,
    CohortMembership,
    Invitation,
    Organisation,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.cohorts.cohort_csv import MAX_BYTES, MAX_ROWS
from accredit.extensions import db
from accredit.services.jobs import backends as job_backends
from accredit.services.operations.mail import read_outbox
from accredit.web.cohorts.imports import FORM_ALLOWANCE
from tests.support import files
from tests.support.forms import csrf_token, submit
from tests.support.html import error_summary, page

HEADER = "ods_code,name,type,region,lead_name,lead_email"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


@pytest.fixture
def cohort(standards_loaded, org) -> Cohort:
    """A cohort with one organisation (Home Trust) in it already."""
    cohort = Cohort(name="Spring 2027", year=2027, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=org.id))
    return cohort


def _upload(client, cohort_id, data, filename="organisations.csv"):
    url = f"/cohorts/{cohort_id}/imports/new"
    return client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def _preview(client, cohort_id, data):
    response = _upload(client, cohort_id, data)
    assert response.status_code == 302, error_summary(page(response))
    location = response.headers["Location"]
    assert re.fullmatch(rf"/cohorts/{cohort_id}/imports/\d+", location)
    return location


def _rows(soup) -> dict[int, str]:
    """The text of each row of the preview table, by line."""
    return {
        int(tr["id"].removeprefix("line-")): " ".join(tr.get_text(" ").split())
        for tr in soup.select("tbody tr[id^=line-]")
    }


def _confirm(client, cohort_id, preview_id):
    """Post the confirmation, with a token from another page (the preview may show no form)."""
    token = csrf_token(client, f"/cohorts/{cohort_id}/imports/new")
    return client.post(f"/cohorts/{cohort_id}/imports/{preview_id}", data={"csrf_token": token})


def _memberships(cohort) -> int:
    return db.session.query(CohortMembership).filter_by(cohort_id=cohort.id).count()


def _flashes(client) -> list[str]:
    with client.session_transaction() as session:
        return [message for _, message in session.get("_flashes", [])]


def test_every_kind_of_bad_row_is_shown_on_its_line_and_nothing_is_imported(
    settings, clients, cohort, org, make_org
):
    elsewhere = make_org("Northern Care Trust", ods_code="RQ6")
    data = _csv(
        "RX1,Good Trust,acute_trust,london,Ann Lead,ann@example.nhs.uk",
        "XYZ9,Bad Code Trust,acute_trust,london,Bob Lead,bob@example.nhs.uk",
        "RX2,Odd Type,hospital,london,Cat Lead,cat@example.nhs.uk",
        "RX3,Far Away Trust,acute_trust,Mars,Dan Lead,dan@example.nhs.uk",
        "RX4,,acute_trust,london,Eve Lead,eve@example.nhs.uk",
        "RX5,Bad Email Trust,acute_trust,london,Fay Lead,fay-at-example",
        "RX6,No Email Trust,acute_trust,london,Gus Lead,",
        "rx1,Twice Trust,acute_trust,london,Hal Lead,hal@example.nhs.uk",
        f"{org.ods_code},Home Trust,other,london,Ivy Lead,ivy@example.nhs.uk",
        "RQ6,Northern Care NHS Trust,acute_trust,North West,Jo Lead,jo@example.nhs.uk",
    )
    admin = clients[Role.HEE_ADMIN]
    soup = page(admin.get(_preview(admin, cohort.id, data)))
    rows = _rows(soup)
    expected = {
        3: "Line 3: A trust ODS code is 3 characters starting with R or T, like RH8",
        4: "Line 4: “hospital” is not a type of organisation we know",
        5: "Line 5: “Mars” is not a region we know",
        6: "Line 6: Enter the organisation's name",
        7: "Line 7: The lead's email address, fay-at-example, is not in the correct format",
        8: "Line 8: Enter the lead's email address",
        9: "Line 9: ODS code RX1 is also on line 2",
        10: f"Line 10: Home Trust ({org.ods_code}) is already in this cohort",
    }
    for line, message in expected.items():
        assert message in rows[line], (line, rows[line])
        assert "Ready" not in rows[line]
    assert "Ready" in rows[2] and "Line 2:" not in rows[2]
    # Matched by ODS code though the name differs: a note, not an error.
    assert "Ready" in rows[11] and "Line 11:" not in rows[11]
    assert "Matched to existing organisation Northern Care Trust (RQ6)" in rows[11]
    summary = error_summary(soup)
    assert len(summary) == len(expected)
    assert summary[0].startswith("Line 3: A trust ODS code")
    assert soup.select_one(".nhsuk-error-summary a")["href"] == "#line-3"
    assert "Nothing has been imported" in soup.select_one(".nhsuk-error-summary").get_text()
    assert "upload it again" in soup.get_text()
    assert not soup.select("main form button")  # no confirm button

    preview_id = db.session.query(CohortImport).one().id
    response = _confirm(admin, cohort.id, preview_id)  # a forged or stale form: still refused
    assert response.status_code == 200
    assert (
        "Some rows have problems, so nothing has been imported" in error_summary(page(response))[0]
    )
    assert _memberships(cohort) == 1
    assert db.session.query(Organisation).count() == 2  # org and elsewhere, nothing new
    assert db.session.get(Organisation, elsewhere.id).name == "Northern Care Trust"
    assert db.session.query(Invitation).count() == 0 and read_outbox(settings) == []
    assert db.session.get(CohortImport, preview_id).confirmed_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (files.pdf(), "The selected file is a PDF, not a CSV file"),
        (files.png(), "The selected file is a PNG image, not a CSV file"),
        (files.xlsx(), "The selected file is an Excel workbook or a zip file, not a CSV file"),
        (b"", "The selected file is empty"),
        (b"\n \n", "The selected file is empty"),
        (files.csv(), "The first row of the file must name the columns: ODS code, Name, Type"),
        (b"RX1,Good Trust,acute_trust,london,Ann,ann@example.nhs.uk\n", "must name the columns"),
        ("ods_code,name\nRX1,Café\n".encode("cp1252"), "not a CSV file saved as UTF-8 text"),
        (b"ods_code,name,region\nRX1,A,london\n", "no column for Type, Lead name and Lead email"),
        (_csv(), "The file has a header row but no organisations below it"),
        (
            _csv(*["RX1,A,acute_trust,london,L,l@example.nhs.uk"] * (MAX_ROWS + 1)),
            f"The file has more than {MAX_ROWS:,} organisations",
        ),
        (_csv("RX1,A,acute_trust,london,L,l@example.nhs.uk") + b" " * MAX_BYTES, "5MB or smaller"),
    ],
    ids=[
        "pdf",
        "png",
        "xlsx",
        "empty",
        "blank",
        "no-header",
        "data-only",
        "not-utf8",
        "columns-missing",
        "header-only",
        "too-many-rows",
        "too-large",
    ],
)
def test_a_file_that_is_not_a_csv_of_organisations_is_refused_on_the_form(
    clients, cohort, data, message
):
    response = _upload(clients[Role.HEE_ADMIN], cohort.id, data)
    assert response.status_code == 200
    soup = page(response)
    (problem,) = error_summary(soup)
    assert message in problem
    assert soup.select_one(".nhsuk-error-summary a")["href"] == "#file"
    assert soup.select_one("#file")  # the field the summary points to
    assert db.session.query(CohortImport).count() == 0


def test_a_file_far_too_large_is_answered_on_the_form(clients, cohort):
    data = b"x" * (MAX_BYTES + FORM_ALLOWANCE + 1)
    response = _upload(clients[Role.HEE_ADMIN], cohort.id, data)
    assert response.status_code == 413
    assert error_summary(page(response)) == ["The selected file must be 5MB or smaller"]


def test_no_file_chosen_is_explained(clients, cohort):
    admin = clients[Role.HEE_ADMIN]
    url = f"/cohorts/{cohort.id}/imports/new"
    response = submit(admin, url, {})
    assert error_summary(page(response)) == ["Select a CSV file"]


def test_a_good_file_is_previewed_then_imported_once_on_confirm(
    settings, clients, cohort, make_org, make_user
):
    existing = make_org("Northern Care Trust", ods_code="RQ6", region="north-west")
    known_lead = make_user(Role.ORG_LEAD, existing, email="known.lead@example.nhs.uk")
    data = (
        "\ufeffODS code, Name , Type ,Region,Lead Name,LEAD EMAIL\r\n"
        "rx1,Riverside Hospitals NHS Trust,Acute trust,London,Ann Lead,Ann@Example.nhs.uk\r\n"
        "\r\n"
        "B86022,Beech Surgery,gp_practice,north-east-yorkshire,Bob Lead,bob@example.nhs.uk\r\n"
        "RQ6,Northern Care NHS Trust,acute_trust,North West,Known,known.lead@example.nhs.uk\r\n"
    ).encode()
    admin = clients[Role.HEE_ADMIN]
    preview_url = _preview(admin, cohort.id, data)
    soup = page(admin.get(preview_url))
    assert error_summary(soup) == []
    rows = _rows(soup)
    assert set(rows) == {2, 4, 5}
    assert all("Ready" in text for text in rows.values())
    assert "An invitation will be sent to ann@example.nhs.uk" in rows[2]
    assert "known.lead@example.nhs.uk already has an account, so no invitation is sent" in rows[5]
    assert "Matched to existing organisation Northern Care Trust (RQ6)" in rows[5]
    text = " ".join(soup.get_text().split())
    assert (
        "Importing adds 3 organisations to Spring 2027: 2 new to the service and 1 matched to "
        "organisations already in it by ODS code. 2 leads without an account will be sent an "
        "invitation." in text
    )
    assert soup.select_one("main form button").get_text(strip=True) == "Import 3 organisations"
    assert _memberships(cohort) == 1 and db.session.query(Invitation).count() == 0

    response = submit(admin, preview_url, {})
    assert response.status_code == 302
    # The invitations are emailed by a job, and the admin waits on its progress page instead.
    assert response.headers["Location"] == f"{preview_url}/invitations"
    assert _flashes(admin) == ["3 organisations added, 2 invitations being sent"]
    assert job_backends.drain(30)
    sent = page(admin.get(f"{preview_url}/invitations"))
    assert sent.select_one("h1").get_text(strip=True) == "Invitations sent"
    assert "2 of 2 invitations were emailed." in sent.get_text(" ")

    db.session.expire_all()
    riverside = db.session.scalar(select(Organisation).filter_by(ods_code="RX1"))
    beech = db.session.scalar(select(Organisation).filter_by(ods_code="B86022"))
    assert (riverside.name, riverside.org_type, riverside.region.code) == (
        "Riverside Hospitals NHS Trust",
        OrgType.ACUTE_TRUST,
        "london",
    )
    assert (beech.org_type, beech.region.code) == (OrgType.GP_PRACTICE, "north-east-yorkshire")
    assert db.session.get(Organisation, existing.id).name == "Northern Care Trust"  # kept
    members = set(
        db.session.scalars(select(CohortMembership.organisation_id).filter_by(cohort_id=cohort.id))
    )
    assert {riverside.id, beech.id, existing.id} < members and len(members) == 4
    invitations = {i.email: i for i in db.session.query(Invitation)}
    assert set(invitations) == {"ann@example.nhs.uk", "bob@example.nhs.uk"}
    assert invitations["ann@example.nhs.uk"].organisation_id == riverside.id
    assert invitations["bob@example.nhs.uk"].role is Role.ORG_LEAD
    mails = read_outbox(settings)
    assert sorted(m["To"] for m in mails) == ["ann@example.nhs.uk", "bob@example.nhs.uk"]
    body = next(m for m in mails if m["To"] == "bob@example.nhs.uk").get_content()
    assert "Dear Bob Lead" in body and "for Beech Surgery as an organisation lead" in body
    link = re.search(r"http://localhost(/invitations/[\w-]+)", body)
    assert link and admin.get(link.group(1)).status_code == 200  # the emailed link works
    assert all(i.emailed_at is not None for i in invitations.values())
    assert known_lead.email not in invitations  # an account already: not invited
    event = db.session.scalar(select(AuditEvent).filter_by(action="cohort.import-confirmed"))
    assert event.after["added"] == 3 and event.after["created"] == 2 and event.after["invited"] == 2

    again = _confirm(admin, cohort.id, int(preview_url.rsplit("/", 1)[1]))  # a second click
    assert again.status_code == 302 and again.headers["Location"] == f"/cohorts/{cohort.id}"
    assert _flashes(admin) == ["This file has already been imported"]
    assert "This file was imported on" in page(admin.get(preview_url)).get_text()
    assert not page(admin.get(preview_url)).select("main form button")
    assert _memberships(cohort) == 4
    assert db.session.query(Invitation).count() == 2 and len(read_outbox(settings)) == 2


def test_a_preview_that_went_stale_is_checked_again_and_refused(clients, cohort, make_org):
    admin = clients[Role.HEE_ADMIN]
    preview_url = _preview(
        admin, cohort.id, _csv("RQ6,Northern Care Trust,acute_trust,london,Jo,jo@example.nhs.uk")
    )
    northern = make_org("Northern Care Trust", ods_code="RQ6")  # created meanwhile...
    with unit_of_work():  # ...and put in the cohort by someone else
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=northern.id))
    response = submit(admin, preview_url, {})
    assert response.status_code == 200
    soup = page(response)
    assert "Something changed since the file was checked" in error_summary(soup)[0]
    assert "Line 2: Northern Care Trust (RQ6) is already in this cohort" in _rows(soup)[2]
    assert db.session.query(Invitation).count() == 0 and _memberships(cohort) == 2
    db.session.expire_all()
    assert db.session.query(CohortImport).one().confirmed_at is None


def test_a_formula_is_kept_as_plain_text_and_shown_escaped(clients, cohort):
    formula = '=HYPERLINK("http://evil.example/x","Click me")'
    script = "<script>alert(1)</script>"
    quoted = '"' + formula.replace('"', '""') + '"'
    data = _csv(f"RX1,{quoted},acute_trust,london,{script},a@example.nhs.uk")
    admin = clients[Role.HEE_ADMIN]
    preview_url = _preview(admin, cohort.id, data)
    stored = db.session.query(CohortImport).one().rows[0]["values"]
    assert stored["name"] == formula and stored["lead_name"] == script
    html = admin.get(preview_url).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and script not in html
    assert "=HYPERLINK(&#34;http://evil.example/x&#34;" in html
    assert 'href="http://evil.example' not in html
    assert submit(admin, preview_url, {}).status_code == 302
    created = db.session.scalar(select(Organisation).filter_by(ods_code="RX1"))
    assert created.name == formula  # stored as typed; exports neutralise it on the way out
    assert db.session.query(Invitation).one().name == script


def _add(client, cohort_id, **fields):
    data = {
        "ods_code": "RX1",
        "name": "Riverside Hospitals NHS Trust",
        "org_type": "acute_trust",
        "region": "london",
        "lead_name": "Ann Lead",
        "lead_email": "ann@example.nhs.uk",
    }
    data.update(fields)
    return submit(client, f"/cohorts/{cohort_id}/organisations/add", data)


def test_an_admin_adds_one_organisation_and_its_lead_is_invited(settings, clients, cohort):
    admin = clients[Role.HEE_ADMIN]
    response = _add(admin, cohort.id, ods_code=" rx1 ")
    assert response.status_code == 302 and response.headers["Location"] == f"/cohorts/{cohort.id}"
    shown = " ".join(page(admin.get(response.headers["Location"])).get_text().split())
    assert (
        "Riverside Hospitals NHS Trust (RX1) has been added to Spring 2027. "
        "An invitation has been sent to ann@example.nhs.uk." in shown
    )
    created = db.session.scalar(select(Organisation).filter_by(ods_code="RX1"))
    assert created.name == "Riverside Hospitals NHS Trust" and created.region.code == "london"
    assert _memberships(cohort) == 2
    (mail,) = read_outbox(settings)
    assert mail["To"] == "ann@example.nhs.uk"
    assert db.session.query(Invitation).one().organisation_id == created.id
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert "organisation-added" in actions and actions[-1] == "cohort.organisation-added"


def test_adding_an_existing_organisation_matches_it_by_ods_code(
    settings, clients, cohort, make_org, make_user
):
    existing = make_org("Northern Care Trust", ods_code="RQ6")
    make_user(Role.ORG_LEAD, existing, email="jo@example.nhs.uk")
    admin = clients[Role.HEE_ADMIN]
    response = _add(
        admin, cohort.id, ods_code="RQ6", name="Another name", lead_email="jo@example.nhs.uk"
    )
    assert response.status_code == 302
    assert _flashes(admin) == [
        "Northern Care Trust (RQ6) has been added to Spring 2027. It was already in the "
        "service, so it keeps its name, type and region. jo@example.nhs.uk already has an "
        "account, so no invitation was sent."
    ]
    assert db.session.query(Organisation).filter_by(ods_code="RQ6").count() == 1
    assert db.session.get(Organisation, existing.id).name == "Northern Care Trust"
    assert _memberships(cohort) == 2 and read_outbox(settings) == []


def _only(**fields):
    """The form with only these fields filled in."""
    blank = dict.fromkeys(("name", "org_type", "region", "lead_name", "lead_email"), "")
    return {**blank, **fields}


def test_an_existing_organisation_is_added_by_its_ods_code_alone(
    settings, clients, cohort, make_org
):
    existing = make_org("Northern Care Trust", ods_code="RQ6", region="north-west")
    admin = clients[Role.HEE_ADMIN]
    form = page(admin.get(f"/cohorts/{cohort.id}/organisations/add")).get_text()
    assert "If the organisation is already in the service, that is all you need" in form
    response = _add(admin, cohort.id, **_only(ods_code=" rq6 "))
    assert response.status_code == 302, error_summary(page(response))
    shown = " ".join(page(admin.get(response.headers["Location"])).get_text().split())
    assert (
        "Northern Care Trust (RQ6) has been added to Spring 2027. It was already in the "
        "service, so it keeps its name, type and region. No lead was given, so no invitation "
        "was sent." in shown
    )
    kept = db.session.get(Organisation, existing.id)
    assert (kept.name, kept.org_type, kept.region.code) == (
        "Northern Care Trust",
        OrgType.ACUTE_TRUST,
        "north-west",
    )
    assert _memberships(cohort) == 2 and read_outbox(settings) == []
    assert db.session.query(Invitation).count() == 0
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "cohort.organisation-added"
    assert event.after == {"ods_code": "RQ6", "created": False}


def test_an_existing_organisation_ignores_details_typed_for_it_and_may_invite_a_lead(
    settings, clients, cohort, make_org
):
    make_org("Northern Care Trust", ods_code="RQ6")
    admin = clients[Role.HEE_ADMIN]
    response = _add(
        admin,
        cohort.id,
        **_only(
            ods_code="RQ6", name="", region="mars", lead_name="Jo Lead", lead_email="jo@x.nhs.uk"
        ),
    )
    assert response.status_code == 302, error_summary(page(response))
    assert _flashes(admin)[0].endswith("An invitation has been sent to jo@x.nhs.uk.")
    (mail,) = read_outbox(settings)
    assert mail["To"] == "jo@x.nhs.uk" and "Northern Care Trust" in mail.get_content()


def test_a_lead_for_an_existing_organisation_needs_both_name_and_email(clients, cohort, make_org):
    make_org("Northern Care Trust", ods_code="RQ6")
    response = _add(clients[Role.HEE_ADMIN], cohort.id, **_only(ods_code="RQ6", lead_name="Jo"))
    assert response.status_code == 200
    assert error_summary(page(response)) == ["Enter the lead's email address"]
    assert _memberships(cohort) == 1


def test_a_new_ods_code_alone_asks_for_the_rest_and_says_why(settings, clients, cohort):
    response = _add(clients[Role.HEE_ADMIN], cohort.id, **_only(ods_code="RX9"))
    assert response.status_code == 200
    soup = page(response)
    assert error_summary(soup) == [
        "No organisation in the service has ODS code RX9. Check the code, or enter the "
        "organisation's name, type and region to add it as a new organisation",
        "Select the type of organisation",
        "Select a region",
        "Enter the lead's name",
        "Enter the lead's email address",
    ]
    assert soup.select_one("[name=ods_code]")["value"] == "RX9"  # kept to correct
    assert _memberships(cohort) == 1 and read_outbox(settings) == []


def _invite_link(settings, index=-1) -> str:
    body = read_outbox(settings)[index].get_content()
    match = re.search(r"http://localhost(/invitations/[\w-]+)", body)
    assert match, body
    return match.group(1)


def test_a_lead_with_an_invitation_waiting_is_sent_it_again_not_a_second_one(
    app, settings, clients, cohort, make_org
):
    existing = make_org("Northern Care Trust", ods_code="RQ6")
    admin = clients[Role.HEE_ADMIN]
    invited = submit(
        admin,
        f"/organisations/{existing.id}/invite",
        {"name": "Jo Lead", "email": "jo@example.nhs.uk", "role": "org_lead"},
    )
    assert invited.status_code == 302
    first = _invite_link(settings)
    response = _add(
        admin,
        cohort.id,
        **_only(ods_code="RQ6", lead_name="Jo Lead", lead_email="JO@example.nhs.uk"),
    )
    assert response.status_code == 302, error_summary(page(response))
    shown = " ".join(page(admin.get(response.headers["Location"])).get_text().split())
    assert (
        "jo@example.nhs.uk already had an invitation waiting, so it has been sent again with a "
        "new link. The link in the earlier email no longer works." in shown
    )
    second = _invite_link(settings)
    assert second != first and len(read_outbox(settings)) == 2
    live = [i for i in db.session.query(Invitation) if i.expires_at > utcnow()]
    assert len(live) == 1 and live[0].role is Role.ORG_LEAD
    old = app.test_client().get(first)
    assert old.status_code == 410
    assert "replaced by a newer one" in page(old).get_text()
    assert "Set your password" in page(app.test_client().get(second)).get_text()


@pytest.mark.parametrize(
    ("fields", "messages"),
    [
        ({"ods_code": ""}, ["Enter an ODS code"]),
        ({"ods_code": "XYZ9"}, ["A trust ODS code is 3 characters starting with R or T, like RH8"]),
        ({"name": ""}, ["Enter the organisation's name"]),
        ({"org_type": "hospital"}, ["“hospital” is not a type of organisation we know"]),
        ({"org_type": ""}, ["Select the type of organisation"]),
        ({"region": ""}, ["Select a region"]),
        ({"region": "mars"}, ["“mars” is not a region we know"]),
        ({"lead_name": ""}, ["Enter the lead's name"]),
        ({"lead_email": ""}, ["Enter the lead's email address"]),
        ({"lead_email": "ann@"}, ["The lead's email address, ann@, is not in the correct format"]),
        ({"name": "", "lead_email": ""}, ["Enter the organisation's name", "Enter the lead's"]),
    ],
)
def test_a_bad_organisation_is_refused_field_by_field(settings, clients, cohort, fields, messages):
    response = _add(clients[Role.HEE_ADMIN], cohort.id, **fields)
    assert response.status_code == 200
    soup = page(response)
    summary = error_summary(soup)
    assert len(summary) == len(messages)
    for shown, expected in zip(summary, messages, strict=True):
        assert shown.startswith(expected), (shown, expected)
    assert _memberships(cohort) == 1 and read_outbox(settings) == []
    kept = {name: soup.select_one(f"[name={name}]") for name in ("ods_code", "lead_name")}
    assert kept["lead_name"]["value"] == fields.get("lead_name", "Ann Lead")  # nothing lost


def test_an_organisation_already_in_the_cohort_is_refused(clients, cohort, org):
    response = _add(clients[Role.HEE_ADMIN], cohort.id, ods_code=org.ods_code, org_type="other")
    assert error_summary(page(response)) == [
        f"Home Trust ({org.ods_code}) is already in this cohort"
    ]


ROUTES = (
    "/cohorts/{cohort}/imports/new",
    "/cohorts/{cohort}/imports/{preview}",
    "/cohorts/{cohort}/organisations/add",
    "/cohorts/{cohort}/reviewers",
)


@pytest.fixture
def preview(cohort) -> CohortImport:
    found = CohortImport(cohort_id=cohort.id, filename="x.csv", rows=[])
    with unit_of_work():
        db.session.add(found)
    return found


@pytest.mark.parametrize("role", [Role.HEE_REVIEWER, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_only_hee_admins_reach_these_pages(clients, people, cohort, preview, role):
    """Even a reviewer assigned to the cohort: membership is for admins."""
    from accredit.data.models import CohortReviewer

    with unit_of_work():
        db.session.add(CohortReviewer(cohort_id=cohort.id, user_id=people[Role.HEE_REVIEWER].id))
    client = clients[role]
    token = csrf_token(client, "/home")
    urls = [u.format(cohort=cohort.id, preview=preview.id) for u in ROUTES]
    urls.append(f"/cohorts/{cohort.id}/reviewers/{people[Role.HEE_REVIEWER].id}/remove")
    for url in urls:
        if not url.endswith("/remove"):
            assert client.get(url).status_code == 403, url
        assert client.post(url, data={"csrf_token": token}).status_code == 403, url
    assert db.session.get(CohortImport, preview.id).confirmed_at is None


def test_a_cohort_or_import_that_does_not_exist_is_not_found(clients, cohort, preview):
    admin = clients[Role.HEE_ADMIN]
    token = csrf_token(admin, "/home")
    for url in ROUTES:
        missing = url.format(cohort=999999, preview=preview.id)
        assert admin.get(missing).status_code == 404, missing
        assert admin.post(missing, data={"csrf_token": token}).status_code == 404, missing
    assert admin.get(f"/cohorts/{cohort.id}/imports/999999").status_code == 404
    other = Cohort(name="Another", year=2027, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(other)
    # An import exists, but belongs to another cohort.
    assert admin.get(f"/cohorts/{other.id}/imports/{preview.id}").status_code == 404
    response = admin.post(f"/cohorts/{other.id}/imports/{preview.id}", data={"csrf_token": token})
    assert response.status_code == 404


def test_of_two_confirmations_at_once_only_one_imports(app, settings, people, clients, cohort):
    """The second request read the preview before the first one committed: the claim on
    the row, not the check of what was read, is what stops it."""
    from accredit.data.base import utcnow
    from accredit.data.queries.scope import scope_for
    from accredit.services.cohorts import cohort_import

    admin = clients[Role.HEE_ADMIN]
    preview_url = _preview(
        admin, cohort.id, _csv("RX1,Riverside,acute_trust,london,Ann,ann@example.nhs.uk")
    )
    stale = db.session.get(CohortImport, int(preview_url.rsplit("/", 1)[1]))
    db.session.expunge(stale)
    db.session.rollback()
    with db.engine.begin() as connection:  # the first confirmation, committed meanwhile
        connection.execute(
            CohortImport.__table__.update()
            .where(CohortImport.id == stale.id)
            .values(confirmed_at=utcnow())
        )
    assert stale.confirmed_at is None
    actor = db.session.get(type(people[Role.HEE_ADMIN]), people[Role.HEE_ADMIN].id)
    with app.app_context(), pytest.raises(cohort_import.AlreadyImported):
        cohort_import.confirm(
            settings, scope_for(actor.id, Role.HEE_ADMIN, None), actor, cohort, stale
        )
    assert _memberships(cohort) == 1
    assert db.session.query(Organisation).filter_by(ods_code="RX1").count() == 0
    assert db.session.query(Invitation).count() == 0 and read_outbox(settings) == []


def test_a_lead_who_already_works_for_another_organisation_is_refused(
    clients, cohort, make_org, make_user
):
    elsewhere = make_org("Elsewhere Trust", ods_code="RQ8")
    taken = make_user(Role.ORG_LEAD, elsewhere, email="taken@example.nhs.uk")
    admin = clients[Role.HEE_ADMIN]
    location = _preview(
        admin, cohort.id, _csv(f"RX9,Riverside Trust,acute_trust,london,Tam Lead,{taken.email}")
    )
    soup = page(admin.get(location))
    assert error_summary(soup) == [
        "Line 2: taken@example.nhs.uk already has an account with another organisation: "
        "use another email address"
    ]
    assert _confirm(admin, cohort.id, location.rsplit("/", 1)[1]).status_code in (200, 302)
    assert db.session.query(Organisation).filter_by(ods_code="RX9").count() == 0


def test_invitations_go_out_from_a_job_that_holds_no_link_and_sends_the_rest_when_retried(
    settings, clients, cohort, monkeypatch
):
    from accredit.data.models import Job
    from accredit.services.cohorts import import_invitations
    from accredit.services.operations import mail

    admin = clients[Role.HEE_ADMIN]
    preview_url = _preview(
        admin,
        cohort.id,
        _csv(
            "RX1,Riverside Trust,acute_trust,london,Ann Lead,ann@example.nhs.uk",
            "RX2,Hillside Trust,acute_trust,london,Cal Lead,cal@example.nhs.uk",
        ),
    )
    real_send = mail.send

    def refuse_cal(settings_, message):  # type: ignore[no-untyped-def]
        if message.to == "cal@example.nhs.uk":
            raise OSError("mail server refused")
        real_send(settings_, message)

    monkeypatch.setattr(import_invitations.mail, "send", refuse_cal)
    assert submit(admin, preview_url, {}).status_code == 302
    assert job_backends.drain(30)
    (first,) = read_outbox(settings)
    assert first["To"] == "ann@example.nhs.uk"
    job = db.session.scalars(select(Job).filter_by(kind=import_invitations.KIND)).one()
    token = re.search(r"/invitations/([\w-]+)", first.get_content()).group(1)
    assert token not in json.dumps(job.params)  # ids only: no link is kept anywhere
    assert job.result == {"sent": 1, "unsent": 1, "total": 2}
    shown = page(admin.get(f"{preview_url}/invitations"))
    assert "1 invitation could not be emailed" in shown.get_text(" ")

    monkeypatch.setattr(import_invitations.mail, "send", real_send)  # the server is back
    retry = submit(admin, f"{preview_url}/invitations/retry", {}, page=f"{preview_url}/invitations")
    assert retry.status_code == 302
    assert job_backends.drain(30)
    mails = read_outbox(settings)
    assert sorted(m["To"] for m in mails) == ["ann@example.nhs.uk", "cal@example.nhs.uk"]
    # Ann was not emailed twice, and her first link still works.
    assert admin.get(f"/invitations/{token}").status_code == 200
