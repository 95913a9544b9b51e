"""The audit trail's filters and before/after summaries, and the log's redaction and JSON
format: pure rules, no Flask or database."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date

import pytest

from accredit.domain.operations.audit_trail import (
    AuditFilter,
    changes,
    former_actor,
    parse_filter,
    parse_page,
    show,
    summary,
)
from accredit.logs import JsonFormatter, RedactRequestLines, redact_path, redact_url


def test_a_filter_is_read_from_url_arguments_and_written_back():
    parsed = parse_filter(
        {
            "actor": "  Jo  Bloggs ",
            "action": "answers-saved",
            "target": "assessment",
            "date_from": "2026-01-01",
            "date_to": "2026-01-31",
        }
    )
    assert parsed.errors == {}
    assert parsed.filter == AuditFilter(
        "Jo Bloggs", "answers-saved", "assessment", date(2026, 1, 1), date(2026, 1, 31)
    )
    assert parsed.filter.query_args() == {
        "actor": "Jo Bloggs",
        "action": "answers-saved",
        "target": "assessment",
        "date_from": "2026-01-01",
        "date_to": "2026-01-31",
    }
    assert parsed.filter.active and not AuditFilter().active
    assert AuditFilter().query_args() == {}


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"date_from": "31/01/2026"}, "date_from", "The from date must be a real date"),
        ({"date_to": "2026-02-30"}, "date_to", "The to date must be a real date"),
        (
            {"date_from": "2026-02-01", "date_to": "2026-01-01"},
            "date_to",
            "The to date must be the same as or after the from date",
        ),
        ({"actor": "x" * 255}, "actor", "Enter 254 characters or fewer"),
    ],
)
def test_a_bad_filter_value_is_dropped_with_a_message(args, field, message):
    parsed = parse_filter({**args, "action": "cohort.created"})
    assert parsed.errors[field].startswith(message)
    assert getattr(parsed.filter, field) in ("", None)
    assert parsed.filter.action == "cohort.created"  # the rest still applies


@pytest.mark.parametrize(
    ("raw", "page"), [(None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("x", 1), ("9" * 9, 1)]
)
def test_page_numbers(raw, page):
    assert parse_page(raw) == page


def test_changes_list_what_differs_in_a_stable_order():
    before = {"status": "draft", "gone": "x", "same": 1}
    after = {"status": "submitted", "level": "bronze", "same": 1}
    assert [(c.key, c.before, c.after) for c in changes(before, after)] == [
        ("status", "draft", "submitted"),
        ("level", "", "bronze"),
        ("gone", "x", ""),
    ]
    assert changes(None, None) == []
    assert summary(before, after) == "status: draft → submitted; level: bronze; gone: x → (none)"


def test_values_are_shown_as_text_and_cut_in_the_summary():
    assert show(None) == "" and show("text") == "text"
    assert show(["3", "4"]) == '["3", "4"]' and show({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'
    long = summary(None, {"answer": "y" * 100})
    assert long.endswith("\u2026") and len(long) < 80


@pytest.mark.parametrize(
    ("path", "redacted"),
    [
        ("/invitations/Zq3xVb7-Ly_9Kp2Wm4Nt6Rs8Hd1Fg5Jc0Ae", "/invitations/[token]"),
        (
            "/reset-password/eyJ1IjoxMiwicCI6ImFiYyJ9.ZZt4Xg.q8d7Yh3Jk2",
            "/reset-password/[token]",
        ),
        ("/assessments/12/criteria/1.1", "/assessments/12/criteria/1.1"),
        ("/organisations/3/evidence/9/new-version", "/organisations/3/evidence/9/new-version"),
        ("/cohorts/4/export/organisations.csv", "/cohorts/4/export/organisations.csv"),
        ("/accessibility-statement", "/accessibility-statement"),
        ("/verify/" + "0f3a9c2e" * 8, "/verify/[token]"),
    ],
)
def test_tokens_in_paths_are_redacted_and_ordinary_paths_kept(path, redacted):
    assert redact_path(path) == redacted


def test_the_json_formatter_writes_one_object_per_line_with_extra_fields():
    record = logging.LogRecord(
        "accredit.access", logging.INFO, __file__, 1, "GET %s %s", ("/home", 200), None
    )
    record.request_id = "abc"
    record.user_id = 7
    record.status = 200
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "GET /home 200" and entry["logger"] == "accredit.access"
    assert (entry["request_id"], entry["user_id"], entry["status"]) == ("abc", 7, 200)
    assert entry["level"] == "INFO" and entry["time"].endswith("+00:00")


def test_the_json_formatter_keeps_a_traceback_inside_the_line():
    try:
        raise ValueError("broken\nacross lines")
    except ValueError:
        record = logging.LogRecord(
            "accredit.errors", logging.ERROR, __file__, 1, "Unhandled", (), sys.exc_info()
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert "ValueError: broken\nacross lines" in entry["exception"]
    assert entry["request_id"] == "-" and "user_id" not in entry


def test_query_strings_are_dropped_from_logged_urls():
    assert redact_url("/audit-trail?actor=jo%40example.nhs.uk") == "/audit-trail?[query]"
    assert redact_url("/home") == "/home"


def test_a_servers_own_access_line_is_redacted():
    token = "Zq3xVb7-Ly_9Kp2Wm4Nt6Rs8Hd1Fg5Jc0Ae"
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - "%s" %s -',
        ("127.0.0.1", f"GET /invitations/{token}?next=jo@example.nhs.uk HTTP/1.1", "200"),
        None,
    )
    assert RedactRequestLines().filter(record)
    assert record.getMessage() == '127.0.0.1 - - "GET /invitations/[token]?[query] HTTP/1.1" 200 -'


def test_a_former_actor_is_named_by_role_and_organisation_only():
    assert former_actor("Organisation lead", "RX1") == "Former organisation lead of RX1"
    assert former_actor("Organisation contributor", "Y01234") == (
        "Former organisation contributor of Y01234"
    )
