"""Cohort exports read back as an analyst would: the CSV with the csv module, the Excel file
with openpyxl, the ZIP with zipfile. Figures match the stored summaries, formula-looking text
is neutralised in both formats, and no other cohort's data or anyone else's job leaks."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime

import openpyxl
import pytest

from accredit.data.models import (
    Answer,
    Assessment,
    Cohort,
    CohortMembership,
    Comment,
    Job,
    Organisation,
    ScoreSummary,
    User,
)
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from accredit.services.cohorts import exports, exports_xlsx
from accredit.services.cohorts.exports_answers import answer_table
from accredit.services.cohorts.exports_rows import percent
from accredit.services.jobs import backends as job_backends
from accredit.services.jobs.handlers import JobRun
from accredit.services.operations.standards import latest_published
from accredit.services.reports import packs
from tests.integration.test_security_headers import DOWNLOAD_CSP
from tests.support.forms import csrf_token
from tests.support.html import page

#: Text a spreadsheet would run as a formula, or that hides a formula behind a tab or return.
TRICKS = (
    '=HYPERLINK("http://evil.example","Click")',
    "+1 more",
    "-2 left",
    "@SUM(A1:A9)",
    "\tindented",
    "\rreturned",
)
FORMULA_NAME = '=HYPERLINK("http://evil.example","Trust")'


class World:
    """The Test cohort: Home Trust ready for Bronze, a trust full of formula-looking text part
    way through, a trust not started; and another cohort whose trust must never appear."""

    def __init__(self, cohort: Cohort, other: Cohort, text_keys: list[str]) -> None:
        self.cohort, self.other, self.text_keys = cohort, other, text_keys

    def summary(self, ods_code: str) -> ScoreSummary:
        return (
            db.session.query(ScoreSummary)
            .join(Assessment, Assessment.id == ScoreSummary.assessment_id)
            .join(Organisation, Organisation.id == Assessment.organisation_id)
            .filter(Organisation.ods_code == ods_code, Assessment.cohort_id == self.cohort.id)
            .one()
        )


@pytest.fixture
def world(app, enrol, make_org, make_user, org, people) -> World:
    home = enrol(org)
    seed_stage(home, make_user(Role.ORG_LEAD, home), Stage.BRONZE)
    tricky = enrol(make_org(FORMULA_NAME, ods_code="F0001"))
    lead = make_user(Role.ORG_LEAD, tricky)
    assessment = seed_stage(tricky, lead, Stage.PART_DONE)
    enrol(make_org("Waiting Trust", ods_code="W0001"))
    cohort = db.session.get(Cohort, assessment.cohort_id)
    standard, _ = latest_published("weqs", "2026.1")
    text_keys = [q.key for q in standard.questions if q.type.value == "text"][: len(TRICKS)]
    with unit_of_work():
        cohort.deadline = date(2027, 3, 31)
        db.session.query(Answer).filter(
            Answer.assessment_id == assessment.id, Answer.key.in_(text_keys)
        ).delete(synchronize_session=False)
        for key, trick in zip(text_keys, TRICKS, strict=True):
            db.session.add(Answer(assessment_id=assessment.id, key=key, value=trick))
            db.session.add(
                Comment(
                    assessment_id=assessment.id,
                    criterion_id=key.split("/")[0],
                    author_id=lead.id,
                    body=trick,
                )
            )
        other = Cohort(
            name="Other cohort", year=2026, standard_id="weqs", standard_version="2026.1"
        )
        db.session.add(other)
    elsewhere = make_org("Elsewhere Trust", ods_code="E0001")
    with unit_of_work():
        db.session.add(CohortMembership(cohort_id=other.id, organisation_id=elsewhere.id))
    seed_stage(elsewhere, make_user(Role.ORG_LEAD, elsewhere), Stage.SILVER)
    return World(cohort, other, text_keys)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "a byte order mark, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _by_column(rows: list[list[str]]) -> list[dict[str, str]]:
    header, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def _number(text: str) -> float | None:
    return float(text) if text else None


# --- CSV -------------------------------------------------------------------------------


def test_the_organisations_csv_matches_the_stored_summaries(world, clients):
    url = f"/cohorts/{world.cohort.id}/exports/organisations.csv"
    rows = _csv(clients[Role.HEE_ADMIN].get(url))
    header = rows[0]
    assert header[:7] == [
        "ODS code",
        "Organisation",
        "Type",
        "Region",
        "Status",
        "Completion %",
        "Level reached",
    ]
    assert header[7:10] == ["Bronze readiness %", "Silver readiness %", "Gold readiness %"]
    assert header[-3:] == ["Last activity (UTC)", "Submitted at (UTC)", "Deadline"]
    by_ods = {row["ODS code"]: row for row in _by_column(rows)}
    assert set(by_ods) == {"T0001", "F0001", "W0001"}, "only this cohort, every member once"

    home = by_ods["T0001"]
    summary = world.summary("T0001")
    assert home["Organisation"] == "Home Trust" and home["Status"] == "In progress"
    assert home["Type"] == "Acute trust" and home["Region"] == "London"
    assert home["Level reached"] == "Bronze" == summary.level_reached.capitalize()
    assert _number(home["Completion %"]) == percent(summary.completion)
    for level in ("bronze", "silver", "gold"):
        column = f"{level.capitalize()} readiness %"
        assert _number(home[column]) == percent(summary.level_percents[level])
    standard, _ = latest_published("weqs", "2026.1")
    for section in standard.sections:
        expected = percent(summary.section_percents[section.id])
        assert _number(home[f"{section.title} score %"]) == expected
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", home["Last activity (UTC)"])
    assert home["Submitted at (UTC)"] == "" and home["Deadline"] == "2027-03-31"

    assert by_ods["F0001"]["Organisation"] == "'" + FORMULA_NAME
    waiting = by_ods["W0001"]
    assert waiting["Status"] == "Not started"
    assert (
        waiting["Completion %"] == waiting["Level reached"] == waiting["Bronze readiness %"] == ""
    )


def test_the_answers_csv_has_a_row_per_organisation_and_question(world, clients):
    url = f"/cohorts/{world.cohort.id}/exports/answers.csv"
    rows = _csv(clients[Role.HEE_REVIEWER].get(url))  # a reviewer assigned to the cohort
    assert rows[0] == [
        "ODS code",
        "Organisation",
        "Criterion",
        "Criterion title",
        "Question key",
        "Question",
        "Answer",
        "Criterion status",
        "Comments",
        "Evidence count",
    ]
    body = _by_column(rows)
    standard, _ = latest_published("weqs", "2026.1")
    assert len(body) == 2 * len(standard.questions), "every question, for each assessed trust"
    assert {row["ODS code"] for row in body} == {"T0001", "F0001"}
    assert [row["Question key"] for row in body[: len(standard.questions)]] == [
        q.key for q in standard.questions
    ], "in the standard's order"

    summary = world.summary("T0001")
    home = [row for row in body if row["ODS code"] == "T0001"]
    for row in home:
        question = standard.question(row["Question key"])
        criterion = standard.criterion(question.criterion_id)
        assert (row["Criterion"], row["Criterion title"]) == (criterion.id, criterion.title)
        assert row["Question"] == question.text
        status, evidence = summary.criteria[criterion.id]
        assert row["Criterion status"] == status.replace("_", " ").capitalize()
        assert row["Evidence count"] == str(evidence)
    answered = {
        a.key: a.value
        for a in db.session.query(Answer)
        .join(Assessment)
        .filter(Assessment.id == summary.assessment_id)
    }
    yes_no = next(r for r in home if answered.get(r["Question key"]) == "yes")
    assert yes_no["Answer"] == "Yes"
    number = next(r for r in home if isinstance(answered.get(r["Question key"]), int))
    assert number["Answer"] == str(answered[number["Question key"]])
    unanswered = next(r for r in home if r["Question key"] not in answered)
    assert unanswered["Answer"] == ""

    tricky = {row["Question key"]: row for row in body if row["ODS code"] == "F0001"}
    for key, trick in zip(world.text_keys, TRICKS, strict=True):
        assert tricky[key]["Answer"] == "'" + trick
        assert tricky[key]["Comments"] == "'" + trick
        assert tricky[key]["Organisation"] == "'" + FORMULA_NAME


def test_another_cohorts_export_holds_only_its_own_organisations(world, clients):
    admin = clients[Role.HEE_ADMIN]
    other = _by_column(_csv(admin.get(f"/cohorts/{world.other.id}/exports/answers.csv")))
    assert other and {row["ODS code"] for row in other} == {"E0001"}
    mine = _by_column(_csv(admin.get(f"/cohorts/{world.cohort.id}/exports/answers.csv")))
    assert "E0001" not in {row["ODS code"] for row in mine}


# --- Excel -----------------------------------------------------------------------------


def _request(client, url: str) -> str:
    token = csrf_token(client, url.rsplit("/exports/", 1)[0] + "/exports")
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def _download(client, job_url: str) -> tuple[bytes, str]:
    assert job_backends.drain(300)
    status = client.get(job_url + "/status").get_json()
    assert status["status"] == "done" and status["progress"] == 100, status
    doc = page(client.get(job_url))
    assert doc.select_one("h1").get_text() == "Your export is ready"
    link = doc.select_one("a.nhsuk-button")["href"]
    assert link == status["download"]
    response = client.get(link)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Security-Policy"] == DOWNLOAD_CSP  # not a page's policy
    return response.get_data(), response.mimetype


def _header_ok(sheet) -> list[str]:
    header = [cell.value for cell in sheet[1]]
    assert all(cell.font.b for cell in sheet[1]), "the header row is bold"
    assert sheet.freeze_panes == "A2", "panes frozen below the header"
    assert sheet.column_dimensions["B"].width > 20, "columns have widths"
    return header


def test_the_organisations_excel_file_is_made_by_a_job_and_keeps_types(world, clients):
    admin = clients[Role.HEE_ADMIN]
    job_url = _request(admin, f"/cohorts/{world.cohort.id}/exports/organisations.xlsx")
    assert re.search(rf"/cohorts/{world.cohort.id}/exports/\d+$", job_url)
    data, mimetype = _download(admin, job_url)
    assert mimetype == exports_xlsx.XLSX_MEDIA_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Organisations"]
    header = _header_ok(sheet)
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {"T0001", "F0001", "W0001"}

    home = dict(zip(header, rows["T0001"], strict=True))
    summary = world.summary("T0001")
    completion = home["Completion %"]
    assert completion.data_type == "n" and completion.value == percent(summary.completion)
    bronze = home["Bronze readiness %"]
    assert isinstance(bronze.value, int | float)
    assert bronze.value == percent(summary.level_percents["bronze"])
    activity = home["Last activity (UTC)"]
    assert isinstance(activity.value, datetime) and activity.is_date
    assert activity.number_format == "dd/mm/yyyy hh:mm"
    deadline = home["Deadline"]
    assert deadline.value == datetime(2027, 3, 31) and deadline.number_format == "dd/mm/yyyy"

    tricky = dict(zip(header, rows["F0001"], strict=True))
    assert tricky["Organisation"].value == "'" + FORMULA_NAME
    assert tricky["Organisation"].data_type == "s", "text, never a formula"
    waiting = dict(zip(header, rows["W0001"], strict=True))
    assert waiting["Status"].value == "Not started" and waiting["Completion %"].value is None


def test_the_answers_excel_file_neutralises_text_and_keeps_numbers(world, clients):
    reviewer = clients[Role.HEE_REVIEWER]
    job_url = _request(reviewer, f"/cohorts/{world.cohort.id}/exports/answers.xlsx")
    data, _ = _download(reviewer, job_url)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Answers"]
    sheet = book["Answers"]
    header = _header_ok(sheet)
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    tricky = {r["Question key"].value: r for r in rows if r["ODS code"].value == "F0001"}
    for key, trick in zip(world.text_keys, TRICKS, strict=True):
        for column in ("Answer", "Comments", "Organisation"):
            cell = tricky[key][column]
            expected = FORMULA_NAME if column == "Organisation" else trick
            assert cell.value == "'" + expected, (column, cell.value)
            assert cell.data_type == "s"
    counts = [r["Evidence count"] for r in rows if r["Evidence count"].value is not None]
    assert counts and all(c.data_type == "n" for c in counts)
    numbers = [r["Answer"] for r in rows if isinstance(r["Answer"].value, int | float)]
    assert numbers, "numeric answers stay numbers"


def test_past_excels_row_limit_the_rows_go_on_to_another_sheet(world, app, tmp_path):
    standard, _ = latest_published("weqs", "2026.1")
    scope = _admin_scope(world)
    path = tmp_path / "answers.xlsx"
    with app.app_context():
        written = exports_xlsx.write_xlsx(answer_table(scope, world.cohort), path, max_rows=100)
    assert written == 2 * len(standard.questions)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Answers", "Answers (2)", "Answers (3)"]
    for sheet in book.worksheets:
        _header_ok(sheet)
    sizes = [sheet.max_row - 1 for sheet in book.worksheets]
    assert sizes == [99, 99, written - 198]


def test_the_job_reports_its_progress(world, app, settings, people, monkeypatch):
    monkeypatch.setattr("accredit.services.cohorts.exports_answers.CHUNK", 1)
    told: list[tuple[int, str]] = []
    params = {
        "cohort_id": world.cohort.id,
        "table": "answers",
        "requested_by_id": people[Role.HEE_ADMIN].id,
    }

    def progress(percent: int, message: str = "") -> None:
        told.append((percent, message))

    with app.app_context():
        result = exports._run_table(params, JobRun(progress, settings, app))
    messages = [message for _, message in told]
    assert "Written 1 of 2 organisations" in messages and "Written 2 of 2 organisations" in messages
    percents = [p for p, _ in told]
    assert percents == sorted(percents) and 0 < percents[0] < percents[-1] < 100
    assert result["rows"] > 0 and result["filename"].endswith(".xlsx")


def _admin_scope(world):
    from accredit.data.queries.scope import Scope

    return Scope(0, Role.HEE_ADMIN, None)


# --- The ZIP of evidence packs ---------------------------------------------------------


def test_the_zip_holds_one_pack_per_assessed_organisation(world, clients):
    admin = clients[Role.HEE_ADMIN]
    job_url = _request(admin, f"/cohorts/{world.cohort.id}/exports/packs.zip")
    data, mimetype = _download(admin, job_url)
    assert mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(archive.namelist())
    assert names == [
        "F0001-hyperlink-http-evil-example-trust.pdf",
        "README.txt",
        "T0001-home-trust.pdf",
    ]
    for name in names[::2]:
        assert archive.read(name).startswith(b"%PDF")
    readme = archive.read("README.txt").decode()
    assert "2 packs in this file" in readme and "Every organisation's pack was made." in readme


def test_the_zip_is_made_in_steps_that_each_stay_far_inside_the_job_time_bound(
    world, clients, monkeypatch
):
    from accredit.data.models import Job
    from accredit.services.cohorts import exports_packs

    # A step's budget as good as nothing: every pack but the last ends its step, as a step
    # making packs for a thousand organisations would at a third of the time bound.
    monkeypatch.setattr(exports_packs, "STEP_SHARE", 10**9)
    admin = clients[Role.HEE_ADMIN]
    job_url = _request(admin, f"/cohorts/{world.cohort.id}/exports/packs.zip")
    data, _ = _download(admin, job_url)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == [
        "F0001-hyperlink-http-evil-example-trust.pdf",
        "README.txt",
        "T0001-home-trust.pdf",
    ]
    assert "2 packs in this file" in archive.read("README.txt").decode()
    job = db.session.get(Job, int(job_url.rsplit("/", 1)[1]), populate_existing=True)
    assert job.attempts == 2  # a step per pack, the ZIP written by the last
    assert len(job.params["resume"]["made"]) == 1 and job.params["resume"]["failed"] == []


def test_a_pack_that_fails_is_listed_in_the_readme_and_the_rest_delivered(
    world, clients, monkeypatch
):
    def broken(assessment, *args, **kwargs):
        raise RuntimeError("the renderer fell over")

    monkeypatch.setattr(packs, "make", broken)
    admin = clients[Role.HEE_ADMIN]
    job_url = _request(admin, f"/cohorts/{world.cohort.id}/exports/packs.zip")
    data, _ = _download(admin, job_url)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["README.txt"]
    readme = archive.read("README.txt").decode()
    assert "0 packs in this file" in readme
    assert "- T0001 Home Trust" in readme and f"- F0001 {FORMULA_NAME}" in readme
    doc = page(admin.get(job_url))
    assert "2 organisations' packs could not be made" in doc.get_text()


# --- Who may export --------------------------------------------------------------------


def _routes(cohort_id: int, job_id: int) -> tuple[list[str], list[str]]:
    base = f"/cohorts/{cohort_id}"
    gets = [
        f"{base}/exports",
        f"{base}/exports/organisations.csv",
        f"{base}/exports/answers.csv",
        f"{base}/exports/{job_id}",
        f"{base}/exports/{job_id}/status",
        f"{base}/exports/{job_id}/download",
    ]
    posts = [
        f"{base}/exports/organisations.xlsx",
        f"{base}/exports/answers.xlsx",
        f"{base}/exports/packs.zip",
    ]
    return gets, posts


def test_reviewers_of_other_cohorts_get_404_and_organisation_users_403(
    world, clients, make_user, sign_in_as
):
    admin = clients[Role.HEE_ADMIN]
    job_url = _request(admin, f"/cohorts/{world.cohort.id}/exports/organisations.xlsx")
    job_id = int(job_url.rsplit("/", 1)[1])
    assert job_backends.drain(120)
    gets, posts = _routes(world.cohort.id, job_id)
    outsider = sign_in_as(make_user(Role.HEE_REVIEWER))  # assigned to no cohort
    token = csrf_token(outsider, "/home")
    for url in gets:
        assert outsider.get(url).status_code == 404, url
    for url in posts:
        assert outsider.post(url, data={"csrf_token": token}).status_code == 404, url
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        client = clients[role]
        token = csrf_token(client, "/home")
        for url in gets:
            assert client.get(url).status_code == 403, (role, url)
        for url in posts:
            assert client.post(url, data={"csrf_token": token}).status_code == 403, (role, url)
    assert db.session.query(Job).count() == 1, "nothing was queued for them"


def test_an_export_job_is_seen_by_whoever_asked_and_hee_admins_only(world, clients):
    reviewer, admin = clients[Role.HEE_REVIEWER], clients[Role.HEE_ADMIN]
    admins = _request(admin, f"/cohorts/{world.cohort.id}/exports/organisations.xlsx")
    reviewers = _request(reviewer, f"/cohorts/{world.cohort.id}/exports/organisations.xlsx")
    assert admins != reviewers, "each person gets their own export"
    assert job_backends.drain(120)
    assert reviewer.get(admins).status_code == 404
    assert reviewer.get(admins + "/download").status_code == 404
    assert admin.get(reviewers).status_code == 200
    # A job of this cohort is not found under another cohort's address.
    foreign = admins.replace(f"/cohorts/{world.cohort.id}/", f"/cohorts/{world.other.id}/")
    assert admin.get(foreign).status_code == 404
    # Nor is a job that is not an export (an evidence pack's, say).
    with unit_of_work():
        pack_job = Job(
            kind="pack", subject="pack:x", params={}, status="done", organisation_id=None
        )
        db.session.add(pack_job)
    assert admin.get(f"/cohorts/{world.cohort.id}/exports/{pack_job.id}").status_code == 404


def test_the_exports_page_offers_every_export_and_lists_recent_ones(world, clients):
    reviewer = clients[Role.HEE_REVIEWER]
    url = f"/cohorts/{world.cohort.id}/exports"
    doc = page(reviewer.get(url))
    links = {a["href"] for a in doc.select("a")}
    assert f"/cohorts/{world.cohort.id}/exports/organisations.csv" in links
    assert f"/cohorts/{world.cohort.id}/exports/answers.csv" in links
    actions = {form["action"] for form in doc.select("form[method=post]")}
    assert {
        f"/cohorts/{world.cohort.id}/exports/organisations.xlsx",
        f"/cohorts/{world.cohort.id}/exports/answers.xlsx",
        f"/cohorts/{world.cohort.id}/exports/packs.zip",
    } <= actions
    assert "Your recent exports" not in doc.get_text()

    job_url = _request(reviewer, f"/cohorts/{world.cohort.id}/exports/answers.xlsx")
    assert job_backends.drain(120)
    doc = page(reviewer.get(url))
    recent = doc.select("table")[-1]
    assert "Your recent exports" in recent.caption.get_text()
    assert recent.select_one("a")["href"] == job_url
    assert "All answers (Excel)" in recent.get_text() and "Ready" in recent.get_text()


def test_a_missing_export_file_sends_the_user_back_to_make_it_again(world, clients, settings):
    admin = clients[Role.HEE_ADMIN]
    job_url = _request(admin, f"/cohorts/{world.cohort.id}/exports/organisations.xlsx")
    assert job_backends.drain(120)
    job = db.session.get(Job, int(job_url.rsplit("/", 1)[1]), populate_existing=True)
    exports.export_storage_for(settings).path(job.result["sha256"]).unlink()
    response = admin.get(job_url + "/download")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cohorts/{world.cohort.id}/exports")
    assert "no longer stored" in page(admin.get(response.headers["Location"])).get_text()


def test_exports_are_audited(world, clients):
    from accredit.data.models import AuditEvent

    admin = clients[Role.HEE_ADMIN]
    _csv(admin.get(f"/cohorts/{world.cohort.id}/exports/organisations.csv"))
    events = db.session.query(AuditEvent).filter(AuditEvent.action == "cohort.exported").all()
    assert [(e.target, e.detail) for e in events] == [
        (f"cohort:{world.cohort.id}", "organisations.csv")
    ]
    assert db.session.get(User, events[0].actor_id).role is Role.HEE_ADMIN


def test_text_xml_refuses_is_dropped_so_the_workbook_still_opens(app, tmp_path):
    """Typed text can hold characters XML does not allow (controls, U+FFFE, lone surrogates):
    they are left out of the cell rather than making the whole file unreadable."""
    from accredit.services.cohorts.exports_rows import Column, Table, typed_rows

    hostile = "ok\ufffe\x00\x1b <b>&</b> \ud800\U0001f600"
    table = Table(
        name="Odd",
        title="Odd text",
        columns=(Column("Text", 20),),
        render=typed_rows(lambda: iter([[(hostile,)]])),
    )
    path = tmp_path / "odd.xlsx"
    with app.app_context():
        exports_xlsx.write_xlsx(table, path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet.cell(row=2, column=1).value == "ok <b>&</b> \U0001f600"
