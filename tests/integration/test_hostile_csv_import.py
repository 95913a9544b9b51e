"""Formula injection through the cohort CSV import, followed all the way out.

The import keeps names exactly as typed (a trust's name is its name, and the page escapes
it), so the defence is at every way out to a spreadsheet: each export must turn a value that
starts with = + - @ (or a tab or carriage return) into text that a spreadsheet shows, never
runs. These tests import such names, then read every export the way Excel would.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from accredit.data.models import CohortImport, Invitation, Organisation
from accredit.domain.accounts.organisations import Role
from accredit.domain.cohorts.spreadsheet import TRIGGERS
from accredit.extensions import db
from tests.integration.test_cohort_exports import _download, _request
from tests.integration.test_cohort_import import _csv, _preview
from tests.integration.test_cohort_import import cohort as cohort  # a fixture
from tests.support.forms import submit
from tests.support.html import page

#: (ODS code, name as written in the file, name as kept). Surrounding spaces, tabs and
#: carriage returns are trimmed from every value, so a formula behind a tab still starts it.
NAMES = [
    (
        "RX1",
        '"=HYPERLINK(""http://evil.example/x"",""Click"")"',
        '=HYPERLINK("http://evil.example/x","Click")',
    ),
    ("RX2", "+cmd|' /C calc'!A0", "+cmd|' /C calc'!A0"),
    ("RX3", "-2+3+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"),
    ("RX4", "@SUM(1+9)*cmd|' /C calc'!A0", "@SUM(1+9)*cmd|' /C calc'!A0"),
    ("RX5", '"\t=1+1"', "=1+1"),
    ("RX6", '"\r=1+1"', "=1+1"),
]
LEAD = "=cmd|' /C notepad'!A1"


def _import(client, cohort_id: int) -> str:
    rows = [
        f'{code},{name},acute_trust,london,"{LEAD}",lead{n}@example.nhs.uk'
        for n, (code, name, _kept) in enumerate(NAMES)
    ]
    preview = _preview(client, cohort_id, _csv(*rows))
    return preview


def _dangerous(value: object) -> bool:
    return isinstance(value, str) and value.startswith(TRIGGERS)


@pytest.fixture
def imported(clients, cohort):
    admin = clients[Role.HEE_ADMIN]
    preview = _import(admin, cohort.id)
    soup = page(admin.get(preview))
    table = " ".join(soup.select_one("main table").get_text(" ").split())
    for _code, _written, kept in NAMES:
        assert kept in table  # the preview shows the name as typed, as text
    assert 'href="http://evil.example' not in admin.get(preview).get_data(as_text=True)
    assert submit(admin, preview, {}).status_code == 302
    return cohort


def test_the_names_are_kept_as_typed_and_never_evaluated(imported):
    stored = {
        o.ods_code: o.name
        for o in db.session.scalars(select(Organisation).where(Organisation.ods_code.like("RX%")))
    }
    assert stored == {code: kept for code, _written, kept in NAMES}
    assert {i.name for i in db.session.scalars(select(Invitation))} == {LEAD}
    assert db.session.query(CohortImport).one().confirmed_at is not None


def test_the_organisations_csv_export_neutralises_every_name(imported, clients):
    response = clients[Role.HEE_ADMIN].get(f"/cohorts/{imported.id}/exports/organisations.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if _dangerous(cell)]
    for _code, _written, kept in NAMES:
        assert "'" + kept in cells


def test_the_answers_csv_export_neutralises_every_name(imported, clients):
    response = clients[Role.HEE_ADMIN].get(f"/cohorts/{imported.id}/exports/answers.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"), newline="")))
    assert not [cell for row in rows for cell in row if _dangerous(cell)]


@pytest.mark.parametrize("table", ["organisations", "answers", "activity"])
def test_the_excel_exports_hold_the_names_as_text_never_formulas(imported, clients, table):
    admin = clients[Role.HEE_ADMIN]
    data, _mimetype = _download(
        admin, _request(admin, f"/cohorts/{imported.id}/exports/{table}.xlsx")
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if _dangerous(c.value)]
    if table == "organisations":
        values = {c.value for c in cells}
        for _code, _written, kept in NAMES:
            assert "'" + kept in values
