"""Annual activity returns for the demo and benchmark cohorts: believable figures that pass
every check of the real form (each set is checked by ``validate`` before it is used)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from accredit.data.base import utcnow
from accredit.data.models import ActivityReturn, Organisation
from accredit.data.queries.accounts.organisations import organisation_by_ods
from accredit.data.queries.accounts.users import user_by_email
from accredit.data.queries.assessments.activity_returns import has_returns
from accredit.data.transactions import unit_of_work
from accredit.domain.assessments.activity_return import (
    DRAFT,
    NAMES,
    SUBMITTED,
    Figures,
    as_text,
    financial_year,
    validate,
)
from accredit.extensions import db


def sample_figures(rng: random.Random) -> Figures:
    """One organisation's year, consistent throughout (parts within their totals)."""
    placements = rng.randint(20, 400)
    wrl = rng.randint(50, 2000)
    employability = rng.randint(0, 40)
    everyone = placements + wrl + employability
    formats = _split(rng, placements, 5)
    ages = _split(rng, placements, 3)
    applications = placements + rng.randint(0, placements)
    evaluations = rng.randint(0, everyone)
    known_6 = rng.randint(0, everyone // 4)
    known_12 = rng.randint(0, known_6)
    total_cost = rng.randint(5_000, 250_000)
    figures: Figures = {
        "work_experience_placements": placements,
        "work_related_learning_participants": wrl,
        "employability_participants": employability,
        "placement_days": placements * rng.randint(1, 8),
        "format_in_person": formats[0],
        "format_virtual": formats[1],
        "format_insight_day": formats[2],
        "format_shadowing": formats[3],
        "format_t_level": formats[4],
        "age_under_16": ages[0],
        "age_14_to_15": rng.randint(0, ages[0]),
        "age_16_to_18": ages[1],
        "age_19_plus": ages[2],
        "applications_received": applications,
        "places_offered": placements,
        "host_departments": rng.randint(3, 60),
        "trained_supervisors": rng.randint(5, 120),
        "evaluations_returned": evaluations,
        "evaluations_satisfied": rng.randint(evaluations * 3 // 4, evaluations),
        "destinations_known_6_months": known_6,
        "destinations_positive_6_months": rng.randint(0, known_6),
        "destinations_known_12_months": known_12,
        "destinations_positive_12_months": rng.randint(0, known_12),
        "total_cost": total_cost,
        "employability_cost": rng.randint(0, total_cost // 3) if employability else 0,
        "staff_hours": rng.randint(100, 5000),
    }
    for name in ("wp_most_deprived", "wp_care_experienced", "wp_additional_needs",
                 "wp_veterans", "wp_prison_leavers", "wp_resettled_refugees", "wp_unemployed",
                 "wp_career_changers"):  # fmt: skip
        figures[name] = rng.randint(0, everyone // 10)
    checked, errors = validate(as_text(figures), complete=True)
    if errors:  # a bug in this generator, never in what people type
        raise AssertionError(f"demo activity figures fail the checks: {errors}")
    return {name: checked[name] for name in NAMES}


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``parts`` whole numbers adding up to at most ``total``."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts))
    return [b - a for a, b in zip([0, *cuts[:-1]], cuts, strict=True)]


def seed_demo_returns(people: Sequence[tuple[str, str]], today: date | None = None) -> None:
    """For the demo organisations (ODS code, lead's email): last financial year's return
    submitted for all but the last, which has a draft for this year, so the dashboard panel
    and a lead's returns page both show something. Organisations with returns are left alone."""
    leads = []
    for ods, email in people:
        organisation, lead = organisation_by_ods(ods), user_by_email(email)
        if organisation is not None and lead is not None:
            leads.append((organisation, lead))
    if not leads:
        return
    this_year = financial_year(today or date.today())
    rng = random.Random(2017)
    submitted_at = utcnow() - timedelta(days=30)
    with unit_of_work():
        for organisation, lead in leads[:-1]:
            if _has_returns(organisation):
                continue
            db.session.add(
                ActivityReturn(
                    organisation_id=organisation.id,
                    year=this_year - 1,
                    status=SUBMITTED,
                    figures=sample_figures(rng),
                    submitted_at=submitted_at,
                    submitted_by_id=lead.id,
                    updated_by_id=lead.id,
                )
            )
        organisation, lead = leads[-1]
        if not _has_returns(organisation):
            partial = sample_figures(rng)
            draft = {
                name: value if i < 8 else None for i, (name, value) in enumerate(partial.items())
            }
            db.session.add(
                ActivityReturn(
                    organisation_id=organisation.id,
                    year=this_year,
                    status=DRAFT,
                    figures=draft,
                    updated_by_id=lead.id,
                )
            )


def _has_returns(organisation: Organisation) -> bool:
    return has_returns(organisation.id)
