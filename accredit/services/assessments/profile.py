"""Which profile questions to ask: the boolean profile fields of the cohort's standard (the
organisation type is on the organisation's record; other field types are set by HEE)."""

from __future__ import annotations

from accredit.data.models import Cohort
from accredit.domain.scoring.standard import ProfileField, ProfileFieldType
from accredit.services.operations.standards import latest_published


def profile_questions(cohort: Cohort | None) -> list[ProfileField]:
    if cohort is None:
        return []
    pinned = latest_published(cohort.standard_id, cohort.standard_version)
    if pinned is None:
        return []
    standard, _ = pinned
    return [f for f in standard.profile_fields if f.type is ProfileFieldType.BOOLEAN]
