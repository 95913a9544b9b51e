"""Reading and checking a CSV file of organisations for a cohort (pure: no database)."""

from __future__ import annotations

import pytest

from accredit.domain.accounts.organisations import OrgType
from accredit.domain.cohorts.cohort_csv import (
    MAX_BYTES,
    MAX_ROWS,
    CsvRefused,
    RawRow,
    read_csv,
)
from accredit.domain.cohorts.cohort_rows import Known, check, check_rows

HEADER = "ods_code,name,type,region,lead_name,lead_email"
GOOD = "RH8,Royal Devon,acute_trust,london,Ann Lead,ann@example.nhs.uk"
REGIONS = {"london": "London", "north-east-yorkshire": "North East and Yorkshire"}
KNOWN = Known(regions=REGIONS)


def _csv(*rows: str, header: str = HEADER, newline: str = "\n") -> bytes:
    return newline.join([header, *rows]).encode()


def _one(line: str, known: Known = KNOWN) -> list[str]:
    """The problems of a single row (on line 2), as the preview shows them."""
    (row,) = check(_csv(line), known)
    return row.errors()


# ---- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        HEADER,
        "ODS code,Name,Type,Region,Lead name,Lead email",
        " ODS Code , NAME,type , Region,LEAD_NAME,Lead-Email",
        "Lead email,Lead name,Region,Type,Name,ODS code",  # any order
        "ods_code,name,notes,type,region,lead_name,lead_email",  # extra columns are ignored
        "ODS,Organisation name,Organisation type,Region,Lead name,Lead email address",
    ],
)
def test_a_header_row_names_the_columns_in_any_order_case_or_spacing(header):
    columns = [c.strip().lower().replace(" ", "_").replace("-", "_") for c in header.split(",")]
    value = {
        "ods_code": "RH8",
        "ods": "RH8",
        "name": "Royal Devon",
        "organisation_name": "Royal Devon",
        "type": "acute_trust",
        "organisation_type": "acute_trust",
        "region": "london",
        "lead_name": "Ann",
        "lead_email": "ann@example.nhs.uk",
        "lead_email_address": "ann@example.nhs.uk",
        "notes": "call first",
    }
    (row,) = read_csv(_csv(",".join(value[c] for c in columns), header=header))
    assert row.line == 2
    assert dict(row.values) == {
        "ods_code": "RH8",
        "name": "Royal Devon",
        "type": "acute_trust",
        "region": "london",
        "lead_name": "Ann",
        "lead_email": "ann@example.nhs.uk",
    }


def test_bom_crlf_blank_lines_quotes_and_semicolons_are_read():
    data = "\ufeff" + "\r\n".join(
        ["", "ods_code;name;type;region;lead_name;lead_email", GOOD.replace(",", ";"), ";;;;;", ""]
    )
    (row,) = read_csv(data.encode())
    assert row.line == 3 and row.values["name"] == "Royal Devon"
    quoted = _csv('RH8,"Devon, Exeter and\nTorbay",acute_trust,london,Ann,a@example.nhs.uk', GOOD)
    first, second = read_csv(quoted)
    assert first.values["name"] == "Devon, Exeter and\nTorbay"
    assert (first.line, second.line) == (2, 4)  # a value over two lines: the next row is on 4
    tabs = _csv(GOOD.replace(",", "\t"), header=HEADER.replace(",", "\t"))
    assert read_csv(tabs)[0].values["lead_email"] == "ann@example.nhs.uk"


def test_values_are_kept_as_typed_text_nothing_is_evaluated_or_neutralised():
    line = '"=HYPERLINK(""http://x"",""y"")",+44 123,-1,@SUM(A1),<b>x</b>,ann@example.nhs.uk'
    (row,) = read_csv(_csv(line))
    assert list(row.values.values()) == [
        '=HYPERLINK("http://x","y")',
        "+44 123",
        "-1",
        "@SUM(A1)",
        "<b>x</b>",
        "ann@example.nhs.uk",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The selected file is empty"),
        (b" \r\n\n", "The selected file is empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "The selected file is a PDF, not a CSV file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The selected file is a PNG image, not a CSV"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "The selected file is a JPEG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "The selected file is an Excel workbook or a zip file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook"),
        (HEADER.encode("utf-16"), "saved as UTF-16 text, not UTF-8"),
        (HEADER.encode() + b"\nRH8,Caf\xe9", "not a CSV file saved as UTF-8 text"),
        (HEADER.encode() + b"\n\x00\x01\x02\x03", "The selected file is not a CSV file"),
        (GOOD.encode(), "The first row of the file must name the columns: ODS code, Name, Type"),
        (b"placement,days\n1,5\n", "The first row of the file must name the columns"),
        (b"ods_code,name\nRH8,x\n", "no column for Type, Region, Lead name and Lead email"),
        (b"name,ods code,Name,type\n", "The header row has more than one Name column"),
        (_csv(), "The file has a header row but no organisations below it"),
        (_csv(",,,,,", ""), "The file has a header row but no organisations below it"),
        (_csv(GOOD, '"RH9,unclosed', GOOD), "Line 3 cannot be read: check the quotation marks"),
        (_csv('"RH8"x,a,b,c,d,e'), "Line 2 cannot be read"),
        (_csv(GOOD, 'RH9,"' + "x" * 200_000), "Line 3 cannot be read: a value is far too long"),
    ],
)
def test_a_file_that_is_not_a_csv_of_organisations_is_refused_with_a_reason(data, message):
    with pytest.raises(CsvRefused) as refused:
        read_csv(data)
    assert message in str(refused.value)


def test_row_and_size_limits():
    assert len(read_csv(_csv(*[GOOD] * MAX_ROWS))) == MAX_ROWS
    with pytest.raises(CsvRefused, match=f"more than {MAX_ROWS:,} organisations"):
        read_csv(_csv(*[GOOD] * (MAX_ROWS + 1)))
    padded = _csv(GOOD) + b"\n" * (MAX_BYTES - len(_csv(GOOD)))  # blank lines are skipped
    assert len(padded) == MAX_BYTES and read_csv(padded)
    with pytest.raises(CsvRefused, match="must be 5MB or smaller"):
        read_csv(padded + b"\n")


# ---- checking ---------------------------------------------------------------------------


def test_a_good_row_is_ready_with_its_values_resolved():
    (row,) = check(
        _csv("rh8 ,Royal Devon,Acute trust,North East & Yorkshire,Ann,Ann@Example.NHS.uk"), KNOWN
    )
    assert row.ok and row.errors() == []
    assert (row.ods_code, row.org_type, row.region_code) == (
        "RH8",
        OrgType.ACUTE_TRUST,
        "north-east-yorkshire",
    )
    assert row.lead_email == "ann@example.nhs.uk" and row.invite and not row.existing
    assert row.notes == ("An invitation will be sent to ann@example.nhs.uk",)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("gp_practice", OrgType.GP_PRACTICE),
        ("GP Practice", OrgType.GP_PRACTICE),
        ("social care provider", OrgType.SOCIAL_CARE),
        ("Social-Care", OrgType.SOCIAL_CARE),
        ("Other", OrgType.OTHER),
        ("Other (for example a hospice or private provider)", OrgType.OTHER),
    ],
)
def test_a_type_is_its_code_or_its_label(written, expected):
    code = {OrgType.GP_PRACTICE: "B86022", OrgType.SOCIAL_CARE: "1-545611283"}.get(
        expected, "8A718"
    )
    (row,) = check(_csv(f"{code},A,{written},london,Ann,ann@example.nhs.uk"), KNOWN)
    assert row.ok, row.errors()
    assert row.org_type is expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("XH8,A,acute_trust,london,Ann,a@example.nhs.uk", "Line 2: A trust ODS code is 3"),
        ("B8602,A,gp_practice,london,Ann,a@example.nhs.uk", "Line 2: A GP practice ODS code"),
        (",A,acute_trust,london,Ann,a@example.nhs.uk", "Line 2: Enter an ODS code"),
        ("RH8,,acute_trust,london,Ann,a@example.nhs.uk", "Line 2: Enter the organisation's name"),
        (f"RH8,{'x' * 201},acute_trust,london,Ann,a@example.nhs.uk", "200 characters or fewer"),
        ("RH8,A,,london,Ann,a@example.nhs.uk", "Line 2: Enter the type of organisation"),
        ("RH8,A,hospital,london,Ann,a@example.nhs.uk", "Line 2: “hospital” is not a type"),
        ("RH8,A,acute_trust,,Ann,a@example.nhs.uk", "Line 2: Enter the region"),
        ("RH8,A,acute_trust,Wales,Ann,a@example.nhs.uk", "Line 2: “Wales” is not a region we know"),
        ("RH8,A,acute_trust,london,,a@example.nhs.uk", "Line 2: Enter the lead's name"),
        (f"RH8,A,acute_trust,london,{'x' * 121},a@example.nhs.uk", "120 characters or fewer"),
        ("RH8,A,acute_trust,london,Ann,", "Line 2: Enter the lead's email address"),
        ("RH8,A,acute_trust,london,Ann,Ann@", "Line 2: The lead's email address, Ann@, is not"),
        ("RH8,A,acute_trust,london,Ann,a b@x.nhs.uk", "is not in the correct format"),
        ("RH8,A,acute_trust,london,Ann,a@example.nhs.uk,surplus", "more values than the header"),
    ],
)
def test_each_problem_has_its_own_message_naming_the_line(line, message):
    problems = _one(line)
    assert len(problems) == 1, problems
    assert problems[0].startswith("Line 2: ") and message in problems[0]


def test_the_region_message_lists_the_regions_and_the_type_message_the_types():
    (problem,) = _one("RH8,A,hospital,london,Ann,a@example.nhs.uk")
    assert "Acute trust, Mental health trust" in problem and "Other" in problem
    (problem,) = _one("RH8,A,acute_trust,Wales,Ann,a@example.nhs.uk")
    assert problem.endswith("Use one of: London, North East and Yorkshire")


def test_a_row_keeps_every_problem_it_has():
    problems = _one("X!8,,hospital,Wales,,nope")
    assert [p.split(":")[1].strip()[:12] for p in problems] == [
        "Enter an ODS",  # the type is unknown, so the general ODS rule applies
        "Enter the or",
        "“hospital” i",
        "“Wales” is n",
        "Enter the le",
        "The lead's e",
    ]


def test_repeats_in_the_file_are_errors_on_the_later_lines():
    rows = check(
        _csv(
            GOOD,
            "rh8,Royal Devon again,acute_trust,london,Bob,bob@example.nhs.uk",
            "RA7,Bristol,acute_trust,london,Ann Again,ANN@example.nhs.uk",
            "RH8,Third,acute_trust,london,Cy,cy@example.nhs.uk",
        ),
        KNOWN,
    )
    assert rows[0].ok
    assert rows[1].errors() == ["Line 3: ODS code RH8 is also on line 2"]
    assert rows[2].errors() == [
        "Line 4: ann@example.nhs.uk is also the lead on line 2: a person can lead only one "
        "organisation"
    ]
    assert rows[3].errors() == ["Line 5: ODS code RH8 is also on line 2"]


def test_existing_organisations_are_matched_by_ods_code_and_members_refused():
    known = Known(
        regions=REGIONS,
        organisations={"RH8": "Royal Devon University Healthcare", "RA7": "Bristol Trust"},
        in_cohort={"RA7"},
        accounts={"ann@example.nhs.uk": "RH8"},
    )
    devon, bristol, same, typed = check(
        _csv(
            GOOD,
            "ra7,Bristol Trust,acute_trust,london,Bob,bob@example.nhs.uk",
            "RH8,ROYAL DEVON UNIVERSITY HEALTHCARE,acute_trust,london,Cy,cy@example.nhs.uk",
            "RH8,Devon as a practice,gp_practice,london,Di,di@example.nhs.uk",
        ),
        known,
    )
    assert devon.ok and devon.existing and not devon.invite
    assert devon.notes == (
        "Matched to existing organisation Royal Devon University Healthcare (RH8): "
        "the name in the file, Royal Devon, is not used",
        "ann@example.nhs.uk already has an account, so no invitation is sent",
    )
    assert bristol.errors() == ["Line 3: Bristol Trust (RA7) is already in this cohort"]
    # The code is one the service holds: valid whatever type the file gives it.
    assert typed.errors() == ["Line 5: ODS code RH8 is also on line 2"]
    # Same name in other letters: matched, with nothing to say about the name.
    assert (
        same.notes[0] == "Matched to existing organisation Royal Devon University Healthcare (RH8)"
    )


def test_rows_checked_again_from_stored_values_give_the_same_result():
    """The preview stores values; confirming checks them again: the outcome must not drift."""
    data = _csv(GOOD, "X!8,,hospital,Wales,,nope", GOOD)
    first = check(data, KNOWN)
    stored = [row.to_json() for row in first]
    again = check_rows([RawRow(r["line"], r["values"]) for r in stored], KNOWN)
    assert [row.to_json() for row in again] == stored
    assert stored[1]["errors"][0].startswith("Line 3: ") and stored[2]["errors"] == [
        "Line 4: ODS code RH8 is also on line 2",
        "Line 4: ann@example.nhs.uk is also the lead on line 2: a person can lead only one "
        "organisation",
    ]
    assert set(stored[0]) == {"line", "values", "errors", "notes", "existing", "invite"}


def test_a_lead_whose_account_is_with_another_organisation_is_refused():
    """A person belongs to one organisation: an address already used elsewhere (or by HEE)
    cannot lead a new or different one; the lead of this very organisation can."""
    known = Known(
        regions=REGIONS,
        organisations={"RH8": "Royal Devon"},
        accounts={
            "ann@example.nhs.uk": "RH8",
            "eve@example.nhs.uk": "RA7",
            "hee@example.nhs.uk": None,
        },
    )
    own, elsewhere, hee = check(
        _csv(
            GOOD,
            "RX1,Riverside,acute_trust,london,Eve,eve@example.nhs.uk",
            "RX2,Lakeside,acute_trust,london,Hal,hee@example.nhs.uk",
        ),
        known,
    )
    assert own.ok and not own.invite
    assert elsewhere.errors() == [
        "Line 3: eve@example.nhs.uk already has an account with another organisation: "
        "use another email address"
    ]
    assert hee.errors() == [
        "Line 4: hee@example.nhs.uk already has an account with HEE: use another email address"
    ]


def test_an_organisation_the_service_holds_needs_only_its_ods_code():
    """It keeps its details, so blank or unknown ones are not problems; a lead is optional,
    but one given needs both a name and an email address."""
    known = Known(regions=REGIONS, organisations={"RH8": "Royal Devon"})
    alone, odd, half = check(
        _csv("rh8,,,,,", "RH8,,hospital,Mars,Ann,ann@example.nhs.uk", "RH8,,,,Ann,"), known
    )
    assert alone.ok and alone.existing and not alone.invite and alone.lead_email == ""
    assert alone.notes == (
        "Matched to existing organisation Royal Devon (RH8)",
        "No lead is given, so no invitation is sent",
    )
    assert odd.errors() == ["Line 3: ODS code RH8 is also on line 2"]
    assert half.errors() == [
        "Line 4: ODS code RH8 is also on line 2",
        "Line 4: Enter the lead's email address",
    ]
    (with_lead,) = check(_csv("RH8,,,,Ann,ann@example.nhs.uk"), known)
    assert with_lead.ok and with_lead.invite and with_lead.lead_email == "ann@example.nhs.uk"


def test_a_new_ods_code_alone_is_probably_mistyped_and_the_message_says_so():
    problems = _one("RX9,,,,,")
    assert problems[0] == (
        "Line 2: No organisation in the service has ODS code RX9. Check the code, or enter the "
        "organisation's name, type and region to add it as a new organisation"
    )
    assert [p.split(":")[1].strip()[:14] for p in problems[1:]] == [
        "Enter the type",
        "Enter the regi",
        "Enter the lead",
        "Enter the lead",
    ]
    # With any of its details typed, the usual message.
    assert _one("RX9,,acute_trust,london,Ann,a@example.nhs.uk") == [
        "Line 2: Enter the organisation's name"
    ]
