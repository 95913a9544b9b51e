"""How long short-lived records are kept: the cut-off date for each kind of record.

Pure rules, so the dates a purge will use can be worked out and tested without a database.
Personal data is kept no longer than it is useful: invitations once used or expired, the
trail of password reset requests (the links themselves are signed and never stored), forms
kept across an ended session, failed sign-ins (needed only for throttling), uploaded lists of
a cohort's organisations (their leads' names and emails, needed only until imported) and cohort
exports (a cache of the cohort's answers and packs, made again at will). The audit trail is kept
longest, since awards last two years and audits look back over them; no shorter-lived kind is
ever kept longer than the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

#: A stored evidence file no version refers to is deleted only once it is this old: an upload
#: stores its bytes a moment before its row commits, and must not lose them in between.
ORPHAN_GRACE = timedelta(days=1)


class Kind(StrEnum):
    """What a purge deletes, in the order it is shown and applied."""

    INVITATIONS = "invitations"
    RESET_REQUESTS = "reset_requests"
    FORM_STASHES = "form_stashes"
    SIGN_IN_ATTEMPTS = "sign_in_attempts"
    COHORT_IMPORTS = "cohort_imports"
    COHORT_EXPORTS = "cohort_exports"
    AUDIT_EVENTS = "audit_events"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Kind.INVITATIONS: "Invitations used or expired",
    Kind.RESET_REQUESTS: "Password reset requests",
    Kind.FORM_STASHES: "Forms kept across an ended session",
    Kind.SIGN_IN_ATTEMPTS: "Failed and refused sign-ins",
    Kind.COHORT_IMPORTS: "Organisation lists uploaded to cohorts",
    Kind.COHORT_EXPORTS: "Cohort exports made",
    Kind.AUDIT_EVENTS: "Other audit events",
}

#: Audit actions that belong to a shorter-lived kind rather than to the audit trail proper.
RESET_REQUEST_ACTIONS = ("password-reset-requested",)
SIGN_IN_ATTEMPT_ACTIONS = ("sign-in-failed", "sign-in-throttled")
#: The background jobs whose results are cohort exports (the services name them from here).
EXPORT_JOB_KINDS = ("cohort_export", "cohort_packs")
#: The event a purge writes about itself (counts only).
PURGE_ACTION = "retention-purge"


@dataclass(frozen=True, slots=True)
class Periods:
    """Days each kind is kept. No defaults here: they are declared once, with the settings
    (``ACCREDIT_RETAIN_*`` in accredit.config), which fill this in."""

    invitations_days: int
    reset_tokens_days: int
    sessions_days: int
    sign_in_attempts_days: int
    imports_days: int
    exports_days: int
    audit_days: int

    def days(self, kind: Kind) -> int:
        return int(getattr(self, _PERIOD[kind]))


#: Which period each kind is kept for; the setting is ACCREDIT_RETAIN_ and the period's name.
_PERIOD = {
    Kind.INVITATIONS: "invitations_days",
    Kind.RESET_REQUESTS: "reset_tokens_days",
    Kind.FORM_STASHES: "sessions_days",
    Kind.SIGN_IN_ATTEMPTS: "sign_in_attempts_days",
    Kind.COHORT_IMPORTS: "imports_days",
    Kind.COHORT_EXPORTS: "exports_days",
    Kind.AUDIT_EVENTS: "audit_days",
}


def setting_name(kind: Kind) -> str:
    """The environment variable that sets how long ``kind`` is kept."""
    return f"ACCREDIT_RETAIN_{_PERIOD[kind].upper()}"


def period_problems(periods: Periods) -> list[str]:
    """What is wrong with the settings, in words naming the variable; empty when usable.

    Zero or fewer days would delete records still in use (an invitation not yet accepted,
    a form about to be shown back), so every period must be at least a day.
    """
    return [
        f"{setting_name(kind)} must be a whole number of days, 1 or more "
        f"(it is {periods.days(kind)})"
        for kind in Kind
        if periods.days(kind) < 1
    ]


def cutoffs(now: datetime, periods: Periods, sign_in_window: timedelta) -> dict[Kind, datetime]:
    """For each kind, the moment before which its records are deleted.

    Audit-trail kinds are never kept longer than the audit trail itself, and failed sign-ins
    are always kept for the throttling window, whatever the setting says, so a purge can
    never reopen an account to guessing.
    """
    audit = now - timedelta(days=periods.audit_days)
    result = {kind: now - timedelta(days=periods.days(kind)) for kind in Kind}
    for kind in (Kind.RESET_REQUESTS, Kind.SIGN_IN_ATTEMPTS):
        result[kind] = max(result[kind], audit)
    result[Kind.SIGN_IN_ATTEMPTS] = min(result[Kind.SIGN_IN_ATTEMPTS], now - sign_in_window)
    return result


def unshared(candidates: set[str], still_referenced: set[str]) -> list[str]:
    """The stored files (by SHA-256) that may go: those nothing refers to any more. Content
    is stored once for everyone who uploaded it, so a file another organisation still cites
    is kept."""
    return sorted(candidates - still_referenced)
