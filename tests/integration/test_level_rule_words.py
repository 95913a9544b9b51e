"""The readiness panel and the report say what a level needs in the standard's own terms: its
threshold, the least number of its own criteria met (min_met) and its mandatory criteria."""

from __future__ import annotations

import re

from accredit.data.models import Cohort, CohortMembership, Organisation, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.seed.demo_assessments import Stage, seed_stage
from tests.support.html import page


def test_a_level_with_min_met_says_how_many_of_its_criteria_are_needed(
    standards_loaded, org, people, clients
):
    with unit_of_work():
        cohort = Cohort(name="C", year=2027, standard_id="weqs", standard_version="2026.2")
        db.session.add(cohort)
        db.session.flush()
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=org.id))
    lead = db.session.get(User, people[Role.ORG_LEAD].id)
    assessment = seed_stage(db.session.get(Organisation, org.id), lead, Stage.BRONZE)
    client = clients[Role.ORG_LEAD]
    needs = re.compile(
        r"you need 80%, at least 10 of its own criteria met \(you have \d+\) "
        r"and every mandatory criterion met"
    )
    panel = page(client.get(f"/assessments/{assessment.id}")).select_one("#readiness")
    assert needs.search(" ".join(panel.get_text(" ", strip=True).split())), panel.get_text()
    report = page(client.get(f"/assessments/{assessment.id}/report"))
    assert needs.search(" ".join(report.get_text(" ", strip=True).split()))
