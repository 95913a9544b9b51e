"""Settings: declared once (accredit.config), read from ACCREDIT_* variables at start-up only,
and refused with a message naming the variable when a value is bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from accredit.config import ROOT, Settings, SettingsError, env_name
from accredit.domain.operations.retention import Kind, period_problems


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """An environment with none of the developer's own ACCREDIT_ variables in it."""
    import os

    for name in list(os.environ):
        if name.startswith("ACCREDIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ACCREDIT_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("ACCREDIT_SECRET_KEY", "unit")
    return monkeypatch


def test_the_defaults_are_the_declared_ones(env, tmp_path):
    settings = Settings.from_env()
    assert settings.instance_path == tmp_path.resolve()
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'accredit.db'}"
    assert settings.standards_path == ROOT / "standards"
    assert settings.base_url == "http://127.0.0.1:5000" and settings.secure_cookies is False
    assert (settings.smtp_port, settings.smtp_use_tls, settings.redis_url) == (25, False, None)
    assert (settings.job_modules, settings.job_queue) == ((), "accredit")
    assert (settings.idle_minutes, settings.absolute_hours, settings.roi_ratio) == (30, 12, 2.5)
    assert settings.issuer_name == "NHS England" and settings.admin_two_factor is True
    assert settings.log_format == "json"
    periods = settings.retention_periods()
    assert (periods.invitations_days, periods.audit_days) == (90, 2555)
    assert period_problems(periods) == []


def test_every_setting_is_described_and_named_by_its_variable():
    for name, declared in Settings.model_fields.items():
        assert declared.description, f"{env_name(name)} has no description"
    assert env_name("retain_audit_days") == "ACCREDIT_RETAIN_AUDIT_DAYS"


def test_values_are_parsed_from_their_variables(env):
    env.setenv("ACCREDIT_SMTP_PORT", " 2525 ")
    env.setenv("ACCREDIT_SMTP_USE_TLS", " Yes")
    env.setenv("ACCREDIT_ROI_RATIO", "3.25")
    env.setenv("ACCREDIT_JOB_MODULES", "tests.a, tests.b,,")
    env.setenv("ACCREDIT_BASE_URL", "https://accredit.example/")
    env.setenv("ACCREDIT_ISSUER_NAME", "  Region North  ")
    env.setenv("ACCREDIT_LOG_FORMAT", "TEXT")
    env.setenv("ACCREDIT_ADMIN_TWO_FACTOR", " Off ")
    env.setenv("ACCREDIT_RETAIN_EXPORTS_DAYS", "7")
    env.setenv("ACCREDIT_REDIS_URL", "")  # empty is the same as unset
    settings = Settings.from_env()
    assert (settings.smtp_port, settings.smtp_use_tls, settings.roi_ratio) == (2525, True, 3.25)
    assert settings.job_modules == ("tests.a", "tests.b")
    assert settings.base_url == "https://accredit.example"
    assert settings.secure_cookies is True  # worked out from the https address
    assert settings.issuer_name == "Region North" and settings.log_format == "text"
    assert settings.admin_two_factor is False and settings.redis_url is None
    assert settings.retention_periods().days(Kind.COHORT_EXPORTS) == 7


def test_an_explicit_secure_cookies_wins_over_the_address(env):
    env.setenv("ACCREDIT_BASE_URL", "https://accredit.example")
    env.setenv("ACCREDIT_SECURE_COOKIES", "false")
    assert Settings.from_env().secure_cookies is False


def test_a_blank_issuer_falls_back_to_the_default(env):
    env.setenv("ACCREDIT_ISSUER_NAME", "   ")
    assert Settings.from_env().issuer_name == "NHS England"


def test_bad_values_stop_start_up_naming_every_variable_at_fault(env):
    env.setenv("ACCREDIT_SMTP_PORT", "twenty-five")
    env.setenv("ACCREDIT_SMTP_USE_TLS", "perhaps")
    env.setenv("ACCREDIT_LOG_FORMAT", "yaml")
    env.setenv("ACCREDIT_ADMIN_TWO_FACTOR", "no")
    with pytest.raises(SettingsError) as refused:
        Settings.from_env()
    lines = str(refused.value).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "ACCREDIT_SMTP_PORT",
        "ACCREDIT_SMTP_USE_TLS",
        "ACCREDIT_LOG_FORMAT",
        "ACCREDIT_ADMIN_TWO_FACTOR",
    ]
    assert "(it is 'twenty-five')" in lines[0]
    assert lines[3] == 'ACCREDIT_ADMIN_TWO_FACTOR: must be "required" or "off" (it is \'no\')'


def test_overrides_win_over_the_environment(env, tmp_path):
    env.setenv("ACCREDIT_JOB_QUEUE", "from-env")
    assert Settings.from_env(job_queue="given").job_queue == "given"


def test_keyword_settings_ignore_the_environment(env, tmp_path):
    """Tests and benches build exactly the settings they mean, whatever the shell holds."""
    env.setenv("ACCREDIT_JOB_QUEUE", "from-env")
    env.setenv("ACCREDIT_SMTP_PORT", "not a number")
    settings = Settings(instance_path=tmp_path, secret_key="given", award_months=36)
    assert settings.job_queue == "accredit" and settings.smtp_port == 25
    assert settings.award_months == 36 and settings.secret_key == "given"
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'accredit.db'}"


def test_an_unknown_keyword_is_refused(tmp_path):
    with pytest.raises(ValueError, match="job_queu"):
        Settings(instance_path=tmp_path, secret_key="x", job_queu="typo")
