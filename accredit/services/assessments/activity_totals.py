"""The cohort dashboard's activity return panel: one aggregated query, shaped by the domain."""

from __future__ import annotations

from accredit.config import Settings
from accredit.data.models import Cohort
from accredit.data.queries.assessments.activity_returns import submitted_totals
from accredit.data.queries.scope import Scope
from accredit.domain.cohorts.activity_totals import SUMMED, Panel, panel
from accredit.domain.numbers import whole_number


def build(scope: Scope, cohort: Cohort, wanted_year: str | None, settings: Settings) -> Panel:
    """Totals of the submitted returns of the cohort's organisations the user may see, for the
    year asked for in the URL (``?activity_year=2025``) or the latest with returns."""
    year = whole_number(wanted_year, 4)
    return panel(submitted_totals(scope, cohort.id, SUMMED), year, settings.roi_ratio)
