"""bench/load_report.py and bench/load_pages.py: the load test's verdict and request names.

The verdict is what `make loadtest` exits with, so it is tested on Locust's own CSV layout: a
failed request, an error in a simulated user, a run that made no requests or a kind of request
over its p95 limit all fail it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.bench_modules import load

STATS_HEADER = (
    '"Type","Name","Request Count","Failure Count","Median Response Time",'
    '"Average Response Time","Min Response Time","Max Response Time","Average Content Size",'
    '"Requests/s","Failures/s","50%","66%","75%","80%","90%","95%","98%","99%","99.9%",'
    '"99.99%","100%"'
)


report = load("load_report")
pages = load("load_pages")


def stats_row(kind: str, name: str, count: int, failures: int, p50: str, p95: str, p99: str):
    return (
        f'"{kind}","{name}",{count},{failures},{p50},10,1,900,1000,1.5,0.0,'
        f"{p50},1,1,1,1,{p95},1,{p99},1,1,1"
    )


def write_run(tmp_path: Path, rows: list[str], failures=(), exceptions=()) -> Path:
    prefix = tmp_path / "load"
    (tmp_path / "load_stats.csv").write_text("\n".join([STATS_HEADER, *rows]) + "\n")
    (tmp_path / "load_failures.csv").write_text(
        '"Method","Name","Error","Occurrences"\n' + "".join(f"{f}\n" for f in failures)
    )
    (tmp_path / "load_exceptions.csv").write_text(
        '"Count","Message","Traceback","Nodes"\n' + "".join(f"{e}\n" for e in exceptions)
    )
    return prefix


CLEAN = [
    stats_row("GET", "/assessments/[id]", 120, 0, "45", "180", "400"),
    stats_row("POST", "/assessments/[id]/criteria/[c] (save)", 80, 0, "60", "250", "610"),
    stats_row("", "Aggregated", 200, 0, "50", "210", "580"),
]


def test_a_clean_run_prints_each_request_kind_and_passes(tmp_path, capsys):
    prefix = write_run(tmp_path, CLEAN)
    assert report.report(prefix, 50, "2m", 0, tmp_path / "gunicorn.log") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == [
        *("request", "count", "failed", "p50", "ms", "p95", "ms", "p99", "ms", "limit")
    ]
    assert out[1].split() == ["GET", "/assessments/[id]", "120", "0", "45", "180", "400", "300"]
    assert out[2].split()[-6:] == ["80", "0", "60", "250", "610", "300"]
    assert out[3].split() == ["all", "requests", "200", "0", "50", "210", "580"]
    assert out[-1] == (
        "loadtest: 50 users, 120 s, 200 requests, 0 failures, p95 210 ms, 0 over their limit:"
        " passed"
    )


def test_a_kind_of_request_over_its_p95_limit_fails_the_run(tmp_path, capsys):
    rows = [
        stats_row("GET", "/assessments/[id]/report", 50, 0, "90", "340", "500"),
        stats_row("GET", "/cohorts/[id]", 40, 0, "400", "950", "1200"),  # within its 1 s
        stats_row("JOB", "evidence pack, asked to downloaded", 6, 0, "4000", "9000", "9500"),
        stats_row("POST", "/sign-in (post)", 50, 0, "900", "2500", "2900"),
        stats_row("", "Aggregated", 146, 0, "100", "900", "2500"),
    ]
    assert report.report(write_run(tmp_path, rows), 50, "2m", 0, tmp_path / "g.log") == 1
    out = capsys.readouterr().out.splitlines()
    [over] = [line for line in out if line.endswith("OVER")]
    assert over.split()[:2] == ["GET", "/assessments/[id]/report"]
    assert "  GET /assessments/[id]/report: p95 340 ms (limit 300)" in out
    assert out[-1].endswith("1 over their limit: FAILED")


def test_limits_are_per_kind_of_request():
    assert report.limit_for("/cohorts/[id]?region&type") == 1000
    assert report.limit_for("evidence pack, asked to downloaded") == 10_000
    assert report.limit_for("/assessments/[id]/criteria/[c] (save)") == 300


def test_a_failed_request_fails_the_run_and_says_what_failed(tmp_path, capsys):
    rows = [*CLEAN[:2], stats_row("", "Aggregated", 200, 3, "50", "210", "580")]
    failures = ['"POST","/assessments/[id]/criteria/[c] (save)","500, expected 302",3']
    prefix = write_run(tmp_path, rows, failures)
    assert report.report(prefix, 50, "2m", 1, tmp_path / "gunicorn.log") == 1
    out = capsys.readouterr().out
    assert "3 x POST /assessments/[id]/criteria/[c] (save): 500, expected 302" in out
    assert out.splitlines()[-1].endswith("3 failures, p95 210 ms, 0 over their limit: FAILED")


def test_an_error_inside_a_simulated_user_fails_the_run(tmp_path, capsys):
    exceptions = ['1,"RuntimeError(\'the plan has no lead account left: seed more\')","tb",""']
    prefix = write_run(tmp_path, CLEAN, exceptions=exceptions)
    assert report.report(prefix, 50, "2m", 0, tmp_path / "gunicorn.log") == 1
    out = capsys.readouterr().out
    assert "error in a simulated user: 1 x RuntimeError('the plan has no lead account" in out
    assert "0 failures, 1 user errors" in out.splitlines()[-1]
    assert out.splitlines()[-1].endswith("FAILED")


def test_a_run_without_requests_or_figures_fails(tmp_path, capsys):
    log = tmp_path / "gunicorn.log"
    log.write_text("[ERROR] Worker failed to boot.")
    assert report.report(tmp_path / "load", 50, "2m", 1, log) == 1
    out = capsys.readouterr().out
    assert "Worker failed to boot." in out  # the server's log says why
    assert out.splitlines()[-1].endswith(
        "0 requests, 0 failures, p95 0 ms, 0 over their limit: FAILED"
    )


def test_locust_failing_on_its_own_fails_the_run(tmp_path):
    assert report.report(write_run(tmp_path, CLEAN), 50, "2m", 1, tmp_path / "none.log") == 1


@pytest.mark.parametrize(
    ("text", "expected"), [("2m", 120), ("20s", 20), ("1h30m", 5400), ("90", 90), ("1m5s", 65)]
)
def test_run_times_read_as_locust_reads_them(text, expected):
    assert report.seconds(text) == expected


@pytest.mark.parametrize("text", ["", "2 minutes", "m", "-5s"])
def test_a_run_time_that_is_not_one_is_refused_clearly(text):
    with pytest.raises(ValueError, match="not a run time"):
        report.seconds(text)


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/assessments/12/criteria/1.4", "/assessments/[id]/criteria/[c]"),
        ("http://127.0.0.1:8000/assessments/7?saved=1", "/assessments/[id]"),
        ("/assessments/7/sections/2/check-answers", "/assessments/[id]/sections/[s]/check-answers"),
        ("/organisations/3/evidence/44", "/organisations/[id]/evidence/[id]"),
        ("/sign-in", "/sign-in"),
    ],
)
def test_requests_are_named_by_pattern_not_by_url(url, name):
    assert pages.request_name(url) == name


def test_every_save_changes_an_answer_and_half_come_back_later():
    page = '<input name="csrf_token" type="hidden" value="tok"><input name="base" value="b1">'
    forms = [(pages.criterion_for(n), pages.answer_form(page, n)) for n in range(8)]
    assert {criterion for criterion, _ in forms} == set(pages.CRITERIA)
    assert all(form["csrf_token"] == "tok" and form["base"] == "b1" for _, form in forms)
    assert [form["action"] for _, form in forms[:4]] == ["later", "later", "continue", "continue"]
    same_criterion = [form for criterion, form in forms if criterion == "1.1"]
    assert len({form["q2"] for form in same_criterion}) == len(same_criterion)
    assert {form["q3"] for form in same_criterion} == {"yes", "no"}
