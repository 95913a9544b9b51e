"""The `standards` click group: check, list and diff, run without Flask."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from accredit.cli.standards import standards
from accredit.standards import content_hash
from tests.unit.standard_yaml import standard_text

BODY = """
- id: s
  title: Section
  criteria:
    - id: "1"
      title: Named lead
      level: bronze
      questions: [{id: "1", text: Is there a lead, type: yes_no}]
"""
VALID = standard_text(BODY)
PROFILE = (
    "{org_type: acute_trust, offers_under_16: true, offers_clinical_placements: true, "
    "offers_t_level: false, staff: 100}"
)
#: Scenarios for VALID (id test, version 1): meeting its one criterion reaches Bronze.
SCENARIOS = f"""standard: test
version: "1"
scenarios:
  - name: Named lead
    profile: {PROFILE}
    answers: best
    expect: {{level: bronze}}
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write(root: Path, relative: str, text: str, scenarios: str | None = None) -> Path:
    """Write a file, and with `scenarios` the scenarios file beside it."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if scenarios is not None:
        beside = path.with_name(path.name.removesuffix(".yaml") + ".scenarios.yaml")
        beside.write_text(scenarios, encoding="utf-8")
    return path


def test_check_valid_file_prints_one_ok_line(runner, tmp_path):
    path = write(tmp_path, "test/1.yaml", VALID, SCENARIOS)
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"OK {path}: test 1 (draft, effective 2026-01-01, 1 criteria, "
        f"sha256 {content_hash(VALID)[:12]}), 1 scenario passes\n"
    )


def test_check_lists_every_problem_and_exits_1(runner, tmp_path):
    broken = VALID.replace("type: yes_no", "type: yesno").replace("status: draft", "status: x")
    bad = write(tmp_path, "test/1.yaml", broken)
    good = write(
        tmp_path,
        "other/1.yaml",
        VALID.replace("id: test", "id: other"),
        SCENARIOS.replace("standard: test", "standard: other"),
    )
    result = runner.invoke(standards, ["check", str(bad), str(good)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{bad}:4: status: status 'x' is not one of")
    assert lines[1].startswith(f"{bad}:")
    assert "criteria 1, question 1: type 'yesno' is not one of yes_no" in lines[1]
    assert lines[2].startswith(f"OK {good}: other 1")
    assert "1 of 2 files invalid (2 problems)" in result.output


def test_check_a_folder_of_standards(runner, tmp_path):
    write(tmp_path, "test/1.yaml", VALID, SCENARIOS)
    two = VALID.replace('version: "1"', 'version: "2"')
    write(tmp_path, "test/2.yaml", two, SCENARIOS.replace('version: "1"', 'version: "2"'))
    result = runner.invoke(standards, ["check", str(tmp_path)])
    assert result.exit_code == 0, result.output
    # The scenarios files beside them are run with their versions, never checked as versions.
    assert result.output.count("OK ") == 2
    assert result.output.count(", 1 scenario passes") == 2


def test_check_requires_the_file_to_be_at_id_version(runner, tmp_path):
    path = write(tmp_path, "drafts/new.yaml", VALID, SCENARIOS)
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 1
    assert "must match the folder name 'drafts'" in result.output
    result = runner.invoke(standards, ["check", "--no-location-check", str(path)])
    assert result.exit_code == 0, result.output


def test_check_needs_files(runner, tmp_path):
    result = runner.invoke(standards, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert "no .yaml files found" in result.output


def test_check_never_crashes_on_binary(runner, tmp_path):
    path = tmp_path / "test" / "1.yaml"
    path.parent.mkdir()
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 1
    assert "not UTF-8 text" in result.output


SHIPPED = Path(__file__).resolve().parents[2] / "standards"
GOLD_ARITHMETIC = (
    "gold reachable with 0 of 12 gold criteria met: bronze+silver weights give 84.4% >= 80% "
    "(profile: offers_under_16 true, offers_clinical_placements true, org_type acute_trust, "
    "offers_t_level true)"
)


GOLD_SCENARIO = (
    "scenario 'Bronze and Silver met, no Gold criterion': expected level silver, got gold "
    "(every level achieved)"
)


def _line(path: Path, fragment: str) -> int:
    return next(i for i, text in enumerate(path.read_text().splitlines(), 1) if fragment in text)


def test_check_warns_of_the_gold_arithmetic_in_superseded_weqs_2026_1(runner):
    path = SHIPPED / "weqs" / "2026.1.yaml"
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    closed = " (superseded: no new cohort can start on it)"
    assert lines[0] == f"{path}:{_line(path, 'id: gold')}: warning: {GOLD_ARITHMETIC}{closed}"
    # Its scenarios run after, and the ones 2026.1 gets wrong are warnings too: the Gold one
    # among them, at the line of its expected level.
    beside = SHIPPED / "weqs" / "2026.1.scenarios.yaml"
    line = _line(beside, "level: silver")
    assert f"{beside}:{line}: warning: {GOLD_SCENARIO}{closed}" in lines
    assert all(text.endswith(closed) for text in lines[:-1])
    assert lines[-1].startswith(f"OK {path}: weqs 2026.1 (superseded,")
    assert lines[-1].endswith(" scenarios pass") and " of " in lines[-1]


def test_check_fails_a_copy_of_weqs_2026_1_not_marked_superseded(runner, tmp_path):
    text = (SHIPPED / "weqs" / "2026.1.yaml").read_text(encoding="utf-8")
    published = text.replace("status: superseded", "status: published")
    path = write(tmp_path, "weqs/2026.1.yaml", published)
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 1
    assert f": {GOLD_ARITHMETIC}\n" in result.output
    assert "2026.1.scenarios.yaml: missing: weqs/2026.1 has no scenarios file" in result.output
    assert "warning" not in result.output and "OK " not in result.output
    assert "1 of 1 file invalid (2 problems)" in result.output
    # With its scenarios beside it, the ones it gets wrong are errors, not warnings.
    scenarios = (SHIPPED / "weqs" / "2026.1.scenarios.yaml").read_text(encoding="utf-8")
    path = write(tmp_path, "weqs/2026.1.yaml", published, scenarios)
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 1
    beside = path.with_name("2026.1.scenarios.yaml")
    assert f"{beside}:{_line(beside, 'level: silver')}: {GOLD_SCENARIO}\n" in result.output
    assert "warning" not in result.output and "OK " not in result.output


CARRIED = """
- id: s
  title: Section
  criteria:
    - {id: "1", title: L, level: bronze, weight: 9, questions: [{id: "1", text: Q, type: yes_no}]}
    - {id: "2", title: Gold, level: gold, questions: [{id: "1", text: Q, type: yes_no}]}
"""


def test_check_fails_a_draft_whose_level_is_carried_by_lower_weights(runner, tmp_path):
    carried = standard_text(CARRIED, levels=("bronze", "gold"), readiness="level_rule: cumulative")
    path = write(tmp_path, "test/1.yaml", carried)
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 1
    assert "gold reachable with 0 of 1 gold criteria met: bronze weights give 90% >= 80%" in (
        result.output
    )
    own = write(
        tmp_path,
        "test/1.yaml",
        carried.replace("level_rule: cumulative", "level_rule: own"),
        SCENARIOS.replace("level: bronze", "level: gold"),
    )
    assert runner.invoke(standards, ["check", str(own)]).exit_code == 0


def test_check_every_shipped_version(runner):
    result = runner.invoke(standards, ["check", str(SHIPPED)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if ": warning: " in line]
    # Only the two superseded 2026.1 versions warn: their level arithmetic, then their scenarios.
    assert sum("reachable with" in line for line in warnings) == 2
    assert all("2026.1" in line and "(superseded:" in line for line in warnings)
    assert any("scenario" in line for line in warnings)


def test_list_shows_one_row_per_version(runner, tmp_path):
    write(tmp_path, "test/1.yaml", VALID)
    write(tmp_path, "test/2.yaml", VALID.replace('version: "1"', 'version: "2"'))
    result = runner.invoke(standards, ["list", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "VERSION", "STATUS", "EFFECTIVE", "CRITERIA", "HASH"]
    assert lines[1].split()[:5] == ["test", "1", "draft", "2026-01-01", "1"]
    assert len(lines[1].split()[5]) == 12
    assert lines[2].split()[:2] == ["test", "2"]


def test_list_reports_invalid_files(runner, tmp_path):
    write(tmp_path, "test/1.yaml", VALID)
    write(tmp_path, "test/2.yaml", "id: [")
    result = runner.invoke(standards, ["list", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "test/2.yaml:1: not valid YAML" in result.output


def test_diff_renders_changes(runner, tmp_path):
    old = write(tmp_path, "test/1.yaml", VALID)
    new = write(
        tmp_path,
        "test/2.yaml",
        VALID.replace('version: "1"', 'version: "2"').replace(
            "        level: bronze\n", "        level: bronze\n        mandatory: true\n"
        ),
    )
    result = runner.invoke(standards, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert result.output == "test 1 -> test 2\nStricter (1):\n  1 Named lead: became mandatory\n"


def test_diff_of_invalid_file_exits_1(runner, tmp_path):
    old = write(tmp_path, "test/1.yaml", VALID)
    new = write(tmp_path, "test/2.yaml", "nonsense")
    result = runner.invoke(standards, ["diff", str(old), str(new)])
    assert result.exit_code == 1
    assert "expected a mapping" in result.output


def test_check_needs_scenarios_beside_a_draft_or_published_version(runner, tmp_path):
    path = write(tmp_path, "test/1.yaml", VALID)
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{tmp_path / 'test' / '1.scenarios.yaml'}: missing: test/1 has no scenarios file; every "
        "draft or published version needs one beside it (standards/README.md, Scenarios)"
    )
    superseded = write(
        tmp_path, "test/1.yaml", VALID.replace("status: draft", "status: superseded")
    )
    result = runner.invoke(standards, ["check", str(superseded)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{tmp_path / 'test' / '1.scenarios.yaml'}: warning: missing:")


def test_a_failing_scenario_is_an_error_in_a_draft_and_a_warning_once_superseded(runner, tmp_path):
    wrong = SCENARIOS.replace("answers: best", "answers: worst")
    path = write(tmp_path, "test/1.yaml", VALID, wrong)
    beside = path.with_name("1.scenarios.yaml")
    line = _line(beside, "expect:")
    message = (
        f"{beside}:{line}: scenario 'Named lead': expected level bronze, got none "
        "(bronze 0.0% of 80%; blockers 1)"
    )
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == message
    assert "1 of 1 file invalid (1 problem)" in result.output
    superseded = VALID.replace("status: draft", "status: superseded")
    path = write(tmp_path, "test/1.yaml", superseded, wrong)
    result = runner.invoke(standards, ["check", str(path)])
    assert result.exit_code == 0, result.output
    warning = message.replace(": scenario", ": warning: scenario")
    assert result.output.splitlines() == [
        f"{warning} (superseded: no new cohort can start on it)",
        f"OK {path}: test 1 (superseded, effective 2026-01-01, 1 criteria, "
        f"sha256 {content_hash(superseded)[:12]}), 0 of 1 scenarios pass",
    ]


def test_check_of_a_scenarios_file_checks_the_version_beside_it(runner, tmp_path):
    path = write(tmp_path, "test/1.yaml", VALID, SCENARIOS)
    result = runner.invoke(standards, ["check", str(path.with_name("1.scenarios.yaml"))])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"OK {path}: test 1 (draft,")


def test_list_skips_scenarios_files(runner, tmp_path):
    write(tmp_path, "test/1.yaml", VALID, SCENARIOS)
    result = runner.invoke(standards, ["list", "--root", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 2
