"""bench/simulate.py, small: it times the simulation, the command and the page against a floor,
and its verdict follows the target."""

from __future__ import annotations

import pytest

from tests.support.bench_modules import load


@pytest.mark.parametrize(
    ("target", "code", "verdict"),
    [(600.0, 0, "all 3 targets met"), (0.0, 1, "3 of 3 targets missed")],
)
def test_the_bench_prints_each_figure_against_the_floor_and_judges_by_the_target(
    monkeypatch, capsys, target, code, verdict
):
    bench = load("simulate")
    monkeypatch.setattr(bench, "RUNS", 1)
    monkeypatch.setattr(bench, "TARGET_S", target)
    monkeypatch.setattr("sys.argv", ["bench/simulate.py", "--organisations", "40"])
    assert bench.main() == code
    out = capsys.readouterr().out
    assert "current assessments on weqs 2026.1 moved to weqs 2026.2 (published)" in out
    for label in ("simulate_cohort", "accredit standards simulate", "what-if page"):
        line = next(line for line in out.splitlines() if line.startswith(label))
        assert "x the floor; CPU" in line
    assert out.splitlines()[-1] == f"bench/simulate.py: {verdict}"
