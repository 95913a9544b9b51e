"""The evidence library: uploads typed from their content, refusals, safe names, downloads,
and who may see what (another organisation's ids are 404)."""

from __future__ import annotations

import hashlib
from io import BytesIO

import pytest

from accredit.data.models import AuditEvent, EvidenceFile, EvidenceItem
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.evidence import filetypes
from tests.integration.evidence_helpers import add, added_item, base, upload_new_version
from tests.support import files
from tests.support.forms import csrf_token
from tests.support.html import error_summary, page
from tests.support.statements import recorded

MiB = 1024 * 1024


def _has_link(soup, text: str) -> bool:
    return any(a.get_text(strip=True) == text for a in soup.find_all("a"))


def _stored(settings) -> list:
    root = settings.instance_path / "evidence"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("role", [Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_organisation_staff_upload_a_pdf(clients, people, org, settings, role):
    data = files.pdf()
    item = added_item(add(clients[role], org, data=data))
    assert (item.kind, item.title, item.description) == (
        "file",
        "Work experience policy",
        "Approved by the board",
    )
    assert item.effective_date.isoformat() == "2025-04-01"
    assert item.uploaded_by_id == people[role].id and item.current_version == 1
    row = db.session.query(EvidenceFile).filter_by(item_id=item.id).one()
    digest = hashlib.sha256(data).hexdigest()
    assert (row.version, row.sha256, row.media_type, row.size) == (
        1,
        digest,
        "application/pdf",
        len(data),
    )
    assert row.filename == "Work experience policy.pdf"
    stored = settings.instance_path / "evidence" / digest[:2] / digest
    assert stored.read_bytes() == data
    event = db.session.query(AuditEvent).filter_by(action="evidence-added").one()
    assert event.target == f"evidence:{item.id}" and event.after["sha256"] == digest

    soup = page(clients[role].get(f"{base(org)}/{item.id}"))
    assert soup.h1.get_text() == "Work experience policy"
    assert "has been added to the evidence library" in soup.get_text()


@pytest.mark.parametrize(
    ("make", "filename", "label"),
    [
        (files.docx, "Induction checklist.docx", "Word document"),
        (files.xlsx, "Placements.xlsx", "Excel spreadsheet"),
        (files.pptx, "Board update.pptx", "PowerPoint presentation"),
        (files.odt, "Policy.odt", "OpenDocument text"),
        (files.png, "Poster.png", "PNG image"),
        (files.csv, "Register.csv", "CSV"),
    ],
)
def test_office_documents_images_and_text_are_accepted(clients, org, make, filename, label):
    item = added_item(add(clients[Role.ORG_LEAD], org, data=make(), filename=filename))
    row = db.session.query(EvidenceFile).filter_by(item_id=item.id).one()
    assert row.filename == filename
    library = page(clients[Role.ORG_LEAD].get(base(org)))
    assert label in library.select_one("tbody").get_text()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (files.elf(), "policy.pdf", filetypes.PROGRAM),
        (files.pe(), "policy.pdf", filetypes.PROGRAM),
        (files.plain_zip(), "checklist.docx", filetypes.ARCHIVE),
        (b"", "empty.pdf", filetypes.EMPTY),
        (b"<html><script>alert(1)</script></html>", "page.txt", filetypes.UNRECOGNISED),
    ],
    ids=["elf-renamed-pdf", "pe-renamed-pdf", "zip-renamed-docx", "empty", "html-renamed-txt"],
)
def test_refused_files_are_explained_and_nothing_typed_is_lost(
    clients, org, settings, data, filename, message
):
    response = add(clients[Role.ORG_LEAD], org, data=data, filename=filename)
    assert response.status_code == 200
    soup = page(response)
    assert error_summary(soup) == [message]
    assert soup.select_one("#file-error") is not None
    assert soup.find("input", {"name": "title"})["value"] == "Work experience policy"
    assert soup.find("textarea", {"name": "description"}).get_text() == "Approved by the board"
    assert soup.find("input", {"name": "effective_date-year"})["value"] == "2025"
    assert soup.find("input", {"name": "kind"})["value"] == "file"
    assert soup.title.string.startswith("Error: ")
    assert db.session.query(EvidenceItem).count() == 0
    assert _stored(settings) == []


def test_the_browser_content_type_is_ignored(clients, org):
    """What the browser claims does not matter: an executable sent as application/pdf."""
    url = f"{base(org)}/new"
    client = clients[Role.ORG_LEAD]
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "kind": "file",
            "title": "Policy",
            "file": (BytesIO(files.elf()), "policy.pdf", "application/pdf"),
        },
        content_type="multipart/form-data",
    )
    assert error_summary(page(response)) == [filetypes.PROGRAM]


def test_a_file_at_the_limit_is_accepted_and_one_byte_more_is_refused(app, clients, org):
    app.extensions["accredit.settings"].max_upload_mb = 1
    app.config["MAX_CONTENT_LENGTH"] = MiB
    client = clients[Role.ORG_LEAD]
    text = b"Placement register, one line per learner.\n"
    at_limit = (text * (MiB // len(text) + 1))[:MiB]
    assert added_item(add(client, org, data=at_limit, filename="register.txt")).title

    response = add(client, org, data=at_limit + b".", filename="register.txt", title="Too big")
    assert response.status_code == 200
    soup = page(response)
    assert error_summary(soup) == ["The selected file must be 1MB or smaller"]
    assert soup.find("input", {"name": "title"})["value"] == "Too big"
    assert db.session.query(EvidenceItem).count() == 1


def test_a_request_far_over_the_limit_gets_the_form_back_not_a_bare_413(app, clients, org):
    app.extensions["accredit.settings"].max_upload_mb = 1
    app.config["MAX_CONTENT_LENGTH"] = MiB
    response = add(clients[Role.ORG_LEAD], org, data=b"x" * (3 * MiB), filename="big.txt")
    assert response.status_code == 413
    soup = page(response)
    assert soup.h1.get_text() == "Upload a file"
    assert error_summary(soup) == ["The selected file must be 1MB or smaller"]
    assert db.session.query(EvidenceItem).count() == 0


@pytest.mark.parametrize(
    ("filename", "stored", "header"),
    [
        ("../../etc/passwd", "passwd.pdf", 'attachment; filename="passwd.pdf"'),
        ("..\\..\\boot.ini", "boot.pdf", 'attachment; filename="boot.pdf"'),
        (
            "résumé \u200b.pdf",
            "résumé.pdf",
            "attachment; filename=resume.pdf; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
        ),
        ("invoice\u202efdp.exe", "invoicefdp.pdf", 'attachment; filename="invoicefdp.pdf"'),
        ("a<b>:c|d.pdf", "a_b__c_d.pdf", 'attachment; filename="a_b__c_d.pdf"'),
    ],
)
def test_uploaded_names_are_made_safe_and_downloads_are_attachments(
    clients, org, filename, stored, header
):
    client = clients[Role.ORG_LEAD]
    item = added_item(add(client, org, filename=filename))
    row = db.session.query(EvidenceFile).filter_by(item_id=item.id).one()
    assert row.filename == stored
    response = client.get(f"{base(org)}/{item.id}/versions/1/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].replace('"', "") == header.replace('"', "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.data == files.pdf()


def test_the_same_bytes_are_stored_once(clients, org, settings):
    client = clients[Role.ORG_LEAD]
    first = added_item(add(client, org, title="Policy"))
    second = added_item(add(client, org, title="Policy again", filename="copy.pdf"))
    rows = db.session.query(EvidenceFile).order_by(EvidenceFile.id).all()
    assert [r.item_id for r in rows] == [first.id, second.id]
    assert rows[0].sha256 == rows[1].sha256
    assert len(_stored(settings)) == 1


def test_a_link_and_a_statement_can_be_evidence(clients, org):
    client = clients[Role.ORG_LEAD]
    link = added_item(
        add(client, org, kind="link", url=" https://www.example.nhs.uk/work-experience ")
    )
    assert (link.kind, link.url, link.current_version) == (
        "link",
        "https://www.example.nhs.uk/work-experience",
        0,
    )
    text = "Every placement has a named supervisor.\n\nWe check this weekly."
    statement = added_item(add(client, org, kind="statement", statement=text, title="Supervision"))
    assert statement.statement == text
    soup = page(client.get(f"{base(org)}/{statement.id}"))
    assert [p.get_text() for p in soup.select("dd p")] == [
        "Every placement has a named supervisor.",
        "We check this weekly.",
    ]
    soup = page(client.get(f"{base(org)}/{link.id}"))
    assert soup.find("a", href="https://www.example.nhs.uk/work-experience")
    assert db.session.query(EvidenceFile).count() == 0


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"kind": "file", "title": ""}, ["Enter a title"]),
        (
            {"kind": "link", "url": "javascript:alert(1)"},
            ["Enter a web address in the correct format, like https://www.example.nhs.uk/policy"],
        ),
        ({"kind": "link", "url": ""}, ["Enter the web address"]),
        ({"kind": "statement", "statement": "  "}, ["Enter the statement"]),
        ({"effective_date-month": ""}, ["Date it came into effect must include a month"]),
        (
            {"effective_date-day": "31", "effective_date-month": "2"},
            ["Date it came into effect must be a real date"],
        ),
    ],
)
def test_form_problems_are_listed_and_what_was_typed_stays(clients, org, fields, errors):
    response = add(clients[Role.ORG_LEAD], org, data=files.pdf(), **fields)
    assert response.status_code == 200
    soup = page(response)
    assert error_summary(soup) == errors
    for link in soup.select(".nhsuk-error-summary a"):
        assert soup.select_one(link["href"]) is not None, link["href"]
    if "effective_date-day" in fields:
        assert soup.find("input", {"name": "effective_date-day"})["value"] == "31"
    if fields.get("url"):
        assert soup.find("input", {"name": "url"})["value"] == fields["url"]
    assert db.session.query(EvidenceItem).count() == 0


@pytest.mark.parametrize(
    ("query", "heading", "field"),
    [
        ("", "Upload a file", "file"),
        ("?kind=file", "Upload a file", "file"),
        ("?kind=link", "Add a link", "url"),
        ("?kind=statement", "Write a statement", "statement"),
        ("?kind=nonsense", "Upload a file", "file"),
    ],
)
def test_the_page_asks_only_for_the_chosen_kind(clients, org, query, heading, field):
    soup = page(clients[Role.ORG_LEAD].get(f"{base(org)}/new{query}"))
    assert soup.h1.get_text() == heading
    asked = {tag["name"] for tag in soup.select("form [name]")} & {"file", "url", "statement"}
    assert asked == {field}
    assert soup.find("input", {"name": "kind"})["value"] == field.replace("url", "link")
    others = [a["href"] for a in soup.select("main p a[href*='/new?kind=']")]
    assert len(others) == 2 and not any(href.endswith(f"={heading}") for href in others)


def test_library_lists_items_newest_first_with_their_current_file(clients, org):
    client = clients[Role.ORG_LEAD]
    added_item(add(client, org, title="Older"))
    added_item(add(client, org, kind="link", title="Newer", url="https://example.org/a"))
    soup = page(client.get(base(org)))
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in soup.select("tbody tr")
    ]
    assert [r[0] for r in rows] == ["Newer", "Older"]
    assert rows[0][1] == "Link" and rows[1][1].startswith("PDF, ")
    assert rows[1][2] == "1 April 2025"


def test_empty_library(clients, org):
    soup = page(clients[Role.ORG_CONTRIBUTOR].get(base(org)))
    assert "There is no evidence in the library yet." in soup.get_text()
    assert all(_has_link(soup, t) for t in ("Upload a file", "Add a link", "Write a statement"))


@pytest.mark.parametrize("role", [Role.HEE_REVIEWER, Role.HEE_ADMIN])
def test_hee_staff_can_read_and_download_but_not_change(clients, org, role, enrol):
    enrol(org)  # reviewers see the organisations of the cohorts they review
    item = added_item(add(clients[Role.ORG_LEAD], org))
    hee = clients[role]
    library = page(hee.get(base(org)))
    assert not _has_link(library, "Upload a file")
    details = page(hee.get(f"{base(org)}/{item.id}"))
    assert not _has_link(details, "Remove from the library")
    download = hee.get(f"{base(org)}/{item.id}/versions/1/download")
    assert download.status_code == 200 and download.data == files.pdf()
    assert download.headers["Content-Disposition"].startswith("attachment")
    for path in ("/new", f"/{item.id}/new-version", f"/{item.id}/remove"):
        assert hee.get(base(org) + path).status_code == 403


@pytest.mark.parametrize("role", [Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_another_organisations_evidence_is_not_found(
    clients, make_user, sign_in_as, org, other_org, role
):
    theirs = added_item(add(sign_in_as(make_user(Role.ORG_LEAD, other_org)), other_org))
    mine = clients[role]
    token = csrf_token(mine, "/home")
    for organisation_id in (org.id, other_org.id):
        prefix = f"{base(organisation_id)}/{theirs.id}"
        for path in ("", "/new-version", "/remove", "/versions/1/download"):
            assert mine.get(prefix + path).status_code == 404, prefix + path
        for path in ("/new-version", "/remove"):
            response = mine.post(prefix + path, data={"csrf_token": token})
            assert response.status_code == 404, prefix + path
    assert mine.get(base(other_org)).status_code == 404
    assert mine.get(f"{base(other_org)}/new").status_code == 404
    assert mine.get(f"{base(org)}/{theirs.id + 1000}").status_code == 404
    assert mine.get(f"{base(org)}/versions/2/download").status_code == 404


def test_upload_pages_still_check_the_csrf_token(clients, org):
    """They read their own body (for the size limit), so they check the token themselves."""
    client = clients[Role.ORG_LEAD]
    item = added_item(add(client, org))
    for path in ("/new", f"/{item.id}/new-version"):
        response = client.post(
            base(org) + path,
            data={"kind": "file", "title": "x", "file": (BytesIO(files.docx()), "x.docx")},
            content_type="multipart/form-data",
        )
        # Refused, and the page comes back with what was typed (the file must be chosen again).
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith(base(org) + path + "?restore=")
        shown = page(client.get(response.headers["Location"])).get_text()
        assert "we did not save what you typed" in shown
        assert "choose the file again" in shown
    assert db.session.query(EvidenceFile).count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, org):
    for path in ("", "/new", "/1", "/1/versions/1/download"):
        response = client.get(base(org) + path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def _queries_for(client, url: str) -> int:
    db.remove()  # start from an empty identity map, as a real request does
    with recorded() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_pages_cost_the_same_queries_however_many_items(clients, org):
    """Uploaders, current files and versions come with their rows: no query per item."""
    client = clients[Role.ORG_LEAD]
    first = added_item(add(client, org, title="One"))
    library_with_one = _queries_for(client, base(org))
    details_with_one = _queries_for(client, f"{base(org)}/{first.id}")
    for n in range(4):
        added_item(add(client, org, title=f"More {n}", data=files.pdf(f"Policy {n}")))
    assert _queries_for(client, base(org)) == library_with_one
    for n in range(3):
        upload_new_version(client, first, files.pdf(f"Version {n}"), f"v{n}.pdf")
    assert _queries_for(client, f"{base(org)}/{first.id}") == details_with_one
