"""Settings, read only from environment variables prefixed ``ACCREDIT_``.

Nothing here has a secret default: when no secret key is given, one is generated once
into the instance folder so that sessions survive restarts without a key in the code.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PREFIX = "ACCREDIT_"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(PREFIX + name)
    return value if value not in (None, "") else default


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    return int(value) if value is not None else default


def _two_factor_rule(value: str | None) -> bool:
    """ "required" (the default) or "off"; anything else is a typo that must not weaken sign-in."""
    rule = (value or "required").strip().lower()
    if rule not in {"required", "off"}:
        raise ValueError(f'{PREFIX}ADMIN_TWO_FACTOR must be "required" or "off", not {value!r}')
    return rule == "required"


def instance_secret_key(instance_path: Path) -> str:
    """Return the key kept in ``instance/secret_key``, creating it on first use."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@dataclass
class Settings:
    """Every setting the service reads; see README.md for the variables."""

    instance_path: Path
    database_url: str
    secret_key: str
    redis_url: str | None = None
    base_url: str = "http://127.0.0.1:5000"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_use_tls: bool = False
    mail_from: str = "accredit@localhost"
    secure_cookies: bool = False
    max_upload_mb: int = 20
    standards_path: Path = field(default_factory=lambda: Path("standards"))
    # The sign-in throttle (accredit.domain.accounts.sign_in_throttle): failed attempts allowed on
    # an account from one client address, and from one address on any account, within the
    # window; and on an account from anywhere in a row (NIST SP 800-63B's ceiling of 100),
    # after which it is refused to everyone until its password is reset.
    sign_in_attempts: int = 5
    sign_in_address_attempts: int = 20
    sign_in_account_attempts: int = 100
    sign_in_window_minutes: int = 15
    log_level: str = "INFO"
    # Reverse proxies in front of the app whose X-Forwarded-For we trust (for client IPs).
    proxy_hops: int = 0
    # Background jobs (accredit.services.operations.jobs): the time bound, the in-process pool
    # without Redis, how many jobs an RQ worker does before replacing itself, its queue, and extra
    # modules that register job kinds (the worker imports them; tests name theirs here).
    job_timeout_seconds: int = 300
    job_threads: int = 2
    worker_max_jobs: int = 50
    job_queue: str = "accredit"
    job_modules: tuple[str, ...] = ()
    # Accreditation (issue 9): how long an award lasts, when an organisation counts as stalled
    # (no activity for this many weeks while its deadline is still ahead), and the return on
    # investment assumed for employability programmes (each pound spent returns itself plus
    # this much; HEE's research put it at 2.5).
    award_months: int = 24
    stalled_weeks: int = 4
    roi_ratio: float = 2.5
    # Who issues awards and runs the service, named on certificates, evidence packs, emails and
    # the page footer. HEE became part of NHS England in 2023; a region may name itself here.
    issuer_name: str = "NHS England"
    # Peer medians on the readiness report are read again at most this often (per process).
    peer_figures_seconds: int = 300
    # A session ends after this long without a request (idle) or since sign-in (absolute);
    # the warning dialog opens this long before the idle end. Fractions are allowed.
    idle_minutes: float = 30
    absolute_hours: float = 12
    idle_warning_minutes: float = 2
    # HEE admins must set up two-factor sign-in before they can use anything else; "off" in
    # ACCREDIT_ADMIN_TWO_FACTOR is for tests and throwaway demos only.
    admin_two_factor: bool = True
    # How log records are written: one JSON object per line ("json"), or plain text ("text").
    log_format: str = "json"
    # s3://bucket/prefix?endpoint=...&region=... puts every stored file in that bucket instead
    # of instance/; the key pair, when unset, comes from boto3's chain (AWS_* variables).
    storage_url: str | None = None
    storage_key_id: str | None = None
    storage_secret: str | None = None
    # Days kept before `accredit purge` deletes them (accredit.domain.operations.retention).
    retain_invitations_days: int = 90
    retain_reset_tokens_days: int = 30
    retain_sessions_days: int = 30
    retain_sign_in_attempts_days: int = 90
    retain_imports_days: int = 30
    retain_exports_days: int = 30
    retain_audit_days: int = 2555

    @classmethod
    def from_env(cls) -> Settings:
        root = Path(__file__).resolve().parent.parent
        instance_path = Path(_env("INSTANCE_PATH", str(root / "instance")) or "").resolve()
        database_url = _env("DATABASE_URL") or f"sqlite:///{instance_path / 'accredit.db'}"
        base_url = (_env("BASE_URL", "http://127.0.0.1:5000") or "").rstrip("/")
        return cls(
            instance_path=instance_path,
            database_url=database_url,
            secret_key=_env("SECRET_KEY") or instance_secret_key(instance_path),
            redis_url=_env("REDIS_URL"),
            base_url=base_url,
            smtp_host=_env("SMTP_HOST"),
            smtp_port=_env_int("SMTP_PORT", 25),
            smtp_username=_env("SMTP_USERNAME"),
            smtp_password=_env("SMTP_PASSWORD"),
            smtp_use_tls=_env_bool("SMTP_USE_TLS", False),
            mail_from=_env("MAIL_FROM", "accredit@localhost") or "",
            secure_cookies=_env_bool("SECURE_COOKIES", base_url.startswith("https://")),
            proxy_hops=_env_int("PROXY_HOPS", 0),
            max_upload_mb=_env_int("MAX_UPLOAD_MB", 20),
            standards_path=Path(_env("STANDARDS_PATH", str(root / "standards")) or ""),
            sign_in_attempts=_env_int("SIGN_IN_ATTEMPTS", 5),
            sign_in_address_attempts=_env_int("SIGN_IN_ADDRESS_ATTEMPTS", 20),
            sign_in_account_attempts=_env_int("SIGN_IN_ACCOUNT_ATTEMPTS", 100),
            sign_in_window_minutes=_env_int("SIGN_IN_WINDOW_MINUTES", 15),
            log_level=_env("LOG_LEVEL", "INFO") or "INFO",
            job_timeout_seconds=_env_int("JOB_TIMEOUT_SECONDS", 300),
            job_threads=_env_int("JOB_THREADS", 2),
            worker_max_jobs=_env_int("WORKER_MAX_JOBS", 50),
            job_queue=_env("JOB_QUEUE", "accredit") or "accredit",
            job_modules=tuple(
                name.strip() for name in (_env("JOB_MODULES") or "").split(",") if name.strip()
            ),
            award_months=_env_int("AWARD_MONTHS", 24),
            stalled_weeks=_env_int("STALLED_WEEKS", 4),
            roi_ratio=float(_env("ROI_RATIO", "2.5") or "2.5"),
            issuer_name=(_env("ISSUER_NAME") or "").strip() or "NHS England",
            peer_figures_seconds=_env_int("PEER_FIGURES_SECONDS", 300),
            idle_minutes=float(_env("IDLE_MINUTES", "30") or "30"),
            absolute_hours=float(_env("ABSOLUTE_HOURS", "12") or "12"),
            idle_warning_minutes=float(_env("IDLE_WARNING_MINUTES", "2") or "2"),
            admin_two_factor=_two_factor_rule(_env("ADMIN_TWO_FACTOR", "required")),
            log_format=(_env("LOG_FORMAT", "json") or "json").strip().lower(),
            storage_url=_env("STORAGE_URL"),
            storage_key_id=_env("STORAGE_KEY_ID"),
            storage_secret=_env("STORAGE_SECRET"),
            retain_invitations_days=_env_int("RETAIN_INVITATIONS_DAYS", 90),
            retain_reset_tokens_days=_env_int("RETAIN_RESET_TOKENS_DAYS", 30),
            retain_sessions_days=_env_int("RETAIN_SESSIONS_DAYS", 30),
            retain_sign_in_attempts_days=_env_int("RETAIN_SIGN_IN_ATTEMPTS_DAYS", 90),
            retain_imports_days=_env_int("RETAIN_IMPORTS_DAYS", 30),
            retain_exports_days=_env_int("RETAIN_EXPORTS_DAYS", 30),
            retain_audit_days=_env_int("RETAIN_AUDIT_DAYS", 2555),
        )

    def flask_config(self) -> dict[str, Any]:
        """The subset Flask and its extensions read from ``app.config``."""
        from datetime import timedelta

        return {
            "SECRET_KEY": self.secret_key,
            # The cookie lives no longer than the absolute limit; the idle limit is checked on
            # every request (accredit.web.session_timeout).
            "PERMANENT_SESSION_LIFETIME": timedelta(hours=self.absolute_hours),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "MAX_CONTENT_LENGTH": self.max_upload_mb * 1024 * 1024,
            # A form stays good while its session does: "Stay signed in" can keep a page open
            # well past the idle limit, and its token must still be accepted then.
            "WTF_CSRF_TIME_LIMIT": int(self.absolute_hours * 3600),
            "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        }
