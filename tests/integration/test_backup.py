"""`accredit backup` and `accredit restore`: a backup of an instance with real data restored into
a fresh instance (new folder, new database) has every table's rows, every stored file and the
same evidence pack fingerprint; a tampered, incomplete or mismatched backup is refused whole."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text
from sqlalchemy.exc import SQLAlchemyError

from accredit.config import Settings
from accredit.data.database import make_engine
from accredit.data.models import Assessment, Pack, User
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, cite_files, seed_stage
from accredit.services.operations.backup import create_backup, restore_backup
from accredit.services.operations.backup_database import counts_of
from accredit.services.operations.backup_manifest import MANIFEST, BackupError
from accredit.services.reports import packs
from accredit.services.reports.certificates import certificate_storage_for
from accredit.services.reports.packs import PackScope
from accredit.services.storage.stores import pack_storage_for, storage_for
from tests.support import files

ROOT = Path(__file__).resolve().parents[2]
ACCREDIT = str(Path(sys.executable).with_name("accredit"))
CERTIFICATE = b"%PDF-1.7 certificate bytes standing in for an issued certificate"

FINGERPRINT_SCRIPT = """
import sys
from accredit import create_app
from accredit.data.models import Assessment
from accredit.extensions import db
from accredit.services.reports import fingerprints
from accredit.services.assessments.workspace import load

app = create_app()
with app.app_context():
    print(fingerprints.current(load(db.session.get(Assessment, int(sys.argv[1])))).fingerprint)
"""


@pytest.fixture
def stocked(app, settings, enrol, org, people) -> Assessment:
    """An assessment ready for Bronze citing two PDFs and an image, and a certificate file."""
    with app.app_context():
        lead = db.session.get(User, people[Role.ORG_LEAD].id)
        assessment = seed_stage(enrol(org), lead, Stage.BRONZE)
        assert assessment is not None
        cite_files(
            assessment,
            lead,
            [
                ("Safeguarding policy", "safeguarding.pdf", files.pdf("Safeguarding policy", 2)),
                ("Induction checklist", "induction.pdf", files.pdf("Induction checklist", 1)),
                ("Reception photo", "reception.png", files.png()),
            ],
            storage_for(settings),
        )
        certificate_storage_for(settings).put(CERTIFICATE)
        db.session.commit()
        return assessment


@pytest.fixture
def packed(app, settings, printing, stocked) -> Pack:
    """The same with its evidence pack made: something in every store a backup holds."""
    with app.app_context():
        pack = packs.make(
            db.session.get(Assessment, stocked.id),
            PackScope.ALL,
            storage_for(settings),
            pack_storage_for(settings),
            printing,
        )
        db.session.commit()
        return pack


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind: a new SQLite file, or a PostgreSQL database
    created (and dropped afterwards) on the same server."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'restored' / 'accredit.db'}"
        return
    url = make_url(database_url)
    name = f"{url.database}_restore"
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError as error:  # no server, or no right to create databases
        admin.dispose()
        pytest.skip(f"cannot create a second PostgreSQL database to restore into: {error}")
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _env(instance: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ACCREDIT_")}
    env.update(
        ACCREDIT_INSTANCE_PATH=str(instance),
        ACCREDIT_DATABASE_URL=url,
        ACCREDIT_SECRET_KEY="restored-instance-key",
        ACCREDIT_LOG_LEVEL="WARNING",
    )
    return env


def _file_hashes(instance: Path) -> dict[str, str]:
    return {
        path.relative_to(instance).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for area in ("evidence", "certificates", "packs")
        for path in sorted((instance / area).rglob("*"))
        if path.is_file()
    }


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        return counts_of(engine)
    finally:
        engine.dispose()


def _engine() -> Engine:
    assert db.engine is not None
    return db.engine


def test_a_backup_restores_into_a_fresh_instance_whole(packed, app, settings, tmp_path, fresh_url):
    original_counts = counts_of(_engine())
    original_files = _file_hashes(settings.instance_path)
    assert original_counts["answers"] > 0 and original_counts["packs"] == 1
    assert sum(1 for name in original_files if name.startswith("evidence/")) == 3
    assert any(name.startswith("certificates/") for name in original_files)

    backup = tmp_path / "backup"
    done = app.test_cli_runner().invoke(args=["backup", str(backup)])
    assert done.exit_code == 0, done.output
    assert "Backed up" in done.output
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["row_counts"] == original_counts
    assert manifest["alembic_revision"] and manifest["app_version"]
    assert manifest["database"]["kind"] == _engine().dialect.name
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert {f"files/{name}" for name in original_files} | {manifest["database"]["file"]} == set(
        listed
    )
    assert all(listed[f"files/{name}"] == sha for name, sha in original_files.items())

    instance = tmp_path / "restored-instance"
    restored = subprocess.run(
        [ACCREDIT, "restore", str(backup)],
        env=_env(instance, fresh_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert restored.returncode == 0, restored.stderr
    assert "every count as recorded" in restored.stdout

    assert _counts(fresh_url) == original_counts
    assert _file_hashes(instance) == original_files
    recomputed = subprocess.run(
        [sys.executable, "-c", FINGERPRINT_SCRIPT, str(packed.assessment_id)],
        env=_env(instance, fresh_url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert recomputed.returncode == 0, recomputed.stderr
    assert recomputed.stdout.strip() == packed.fingerprint


def _backup(settings, tmp_path: Path) -> Path:
    target = tmp_path / "backup"
    create_backup(settings, _engine(), target)
    return target


def _restore_fresh(source: Path, tmp_path: Path, url: str) -> None:
    engine = make_engine(url)
    try:
        restore_backup(
            Settings(instance_path=tmp_path / "fresh", database_url=url, secret_key="fresh-key"),
            engine,
            source,
        )
    finally:
        engine.dispose()


def _evidence_entry(backup: Path) -> Path:
    return next(p for p in sorted((backup / "files" / "evidence").rglob("*")) if p.is_file())


@pytest.mark.parametrize("damage", ["changed", "missing", "unlisted"])
def test_a_damaged_backup_is_refused_and_nothing_is_restored(
    stocked, settings, tmp_path, fresh_url, damage
):
    backup = _backup(settings, tmp_path)
    evidence = _evidence_entry(backup)
    if damage == "changed":
        data = bytearray(evidence.read_bytes())
        data[len(data) // 2] ^= 0x01
        evidence.write_bytes(bytes(data))
    elif damage == "missing":
        evidence.unlink()
    else:
        (backup / "files" / "evidence" / "extra.pdf").write_bytes(b"slipped in")
    with pytest.raises(BackupError) as refused:
        _restore_fresh(backup, tmp_path, fresh_url)
    message = str(refused.value)
    assert "nothing was restored" in message
    expected = {"changed": "has changed", "missing": "is missing", "unlisted": "not in its"}
    assert expected[damage] in message
    assert not (tmp_path / "fresh").exists()
    assert sum(_counts(fresh_url).values()) == 0


def test_a_tampered_database_dump_is_refused(stocked, settings, tmp_path, fresh_url):
    backup = _backup(settings, tmp_path)
    manifest = json.loads((backup / MANIFEST).read_text())
    dump = backup / manifest["database"]["file"]
    dump.write_bytes(dump.read_bytes() + b"\0")
    with pytest.raises(BackupError, match="has changed"):
        _restore_fresh(backup, tmp_path, fresh_url)
    assert _counts(fresh_url) == {}


def test_a_backup_of_the_other_database_kind_is_refused(stocked, settings, tmp_path, fresh_url):
    backup = _backup(settings, tmp_path)
    manifest = json.loads((backup / MANIFEST).read_text())
    other = "sqlite" if manifest["database"]["kind"] == "postgresql" else "postgresql"
    manifest["database"]["kind"] = other
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="restore it into an instance using"):
        _restore_fresh(backup, tmp_path, fresh_url)
    assert _counts(fresh_url) == {}


def test_a_backup_from_another_schema_revision_is_refused(stocked, settings, tmp_path, fresh_url):
    """pg_restore --clean drops only what the dump holds: a backup of another revision would
    leave the two schemas mixed, so it is restored by the release that made it, then upgraded."""
    backup = _backup(settings, tmp_path)
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["alembic_revision"] = "0007"
    (backup / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match=r"revision 0007 .*accredit db upgrade"):
        _restore_fresh(backup, tmp_path, fresh_url)
    assert _counts(fresh_url) == {}


def test_a_stored_file_deleted_while_the_backup_runs_stops_it(
    stocked, settings, tmp_path, monkeypatch
):
    """Listed, then gone before it was copied (a purge or an organisation's deletion ran at
    the same time): the dump may refer to it, so the backup stops and says to run it again."""
    from accredit.services.storage.storage import LocalStorage

    def deleted_meanwhile(self, sha256):
        raise FileNotFoundError(sha256)

    monkeypatch.setattr(LocalStorage, "open", deleted_meanwhile)
    with pytest.raises(BackupError, match="was deleted while the backup ran"):
        _backup(settings, tmp_path)
    assert not (tmp_path / "backup").exists()


def test_a_database_holding_data_is_replaced_only_with_force(stocked, app, settings, tmp_path):
    backup = _backup(settings, tmp_path)
    before = counts_of(_engine())
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["restore", str(backup)])
    assert refused.exit_code != 0
    assert "is not empty" in refused.output and "--force" in refused.output
    assert counts_of(_engine()) == before
    forced = runner.invoke(args=["restore", str(backup), "--force"])
    assert forced.exit_code == 0, forced.output
    assert counts_of(_engine()) == before


def test_backup_refuses_a_folder_that_holds_something(app, settings, tmp_path):
    target = tmp_path / "occupied"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    done = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert done.exit_code != 0 and "is not empty" in done.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_a_folder_without_a_manifest_is_not_a_backup(app, tmp_path):
    (tmp_path / "half").mkdir()
    done = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "half")])
    assert done.exit_code != 0 and "has no manifest.json" in done.output


def test_a_backup_that_fails_leaves_nothing_behind(stocked, settings, tmp_path, monkeypatch):
    from accredit.services.storage.storage import LocalStorage

    def unreadable(self, sha256):  # a stored file that cannot be read half way through
        raise OSError(f"cannot read {sha256}")

    monkeypatch.setattr(LocalStorage, "open", unreadable)
    target = tmp_path / "backup"
    with pytest.raises(OSError, match="cannot read"):
        create_backup(settings, _engine(), target)
    assert not target.exists()


def test_a_damaged_stored_file_stops_the_backup(stocked, app, settings, tmp_path):
    evidence = next(
        p for p in sorted((settings.instance_path / "evidence").rglob("*")) if p.is_file()
    )
    evidence.write_bytes(evidence.read_bytes() + b"rot")
    target = tmp_path / "backup"
    done = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert done.exit_code != 0
    assert f"{evidence.name} no longer has that SHA-256" in done.output
    assert not target.exists()
