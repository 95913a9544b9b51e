"""`accredit init` loads the standard files; published versions never change underneath."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from accredit.data.models import AuditEvent, StandardVersion
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


def _as_published(path: Path) -> str:
    """The file as it was before it was superseded (published, same content)."""
    text = path.read_text()
    assert "status: superseded" in text
    return text.replace("status: superseded", "status: published")


def test_superseding_a_published_version_keeps_its_text_for_pinned_assessments(app, standards_copy):
    from accredit.services.operations.standards import latest_published, pinned_standard

    path = standards_copy / "weqs" / "2026.1.yaml"
    superseded = path.read_text()
    published = _as_published(path)
    path.write_text(published)
    assert _init(app).exit_code == 0
    row = db.session.scalars(
        select(StandardVersion).filter_by(standard_id="weqs", version="2026.1")
    ).one()
    pinned_hash = row.content_hash
    assert row.status == "published"

    path.write_text(superseded)
    result = _init(app)
    assert result.exit_code == 0, result.output
    assert "Standard weqs 2026.1: now superseded" in result.output
    db.session.expire_all()
    row = db.session.scalars(
        select(StandardVersion).filter_by(standard_id="weqs", version="2026.1")
    ).one()
    # Only the status moves: the text and hash stay those assessments were pinned to.
    assert (row.status, row.content_hash, row.source_text) == ("superseded", pinned_hash, published)
    standard = pinned_standard("weqs", "2026.1", pinned_hash)
    assert standard.readiness.cumulative  # judged as it always was
    found = latest_published("weqs", "2026.1")
    assert found is not None and found[1] == pinned_hash
    event = db.session.scalars(
        select(AuditEvent).filter_by(action="standard-superseded", target="weqs 2026.1")
    ).one()
    assert event.before == {"status": "published"}

    again = _init(app)
    assert again.exit_code == 0 and "Standard weqs 2026.1: unchanged (superseded)." in again.output


@pytest.mark.parametrize(
    "change",
    [
        # Anything but the status is still an edit of a published file.
        lambda text: text.replace("threshold: 80", "threshold: 70", 1),
        lambda text: text.replace("  cumulative: true", "  level_rule: own"),
        # Nor can a superseded version be reopened.
        lambda text: text.replace("status: superseded", "status: published"),
    ],
)
def test_a_superseded_file_changed_otherwise_is_refused(app, standards_copy, change):
    path = standards_copy / "weqs" / "2026.1.yaml"
    assert _init(app).exit_code == 0
    path.write_text(change(path.read_text()))
    result = _init(app)
    assert result.exit_code != 0
    assert "published and its file has changed" in result.output


def test_publishing_changes_after_superseding_are_refused(app, standards_copy):
    path = standards_copy / "weqs" / "2026.1.yaml"
    path.write_text(_as_published(path).replace("threshold: 80", "threshold: 75", 1))
    assert _init(app).exit_code == 0
    path.write_text(path.read_text().replace("status: published", "status: superseded"))
    assert _init(app).exit_code == 0  # status alone: accepted
    path.write_text(path.read_text().replace("threshold: 75", "threshold: 80", 1))
    result = _init(app)
    assert result.exit_code != 0 and "published and its file has changed" in result.output
