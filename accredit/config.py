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
    session_minutes: int = 120
    secure_cookies: bool = False
    max_upload_mb: int = 20
    standards_path: Path = field(default_factory=lambda: Path("standards"))
    sign_in_attempts: int = 5
    sign_in_window_minutes: int = 15
    log_level: str = "INFO"
    # Reverse proxies in front of the app whose X-Forwarded-For we trust (for client IPs).
    proxy_hops: int = 0
    # Background jobs (accredit.services.jobs): the time bound, the in-process pool without
    # Redis, how many jobs an RQ worker does before replacing itself, its queue, and extra
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
    # Peer medians on the readiness report are read again at most this often (per process).
    peer_figures_seconds: int = 300
    # -- sessions and headers (issue 10) --
    # -- two-factor sign-in (issue 10) --
    # -- logs and health (issue 10) --
    # -- backups (issue 10) --
    # -- object storage (issue 10) --
    # -- retention (issue 10) --

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
            session_minutes=_env_int("SESSION_MINUTES", 120),
            secure_cookies=_env_bool("SECURE_COOKIES", base_url.startswith("https://")),
            proxy_hops=_env_int("PROXY_HOPS", 0),
            max_upload_mb=_env_int("MAX_UPLOAD_MB", 20),
            standards_path=Path(_env("STANDARDS_PATH", str(root / "standards")) or ""),
            sign_in_attempts=_env_int("SIGN_IN_ATTEMPTS", 5),
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
            peer_figures_seconds=_env_int("PEER_FIGURES_SECONDS", 300),
            # -- sessions and headers (issue 10) --
            # -- two-factor sign-in (issue 10) --
            # -- logs and health (issue 10) --
            # -- backups (issue 10) --
            # -- object storage (issue 10) --
            # -- retention (issue 10) --
        )

    def flask_config(self) -> dict[str, Any]:
        """The subset Flask and its extensions read from ``app.config``."""
        from datetime import timedelta

        return {
            "SECRET_KEY": self.secret_key,
            "PERMANENT_SESSION_LIFETIME": timedelta(minutes=self.session_minutes),
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.secure_cookies,
            "MAX_CONTENT_LENGTH": self.max_upload_mb * 1024 * 1024,
            "WTF_CSRF_TIME_LIMIT": self.session_minutes * 60,
            "REMEMBER_COOKIE_DURATION": timedelta(seconds=0),
        }
