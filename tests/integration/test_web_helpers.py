"""accredit.web.helpers: every record a URL names is found through the signed-in user's scope.

Called directly inside a request as each kind of user, so each lookup is proved on its own,
beside the route sweeps that prove the pages use them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from flask_login import login_user
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from accredit.data.models import Cohort, EvidenceItem, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.web import helpers


@contextmanager
def signed_in(app: Flask, user: User) -> Iterator[None]:
    with app.test_request_context():
        login_user(db.session.get(User, user.id))
        yield


def _item(organisation_id: int, title: str) -> EvidenceItem:
    with unit_of_work():
        item = EvidenceItem(
            organisation_id=organisation_id, kind="statement", title=title, current_version=0
        )
        db.session.add(item)
    return item


def test_own_organisation_is_found_and_another_is_not(app, people, org, other_org):
    with signed_in(app, people[Role.ORG_LEAD]):
        assert helpers.organisation_or_404(org.id).id == org.id
        with pytest.raises(NotFound):
            helpers.organisation_or_404(other_org.id)
        with pytest.raises(NotFound):
            helpers.organisation_or_404(99999)


def test_a_reviewer_without_the_organisation_in_scope_gets_404(app, people, org, enrol):
    with signed_in(app, people[Role.HEE_REVIEWER]), pytest.raises(NotFound):
        helpers.organisation_or_404(org.id)
    enrol(org)  # into the test cohort, which the reviewer is then assigned to
    with signed_in(app, people[Role.HEE_REVIEWER]):
        assert helpers.organisation_or_404(org.id).id == org.id


def test_a_cohort_is_found_only_by_those_whose_scope_holds_it(app, people, org, enrol):
    enrol(org)
    cohort = db.session.scalars(select(Cohort)).one()
    with signed_in(app, people[Role.HEE_ADMIN]):
        assert helpers.cohort_or_404(cohort.id).id == cohort.id
    with signed_in(app, people[Role.HEE_REVIEWER]):
        assert helpers.cohort_or_404(cohort.id).id == cohort.id
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        with signed_in(app, people[role]), pytest.raises(NotFound):
            helpers.cohort_or_404(cohort.id)
    with signed_in(app, people[Role.HEE_ADMIN]), pytest.raises(NotFound):
        helpers.cohort_or_404(cohort.id + 1000)


def test_an_unassigned_reviewer_gets_404_for_a_cohort(app, make_user, org, enrol):
    enrol(org)  # assigns the reviewers that exist now; this one comes later
    cohort = db.session.scalars(select(Cohort)).one()
    latecomer = make_user(Role.HEE_REVIEWER)
    with signed_in(app, latecomer), pytest.raises(NotFound):
        helpers.cohort_or_404(cohort.id)


def test_another_organisations_assessment_is_not_found(
    app, people, org, other_org, make_assessment, make_user
):
    theirs = make_assessment(other_org)
    ours = make_assessment(org, people[Role.ORG_LEAD])
    with signed_in(app, people[Role.ORG_LEAD]):
        workspace = helpers.workspace_or_404(ours.id)
        assert workspace.assessment.id == ours.id
        with pytest.raises(NotFound):
            helpers.workspace_or_404(theirs.id)
        with pytest.raises(NotFound):
            helpers.section_or_404(workspace, "no-such-section")
        with pytest.raises(NotFound):
            helpers.criterion_or_404(workspace, "no-such-criterion")
        section = workspace.standard.sections[0]
        assert helpers.section_or_404(workspace, section.id) is section


def test_another_organisations_evidence_is_not_found_under_either_url(app, people, org, other_org):
    ours, theirs = _item(org.id, "Ours"), _item(other_org.id, "Theirs")
    with signed_in(app, people[Role.ORG_CONTRIBUTOR]):
        organisation, item = helpers.evidence_item_or_404(org.id, ours.id)
        assert (organisation.id, item.title) == (org.id, "Ours")
        with pytest.raises(NotFound):
            helpers.evidence_item_or_404(org.id, theirs.id)  # their item under our URL
        with pytest.raises(NotFound):
            helpers.evidence_item_or_404(other_org.id, theirs.id)


def test_the_signed_in_user_is_the_model_not_the_proxy(app, people):
    with signed_in(app, people[Role.ORG_LEAD]):
        user = helpers.signed_in_user()
        assert type(user) is User and user.id == people[Role.ORG_LEAD].id
