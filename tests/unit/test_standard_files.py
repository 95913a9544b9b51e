"""Loading standard files from disk: location checks, unreadable files, discovering a folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.standards import StandardFileError, discover, load_standard
from tests.unit.standard_yaml import standard_text

VALID = standard_text(
    """
    - id: main
      title: Main
      criteria:
        - id: "1"
          title: One
          level: bronze
          questions:
            - {id: "1", text: Q, type: yes_no}
    """
)


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_load_standard_requires_id_and_version_to_match_the_path(tmp_path):
    good = write(tmp_path, "test/1.yaml", VALID)
    assert load_standard(good).id == "test"
    wrong = write(tmp_path, "other/2.yaml", VALID)
    with pytest.raises(StandardFileError) as caught:
        load_standard(wrong)
    found = "\n".join(str(p) for p in caught.value.problems)
    assert "must match the folder name 'other'" in found
    assert "must match the file name '2'" in found
    assert load_standard(wrong, check_location=False).id == "test"


def test_unreadable_file_is_a_problem(tmp_path):
    with pytest.raises(StandardFileError, match="cannot be read"):
        load_standard(tmp_path / "missing" / "1.yaml")


def test_discover_loads_every_version_sorted(tmp_path):
    write(tmp_path, "test/1.yaml", VALID)
    later = VALID.replace('version: "1"', 'version: "2"').replace("2026-01-01", "2027-01-01")
    write(tmp_path, "test/2.yaml", later)
    write(tmp_path, "README.md", "not a standard")
    found = discover(tmp_path)
    assert [(s.id, s.version) for s in found] == [("test", "1"), ("test", "2")]


def test_discover_reports_problems_of_every_bad_file(tmp_path):
    write(tmp_path, "test/1.yaml", VALID.replace("type: yes_no}", "type: yesno}"))
    write(tmp_path, "test/2.yaml", "garbage: [")
    with pytest.raises(StandardFileError) as caught:
        discover(tmp_path)
    sources = {Path(p.source).name for p in caught.value.problems}
    assert sources == {"1.yaml", "2.yaml"}
