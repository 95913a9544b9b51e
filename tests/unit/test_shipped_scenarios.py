"""Every shipped standard version runs the scenarios beside it: a draft or published version must
pass them all; a superseded one fails exactly the scenarios that show why it was replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.standards import load_standard, version_files
from accredit.standards.scenarios import check_beside, scenarios_path

ROOT = Path(__file__).parents[2] / "standards"
VERSIONS = version_files(ROOT)

#: The scenarios each superseded version gets wrong: each is a flaw issue 19 names.
KNOWN_FAILURES = {
    "employability/2026.1": {
        "Foundation and Established met, Exemplary criteria only partly",
    },
    "weqs/2026.1": {
        "Strong single-handed GP practice",  # a deputy supervisor inside mandatory 6.1
        "Bronze and Silver met, no Gold criterion",  # Gold at 84.4% with no Gold criterion
        "Bronze and six of twenty Silver criteria",  # Silver with 6 of 20 Silver criteria
        "Adults-only employability provider",  # 3.1 and 3.5 mandatory for everyone
        "Virtual-only provider",  # fire and infection control induction mandatory
        "Virtual-only provider without online safety",  # 3.11 not mandatory
        "Care home taking 16-17 year olds",  # DBS asked only with under-16s
    },
}


def _failing(path: Path) -> tuple[str, set[str], list[str]]:
    standard = load_standard(path)
    outcome = check_beside(path, standard)
    names = {p.path.removeprefix("scenario '").removesuffix("'") for p in outcome.problems}
    return standard.slug, names, [str(p) for p in outcome.problems]


def test_scenarios_files_are_not_versions():
    assert VERSIONS and all(not p.name.endswith(".scenarios.yaml") for p in VERSIONS)
    assert any(p.name.endswith(".scenarios.yaml") for p in ROOT.glob("*/*.yaml"))


@pytest.mark.parametrize("path", VERSIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_version_runs_its_scenarios(path):
    standard = load_standard(path)
    assert scenarios_path(path).is_file(), f"{path} has no scenarios file beside it"
    slug, failing, problems = _failing(path)
    if standard.open_for_new_cohorts or standard.status == "draft":
        assert problems == []
    else:
        assert failing == KNOWN_FAILURES.get(slug, set()), problems


def test_weqs_2026_1_gold_scenario_is_reported_with_its_line():
    path = ROOT / "weqs" / "2026.1.yaml"
    _, _, problems = _failing(path)
    beside = scenarios_path(path)
    line = next(
        i
        for i, text in enumerate(beside.read_text().splitlines(), 1)
        if text.strip() == "level: silver"
    )
    assert (
        f"{beside}:{line}: scenario 'Bronze and Silver met, no Gold criterion': expected level "
        "silver, got gold (every level achieved)"
    ) in problems
