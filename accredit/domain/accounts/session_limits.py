"""How long a signed-in session may last, kept apart from Flask so the rules can be tested alone.

Two limits apply. Idle: a session nobody has used for a while is probably on an unattended
computer, so it ends (30 minutes by default). Absolute: even a busy session ends after a long
day (12 hours by default), so a stolen cookie is not good for ever. Times are seconds since the
epoch, as the session cookie stores them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Ending(StrEnum):
    """Why a session was ended by time."""

    IDLE = "idle"
    ABSOLUTE = "absolute"


@dataclass(frozen=True)
class SessionLimits:
    idle_seconds: float
    absolute_seconds: float
    warning_seconds: float

    @classmethod
    def from_settings(
        cls, idle_minutes: float, absolute_hours: float, warning_minutes: float
    ) -> SessionLimits:
        return cls(idle_minutes * 60, absolute_hours * 3600, warning_minutes * 60)

    def ended_by(self, signed_in_at: float, active_at: float, now: float) -> Ending | None:
        """The limit this session has passed, if any; the absolute one wins when both have."""
        if now - signed_in_at >= self.absolute_seconds:
            return Ending.ABSOLUTE
        if now - active_at >= self.idle_seconds:
            return Ending.IDLE
        return None

    def seconds_left(self, signed_in_at: float, active_at: float, now: float) -> int:
        """Seconds until the first limit is reached, rounded up (so a page's countdown never
        ends before the server would agree), never negative."""
        left = min(
            self.idle_seconds - (now - active_at),
            self.absolute_seconds - (now - signed_in_at),
        )
        return max(0, math.ceil(left))

    def signed_out_message(self, ending: Ending) -> str:
        if ending is Ending.ABSOLUTE:
            return (
                "You were signed out because you had been signed in for "
                f"{duration(self.absolute_seconds)}. Sign in again to continue."
            )
        return (
            "You were signed out because you had not done anything for "
            f"{duration(self.idle_seconds)}. Sign in again to continue."
        )


def duration(seconds: float) -> str:
    """Plain English for a length of time: "12 hours", "30 minutes", "1 minute", "45 seconds"."""
    whole = round(seconds)
    for unit, size in (("hour", 3600), ("minute", 60)):
        if whole >= size and whole % size == 0:
            count = whole // size
            return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
    if whole >= 60:
        minutes = round(whole / 60)
        return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"
    return f"{whole} second" if whole == 1 else f"{whole} seconds"
