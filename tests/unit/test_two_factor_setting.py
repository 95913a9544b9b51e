"""ACCREDIT_ADMIN_TWO_FACTOR: required unless plainly turned off; a typo is refused."""

from __future__ import annotations

import pytest

from accredit.config import Settings


def _settings(monkeypatch: pytest.MonkeyPatch, tmp_path, value: str | None) -> Settings:
    monkeypatch.setenv("ACCREDIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ACCREDIT_SECRET_KEY", "unit")
    if value is None:
        monkeypatch.delenv("ACCREDIT_ADMIN_TWO_FACTOR", raising=False)
    else:
        monkeypatch.setenv("ACCREDIT_ADMIN_TWO_FACTOR", value)
    return Settings.from_env()


def test_admins_need_two_factor_by_default(monkeypatch, tmp_path):
    assert _settings(monkeypatch, tmp_path, None).admin_two_factor is True
    assert _settings(monkeypatch, tmp_path, "Required").admin_two_factor is True


def test_off_turns_the_rule_off(monkeypatch, tmp_path):
    assert _settings(monkeypatch, tmp_path, "off").admin_two_factor is False


def test_anything_else_is_refused_rather_than_read_as_off(monkeypatch, tmp_path):
    with pytest.raises(ValueError, match='must be "required" or "off"'):
        _settings(monkeypatch, tmp_path, "no")
