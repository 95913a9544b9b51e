"""Stored HTML injection: every free-text field a user can set holds a marker payload, then
every page and downloadable document is read as every role (issue 18).

The world is the demo cohort (assessments at every stage, awards, activity returns) with what
it lacks added: a returned review with comments, criterion comments, an action plan, a
written statement and a link, a pending invitation, a withdrawn award with an audit note, a
cohort list waiting for confirmation, a finished evidence pack and a spreadsheet export. Then
each stored free-text column is overwritten with its own marker payload, and each role walks
the site from its home page following every link (a few per kind of page), reading pages as
markup and downloads as text: CSV, XLSX cells, PDF text (pdftotext).
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections import Counter, deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select, update

from accredit.data.models import (
    Action,
    Answer,
    Assessment,
    AuditEvent,
    Award,
    AwardAudit,
    Cohort,
    CohortImport,
    Comment,
    CriterionReview,
    EvidenceFile,
    EvidenceItem,
    Invitation,
    Organisation,
    Review,
    StatusChange,
    User,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.domain.review.awards import AwardStatus
from accredit.domain.scoring.standard import QuestionType
from accredit.extensions import db
from tests.integration import evidence_helpers as evidence
from tests.integration.review_helpers import draw_for_audit, fresh, judge, start_review
from tests.support.forms import submit
from tests.support.injection import Findings, payload

#: Every stored free-text field a user can set, and its marker. A field a sweep never shows
#: anywhere fails the sweep too, so none is claimed as checked without being seen.
FIELDS = {
    (Organisation, "name"): "XSSON",
    (User, "name"): "XSSUN",
    (Invitation, "name"): "XSSIN",
    (Cohort, "name"): "XSSCN",
    (EvidenceItem, "title"): "XSSET",
    (EvidenceItem, "description"): "XSSED",
    (EvidenceItem, "statement"): "XSSES",
    (EvidenceFile, "filename"): "XSSEF",
    (Comment, "body"): "XSSCO",
    (CriterionReview, "comment"): "XSSRC",
    (Review, "note"): "XSSRN",
    (Action, "description"): "XSSAC",
    (Award, "ended_reason"): "XSSAE",
    (AwardAudit, "note"): "XSSAA",
    (AuditEvent, "target"): "XSSAT",
    (AuditEvent, "detail"): "XSSAD",
}
#: Stored for the record and shown nowhere today; overwritten all the same, so the sweep
#: checks it the day a page shows it.
UNSHOWN = {(StatusChange, "note"): "XSSSN"}
ANSWER_MARKER = "XSSAN"  # typed answers (text, long text)
LINK_MARKER = "XSSEU"  # a link item's address (a real URL with the payload in its query)
IMPORT_MARKER = "XSSIR"  # the rows of a cohort list waiting for confirmation
IMPORT_FILE_MARKER = "XSSIF"

#: Kinds of page read per role: enough to reach every template with every state, not every
#: criterion of every assessment.
PER_ENDPOINT = 3
SKIP_PATHS = ("/static/", "/sign-out", "/health")


@pytest.fixture
def hostile_world(app, settings, standards_loaded, make_user, sign_in_as):
    from accredit.seed.demo import DEMO_ADMIN, DEMO_REVIEWER, seed_demo
    from accredit.seed.demo_evidence import add_demo_evidence
    from accredit.services.accounts.invitations import invite
    from accredit.services.assessments.workspace import load
    from accredit.services.cohorts import exports
    from accredit.services.jobs import backends as job_backends
    from accredit.services.reports import packs
    from accredit.services.storage.stores import pack_storage_for, storage_for

    with app.app_context():
        seed_demo(settings)
        add_demo_evidence(storage_for(settings), Path(app.static_folder))
    admin = db.session.scalar(select(User).where(User.email == DEMO_ADMIN[0]))
    reviewer = db.session.scalar(select(User).where(User.email == DEMO_REVIEWER[0]))
    admin_client, reviewer_client = sign_in_as(admin), sign_in_as(reviewer)

    submitted = db.session.scalars(
        select(Assessment).where(Assessment.status == AssessmentStatus.SUBMITTED)
    ).all()
    assert len(submitted) >= 2, "the demo has submitted assessments to review"
    returned, open_review = submitted[0], submitted[1]
    _return_with_comments(reviewer_client, returned.id)
    start_review(reviewer_client, open_review.id)
    judge(reviewer_client, open_review.id, "1.1", "disagree", "A comment")

    # The returned organisation's lead sees the reviewer's comments, the note and the history.
    draft = fresh(returned.id)
    lead = db.session.scalar(
        select(User).where(
            User.organisation_id == draft.organisation_id, User.role == Role.ORG_LEAD
        )
    )
    contributor = make_user(
        Role.ORG_CONTRIBUTOR, db.session.get(Organisation, lead.organisation_id)
    )
    lead_id, contributor_id = lead.id, contributor.id
    with unit_of_work():
        db.session.add_all(
            [
                Comment(assessment_id=draft.id, criterion_id="1.1", author_id=lead.id, body="c"),
                Action(
                    assessment_id=draft.id,
                    criterion_id="1.1",
                    description="a",
                    status="not_started",
                    owner_id=lead.id,
                ),
                EvidenceItem(
                    organisation_id=draft.organisation_id,
                    kind="statement",
                    title="s",
                    statement="s",
                    uploaded_by_id=lead.id,
                ),
                EvidenceItem(
                    organisation_id=draft.organisation_id,
                    kind="link",
                    title="l",
                    url=f"https://example.org/?q={payload(LINK_MARKER)}",
                    uploaded_by_id=lead.id,
                ),
            ]
        )
    with app.app_context():
        evidence.stored_file(
            lead,
            db.session.get(Organisation, lead.organisation_id),
            b"Our work experience policy.\n",
            storage_for(settings),
            title="f",
        )
    invite(
        settings,
        inviter=lead,
        email="pending.colleague@example.nhs.uk",
        name="p",
        role=Role.ORG_CONTRIBUTOR,
        organisation=db.session.get(Organisation, lead.organisation_id),
    )
    cohort = db.session.scalars(select(Cohort)).first()
    _withdraw_one_award()
    preview = _cohort_list_waiting(cohort.id)
    _overwrite_free_text()

    # Documents made from the hostile text: an evidence pack and a spreadsheet export.
    with app.app_context():
        workspace = load(db.session.get(Assessment, draft.id))
        packs.request(workspace, packs.PackScope.ALL, pack_storage_for(settings), lead.id)
        exports.request_xlsx(db.session.get(Cohort, cohort.id), "organisations", admin)
    assert job_backends.drain(240), "the pack and export jobs finish"
    contributor = db.session.get(User, contributor_id)
    lead = db.session.get(User, lead_id)
    return {
        Role.HEE_ADMIN: (admin_client, ["/home", preview]),
        Role.HEE_REVIEWER: (reviewer_client, ["/home"]),
        Role.ORG_LEAD: (sign_in_as(lead), ["/home"]),
        Role.ORG_CONTRIBUTOR: (sign_in_as(contributor), ["/home"]),
    }


def _return_with_comments(client, assessment_id: int) -> None:
    start_review(client, assessment_id)
    assert judge(client, assessment_id, "1.1", "needs_evidence", "r").status_code == 302
    url = f"/assessments/{assessment_id}/review/return"
    assert submit(client, url, {"note": "n"}).status_code == 302
    assert fresh(assessment_id).status is AssessmentStatus.RETURNED


def _withdraw_one_award() -> None:
    """The oldest award withdrawn after an audit (its reason and the audit's note show)."""
    award = db.session.scalars(select(Award).order_by(Award.id)).first()
    assert award is not None, "the demo has awards"
    with unit_of_work():
        award.status = AwardStatus.WITHDRAWN
        award.ended_reason = "w"
        draw_for_audit(award, note="n")


def _cohort_list_waiting(cohort_id: int) -> str:
    """A cohort list uploaded and waiting for confirmation; its page (reached by the upload's
    redirect, not a link)."""
    text = payload(IMPORT_MARKER)
    values = {
        "ods_code": "RX9",
        "name": text,
        "type": "acute_trust",
        "region": "london",
        "lead_name": text,
        "lead_email": "lead.rx9@example.nhs.uk",
    }
    rows = [
        {"line": 2, "values": values, "errors": [], "notes": [], "existing": False, "invite": True}
    ]
    with unit_of_work():
        preview = CohortImport(cohort_id=cohort_id, filename=payload(IMPORT_FILE_MARKER), rows=rows)
        db.session.add(preview)
    return f"/cohorts/{cohort_id}/imports/{preview.id}"


def _overwrite_free_text() -> None:
    """Every listed column of every row, and every typed answer, becomes its payload."""
    from accredit.services.assessments.workspace import load

    standards = {}
    with unit_of_work():
        for (model, column), marker in {**FIELDS, **UNSHOWN}.items():
            length = getattr(getattr(model, column).type, "length", None)
            assert length is None or len(payload(marker)) <= length, (model, column)
            # Only where there is text already (an empty note stays empty), but every audit
            # event gets a detail, so any event page shows one.
            where = [] if model is AuditEvent else [getattr(model, column).is_not(None)]
            db.session.execute(update(model).where(*where).values({column: payload(marker)}))
        for answer in db.session.scalars(select(Answer)).all():
            if answer.assessment_id not in standards:
                assessment = db.session.get(Assessment, answer.assessment_id)
                standards[answer.assessment_id] = load(assessment).standard
            standard = standards[answer.assessment_id]
            try:
                question = standard.question(answer.key)
            except KeyError:
                continue
            if question.type in (QuestionType.TEXT, QuestionType.URL):
                answer.value = payload(ANSWER_MARKER)
    db.session.expire_all()


def _same_site_links(html: str, url: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for a in soup.find_all("a", href=True):
        target = urljoin(url, str(a["href"]))
        parts = urlsplit(target)
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not path.startswith(SKIP_PATHS):
            found.append(path)
    return found


def _read(findings: Findings, where: str, response) -> str | None:
    """Check one response; the HTML back when it is a page (its links are followed)."""
    kind = response.mimetype
    data = response.get_data()
    if kind == "text/html":
        html = data.decode()
        findings.check_html(where, html)
        return html
    if kind == "text/csv":
        findings.check_text(where, data.decode("utf-8-sig"))
    elif kind == "application/pdf":
        findings.check_text(where, _pdf_text(data))
    elif kind.endswith("spreadsheetml.sheet"):
        findings.check_text(where, _xlsx_text(data))
    elif kind == "application/zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.endswith(".pdf"):
                    findings.check_text(f"{where} {name}", _pdf_text(archive.read(name)))
    return None


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode()


def _xlsx_text(data: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def _walk(app, client, starts: list[str], findings: Findings, role: Role) -> set[str]:
    """Every page reachable by links from the starts, a few per endpoint; the endpoints
    reached."""
    adapter = app.url_map.bind("localhost")
    seen: set[str] = set()
    per_endpoint: Counter[str] = Counter()
    queue = deque(starts)
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        try:
            endpoint, _ = adapter.match(urlsplit(path).path)
        except Exception:
            continue  # an anchor to a page that does not exist is another test's business
        if per_endpoint[endpoint] >= PER_ENDPOINT:
            continue
        seen.add(path)
        per_endpoint[endpoint] += 1
        response = client.get(path)
        assert response.status_code < 500, (role, path, response.status_code)
        html = _read(findings, f"{role.value} {path}", response)
        if html is not None:
            queue.extend(_same_site_links(html, path))
    return set(per_endpoint)


def test_no_stored_text_becomes_markup_on_any_page_or_document(app, hostile_world):
    findings = Findings()
    reached: set[str] = set()
    for role, (client, starts) in hostile_world.items():
        reached |= _walk(app, client, starts, findings, role)
    assert not findings.problems, "\n".join(findings.problems[:40])
    expected = {*FIELDS.values(), ANSWER_MARKER, LINK_MARKER, IMPORT_MARKER, IMPORT_FILE_MARKER}
    assert expected <= findings.shown, f"never shown: {sorted(expected - findings.shown)}"
    # The walk read the kinds of document each field reaches, not only pages.
    for endpoint in (
        "reports.download_pack",
        "cohorts.export_download",
        "action_plan.export",
        "organisations.award_certificate",
        "evidence.show",
        "cohorts.import_preview",
    ):
        assert endpoint in reached, f"the walk never reached {endpoint}"
