"""Settings: every one declared once here, with its environment variable, type, default and
meaning; the README's table is printed from this declaration (``accredit settings-table``).

The environment is read once, at start-up, by ``Settings.from_env()`` (``create_app``, the
worker, the command line); services are handed the result. ``Settings(...)`` with keyword
arguments is exactly what it is given plus the defaults below, whatever the environment says,
so a test or bench builds the settings it means. Nothing has a secret default: when no secret
key is given, one is generated once into the instance folder so that sessions survive
restarts without a key in the code.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import fields
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from accredit.domain.operations.retention import Periods

PREFIX = "ACCREDIT_"
ROOT = Path(__file__).resolve().parent.parent


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


class SettingsError(ValueError):
    """Start-up refused: each line names a variable and what is wrong with its value."""


def _shown(text: str) -> dict[str, Any]:
    """The default as the README shows it, for a setting whose default is worked out."""
    return {"shown_default": text}


class Settings(BaseSettings):
    """Every setting the service reads, each an ``ACCREDIT_`` environment variable."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX,
        env_ignore_empty=True,  # VAR= is the same as unset
        extra="forbid",
    )

    secret_key: str = Field(
        "",
        description="Signs sessions, CSRF tokens and reset links",
        json_schema_extra=_shown("generated once into `instance/secret_key`"),
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL; PostgreSQL as `postgresql://user@host/db` (psycopg 3)",
        json_schema_extra=_shown("`sqlite:///instance/accredit.db`"),
    )
    instance_path: Path = Field(
        ROOT / "instance",
        description="Local state: database, secret key, mail outbox, demo sign-ins",
        json_schema_extra=_shown("`./instance`"),
    )
    base_url: str = Field("http://127.0.0.1:5000", description="Start of the links in emails")
    redis_url: str | None = Field(
        None, description="Redis for background jobs (RQ); without it jobs run in-process"
    )
    smtp_host: str | None = Field(
        None, description="Mail server; without it mail is logged and written to `instance/outbox/`"
    )
    smtp_port: int = Field(25, description="Mail server port")
    smtp_username: str | None = Field(None, description="Mail server login: the user name")
    smtp_password: str | None = Field(None, description="Mail server login: the password")
    smtp_use_tls: bool = Field(False, description="STARTTLS to the mail server")
    mail_from: str = Field("accredit@localhost", description="Sender address")
    secure_cookies: bool = Field(
        False,
        description="Send cookies over HTTPS only",
        json_schema_extra=_shown("`true` when `ACCREDIT_BASE_URL` is https"),
    )
    proxy_hops: int = Field(
        0,
        description="Reverse proxies in front whose `X-Forwarded-For`/`-Proto` are trusted "
        "(client addresses for sign-in throttling)",
    )
    max_upload_mb: int = Field(20, description="Largest request or upload")
    standards_path: Path = Field(
        ROOT / "standards",
        description="Where standard files are read from",
        json_schema_extra=_shown("`./standards`"),
    )
    # The sign-in throttle (accredit.domain.accounts.sign_in_throttle).
    sign_in_attempts: int = Field(
        5,
        description="Failed sign-ins allowed on one account from one client address within the "
        "window; the next from that address is refused (others, such as the account's owner "
        "elsewhere, are not)",
    )
    sign_in_address_attempts: int = Field(
        20,
        description="Failed sign-ins allowed from one client address on any accounts within the "
        "window (one address trying many accounts); raise it if many people share one address",
    )
    sign_in_account_attempts: int = Field(
        100,
        description="Failed sign-ins in a row allowed on one account from all addresses together "
        "(NIST SP 800-63B 5.2.2's ceiling); then it is refused to everyone until its password is "
        "reset. A sign-in or a password reset starts the count again",
    )
    sign_in_window_minutes: int = Field(
        15,
        description="The window for the first two limits, and how long sign-in is refused there "
        "after one is used up",
    )
    log_level: str = Field("INFO", description="Logging level")
    # Background jobs (accredit.services.jobs.jobs).
    job_timeout_seconds: int = Field(
        300, description="A background job running longer is stopped and shown as failed"
    )
    job_threads: int = Field(
        2, description="Threads running background jobs inside the app when there is no Redis"
    )
    worker_max_jobs: int = Field(
        50,
        description="Jobs an `accredit worker` does before replacing itself with a fresh process",
    )
    job_queue: str = Field("accredit", description="RQ queue name (the tests use their own)")
    job_modules: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="Extra modules, comma-separated, that register job kinds (the tests' handlers)",
    )
    # Accreditation (issue 9).
    award_months: int = Field(
        24,
        description="How long an award lasts: it expires this many months after the award date",
    )
    stalled_weeks: int = Field(
        4,
        description="The cohort dashboard lists an organisation as stalled after this many weeks "
        "without activity while its deadline is still ahead",
    )
    peer_figures_seconds: int = Field(
        300,
        description="The readiness report's peer medians are read and tallied again at most this "
        "often (each process keeps them meanwhile)",
    )
    roi_ratio: float = Field(
        2.5,
        description="Return on investment assumed for employability programmes on the dashboard: "
        "each £1 spent returns itself plus this much (HEE's research)",
    )
    issuer_name: str = Field(
        "NHS England",
        description="Who issues awards and runs the service: named on certificates, evidence "
        "packs, emails, the page footer and the service's own pages (HEE became part of NHS "
        'England in 2023). "HEE reviewer" and "HEE admin" stay the names of the roles',
    )
    # Days kept before `accredit purge` deletes them (accredit.domain.operations.retention).
    retain_invitations_days: int = Field(
        90,
        description="`accredit purge` deletes invitations this many days after they were used or "
        "lapsed unused",
    )
    retain_reset_tokens_days: int = Field(
        30,
        description="Reset links are never stored; the record of each reset request is deleted "
        "after this many days",
    )
    retain_sessions_days: int = Field(
        30,
        description="Sessions are signed cookies; what the server keeps of them (forms typed as a "
        "session ended) is deleted after this many days",
    )
    retain_sign_in_attempts_days: int = Field(
        90,
        description="Failed and refused sign-ins are deleted after this many days (never within "
        "the sign-in window)",
    )
    retain_imports_days: int = Field(
        30,
        description="Uploaded lists of a cohort's organisations (with their leads' names and "
        "emails) are deleted this many days after upload, imported or not",
    )
    retain_exports_days: int = Field(
        30,
        description="Cohort exports (a cache of the cohort's answers and packs, made again at "
        "will) are deleted, with their files, this many days after they were made",
    )
    retain_audit_days: int = Field(
        2555,
        description="The rest of the audit trail is deleted after this many days (about 7 years: "
        "awards last two, audits look back)",
    )
    storage_url: str | None = Field(
        None,
        description="Keep evidence, packs, certificates and exports in an S3-compatible bucket "
        "instead of `instance/`: `s3://bucket/prefix?endpoint=https://host:9000&region=eu-west-2` "
        "(`endpoint` only for non-AWS servers); see Production",
    )
    storage_key_id: str | None = Field(
        None,
        description="The bucket's access key id; unset, boto3's standard chain is used "
        "(`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, `~/.aws/credentials`, an instance or pod "
        "role)",
    )
    storage_secret: str | None = Field(
        None,
        description="The bucket's secret access key; unset with the key id, boto3's chain is used",
    )
    idle_minutes: float = Field(
        30,
        description="A session nobody has used for this long ends (fractions allowed); see "
        "Sessions and headers",
    )
    absolute_hours: float = Field(
        12,
        description="Every session ends this long after sign-in, however busy; also the session "
        "cookie's lifetime and how long a page's form stays good",
    )
    idle_warning_minutes: float = Field(
        2,
        description='The "You\'re about to be signed out" dialog opens this long before the idle '
        "limit (fractions allowed)",
    )
    log_format: Literal["json", "text"] = Field(
        "json",
        description="`json` writes each log record as one JSON object per line (for production "
        "log collectors); `text` writes plain lines for reading in a terminal",
    )
    admin_two_factor: bool = Field(
        True,
        description="HEE admins must set up two-factor authentication (an authenticator app) "
        "before they can use anything else; `off` (tests and throwaway demos only) lets them sign "
        "in with a password alone. Any other value is refused at start-up. See Two-factor sign-in",
        json_schema_extra=_shown("`required`"),
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Keyword arguments only: the environment is read by from_env, at start-up.
        return (init_settings,)

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        """The settings from ``ACCREDIT_*`` variables (``overrides`` win); a bad value stops
        start-up with a message naming each variable at fault."""
        values = {**EnvSettingsSource(cls)(), **overrides}
        try:
            return cls(**values)
        except ValidationError as error:
            raise SettingsError("\n".join(_problem(e) for e in error.errors())) from None

    @model_validator(mode="before")
    @classmethod
    def _derived_defaults(cls, data: Any) -> Any:
        """Defaults worked out from other settings: the database and the secret key live in
        the instance folder, and cookies are secure when the service is served over https."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        instance = Path(data.get("instance_path") or cls.model_fields["instance_path"].default)
        instance = data["instance_path"] = instance.resolve()
        if not data.get("database_url"):
            data["database_url"] = f"sqlite:///{instance / 'accredit.db'}"
        if not data.get("secret_key"):
            data["secret_key"] = instance_secret_key(instance)
        base_url = str(data.get("base_url") or cls.model_fields["base_url"].default)
        data.setdefault("secure_cookies", base_url.strip().startswith("https://"))
        return data

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("smtp_use_tls", "secure_cookies", mode="before")
    @classmethod
    def _trimmed(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("job_modules", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(name.strip() for name in value.split(",") if name.strip())
        return value

    @field_validator("issuer_name", mode="before")
    @classmethod
    def _named(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return cls.model_fields["issuer_name"].default
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("admin_two_factor", mode="before")
    @classmethod
    def _two_factor_rule(cls, value: Any) -> Any:
        """ "required" or "off"; anything else is a typo that must not weaken sign-in."""
        if not isinstance(value, str):
            return value
        rule = value.strip().lower()
        if rule not in {"required", "off"}:
            raise ValueError('must be "required" or "off"')
        return rule == "required"

    def retention_periods(self) -> Periods:
        """How long each kind of record is kept, for the retention rules."""
        return Periods(**{f.name: getattr(self, f"retain_{f.name}") for f in fields(Periods)})

    def flask_config(self) -> dict[str, Any]:
        """The subset Flask and its extensions read from ``app.config``."""
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


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def settings_table() -> str:
    """The README's table of settings, in Markdown, one row per setting as declared above
    (``accredit settings-table`` prints it; a test fails when the README's copy differs)."""
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    for name, declared in Settings.model_fields.items():
        rows.append(f"| `{env_name(name)}` | {_shown_default(declared)} | {declared.description} |")
    return "\n".join(rows) + "\n"


def _shown_default(declared: FieldInfo) -> str:
    extra = declared.json_schema_extra
    if isinstance(extra, dict) and "shown_default" in extra:
        return str(extra["shown_default"])
    value = declared.default
    if value is None or value == ():
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f"`{value}`"


def _problem(error: Any) -> str:
    """One line of a SettingsError: the variable, what is wrong, and the value given."""
    where = env_name(str(error["loc"][0])) if error["loc"] else "The settings"
    cause = error.get("ctx", {}).get("error")
    message = str(cause) if isinstance(cause, ValueError) else error["msg"]
    return f"{where}: {message} (it is {error['input']!r})"
