"""`accredit init` loads the standard files; published versions never change underneath."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from accredit.data.models import StandardVersion
from accredit.extensions import db

SHIPPED = Path(__file__).resolve().parents[2] / "standards"


@pytest.fixture
def standards_copy(tmp_path, settings):
    root = tmp_path / "standards"
    shutil.copytree(SHIPPED, root)
    settings.standards_path = root
    return root


def _init(app):
    return app.test_cli_runner().invoke(args=["init", "--skip-admin"])


def test_init_loads_every_shipped_standard_once(app, standards_copy):
    result = _init(app)
    assert result.exit_code == 0, result.output
    rows = db.session.scalars(select(StandardVersion)).all()
    ids = {(row.standard_id, row.version) for row in rows}
    assert ("weqs", "2026.1") in ids
    weqs = next(row for row in rows if row.standard_id == "weqs")
    assert 60 <= weqs.criteria_count <= 70
    assert weqs.source_text == (standards_copy / "weqs" / "2026.1.yaml").read_text()
    again = _init(app)
    assert again.exit_code == 0 and "unchanged" in again.output
    assert len(db.session.scalars(select(StandardVersion)).all()) == len(rows)


def test_a_changed_published_file_is_refused(app, standards_copy):
    assert _init(app).exit_code == 0
    path = standards_copy / "weqs" / "2026.1.yaml"
    path.write_text(path.read_text().replace("title:", "title: Edited", 1))
    result = _init(app)
    assert result.exit_code != 0
    assert "published and its file has changed" in result.output


def test_a_broken_file_stops_init_with_every_problem_named(app, standards_copy):
    bad = standards_copy / "weqs" / "2099.1.yaml"
    bad.write_text("id: weqs\nversion: '2099.1'\nlevels: 7\n")
    result = _init(app)
    assert result.exit_code != 0
    assert "2099.1.yaml" in result.output
