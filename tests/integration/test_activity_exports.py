"""The cohort's activity returns export, read back: a row per organisation and year with every
figure, drafts marked, text neutralised, and nothing from outside the cohort or the scope."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import openpyxl

from accredit.data.models import ActivityReturn, Cohort, CohortReviewer
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.assessments.activity_return import FIELDS, NAMES
from accredit.extensions import db
from accredit.services.cohorts import exports_xlsx
from accredit.services.jobs import backends as job_backends
from tests.support.forms import csrf_token
from tests.support.html import page

FORMULA_NAME = '=HYPERLINK("http://evil.example","Trust")'


def _return(organisation, year, status="submitted", **figures):
    values = {name: None for name in NAMES}
    values.update(figures)
    submitted_at = datetime(2026, 5, 1, 9, 30, tzinfo=UTC) if status == "submitted" else None
    with unit_of_work():
        db.session.add(
            ActivityReturn(
                organisation_id=organisation.id,
                year=year,
                status=status,
                figures=values,
                submitted_at=submitted_at,
            )
        )


def _world(make_org, enrol, org):
    home = enrol(org)
    tricky = enrol(make_org(FORMULA_NAME, org_type=OrgType.GP_PRACTICE, ods_code="F0001"))
    outsider = make_org("Outside Trust", ods_code="X0001")
    _return(home, 2024, work_experience_placements=7, total_cost=1200)
    _return(home, 2025, status="draft", work_experience_placements=3)
    _return(tricky, 2025, **{name: i for i, name in enumerate(NAMES)})
    _return(outsider, 2025, work_experience_placements=999)
    return db.session.query(Cohort).one()


def _csv(client, cohort) -> list[dict[str, str]]:
    response = client.get(f"/cohorts/{cohort.id}/exports/activity.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_csv_has_a_row_per_organisation_and_year_with_every_figure(
    clients, make_org, enrol, org
):
    cohort = _world(make_org, enrol, org)
    rows = _csv(clients[Role.HEE_ADMIN], cohort)
    # A row per organisation and year, an organisation's years together and in order (the
    # order of names is the database's collation, so it is not checked here).
    keys = [(r["ODS code"], r["Financial year"], r["Status"]) for r in rows]
    assert sorted(keys) == [
        ("F0001", "2025 to 2026", "Submitted"),
        ("T0001", "2024 to 2025", "Submitted"),
        ("T0001", "2025 to 2026", "Draft"),
    ]
    home_rows = [i for i, key in enumerate(keys) if key[0] == "T0001"]
    assert home_rows[1] == home_rows[0] + 1 and keys[home_rows[0]][1] == "2024 to 2025"
    by_key = {(r["ODS code"], r["Financial year"]): r for r in rows}
    home = by_key[("T0001", "2024 to 2025")]
    assert home["Organisation"] == "Home Trust" and home["Region"] == "London"
    assert home["Type"] == "Acute trust"
    assert home["Submitted at (UTC)"] == "2026-05-01 09:30:00"
    assert home["Work experience placements"] == "7" and home["Total cost, in pounds"] == "1200"
    assert home["Placement days"] == ""
    tricky = by_key[("F0001", "2025 to 2026")]
    assert tricky["Organisation"] == "'" + FORMULA_NAME
    for i, field in enumerate(FIELDS):
        assert tricky[field.label] == str(i), field.name
    assert len(rows[0]) == 7 + len(FIELDS)
    assert not any(r["ODS code"] == "X0001" for r in rows)
    assert by_key[("T0001", "2025 to 2026")]["Submitted at (UTC)"] == ""


def test_a_reviewer_exports_only_the_cohorts_they_review(
    clients, make_org, enrol, org, people, make_user, sign_in_as
):
    cohort = _world(make_org, enrol, org)
    assert len(_csv(clients[Role.HEE_REVIEWER], cohort)) == 3  # assigned by ``enrol``
    stranger = sign_in_as(make_user(Role.HEE_REVIEWER))
    assert stranger.get(f"/cohorts/{cohort.id}/exports/activity.csv").status_code == 404
    assert (
        clients[Role.ORG_LEAD].get(f"/cohorts/{cohort.id}/exports/activity.csv").status_code == 403
    )
    with unit_of_work():
        db.session.query(CohortReviewer).delete()
    assert (
        clients[Role.HEE_REVIEWER].get(f"/cohorts/{cohort.id}/exports/activity.csv").status_code
        == 404
    )


def test_the_excel_file_keeps_figures_as_numbers(clients, make_org, enrol, org):
    cohort = _world(make_org, enrol, org)
    admin = clients[Role.HEE_ADMIN]
    exports_page = f"/cohorts/{cohort.id}/exports"
    doc = page(admin.get(exports_page))
    assert f"/cohorts/{cohort.id}/exports/activity.csv" in {a["href"] for a in doc.select("a")}
    token = csrf_token(admin, exports_page)
    response = admin.post(f"/cohorts/{cohort.id}/exports/activity.xlsx", data={"csrf_token": token})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert job_backends.drain(120)
    status = admin.get(job_url + "/status").get_json()
    assert status["status"] == "done", status
    download = admin.get(status["download"])
    assert download.mimetype == exports_xlsx.XLSX_MEDIA_TYPE
    sheet = openpyxl.load_workbook(io.BytesIO(download.get_data()))["Activity returns"]
    header = [cell.value for cell in sheet[1]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    home = next(r for r in rows if r["Financial year"].value == "2024 to 2025")
    assert home["Work experience placements"].value == 7
    assert home["Work experience placements"].data_type == "n"
    assert home["Submitted at (UTC)"].value == datetime(2026, 5, 1, 9, 30)
    assert "Activity returns (Excel)" in page(admin.get(exports_page)).get_text()
