"""HEE admins add organisations; ODS codes are checked by format and never duplicated."""

from __future__ import annotations

from accredit.data.models import AuditEvent, Organisation
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.extensions import db
from tests.support.forms import submit
from tests.support.html import error_summary, page


def _add(client, **fields):
    data = {
        "name": "Riverside Practice",
        "org_type": "gp_practice",
        "ods_code": "b86022",
        "region": "london",
        "parent": "",
    }
    data.update(fields)
    return submit(client, "/organisations/new", data)


def test_hee_admin_adds_an_organisation(clients):
    response = _add(clients[Role.HEE_ADMIN])
    assert response.status_code == 302
    organisation = db.session.query(Organisation).filter_by(ods_code="B86022").one()
    assert organisation.org_type is OrgType.GP_PRACTICE and organisation.region.code == "london"
    assert response.headers["Location"] == f"/organisations/{organisation.id}"
    assert db.session.query(AuditEvent).filter_by(action="organisation-added").count() == 1


def test_site_can_belong_to_a_trust(clients, org):
    response = _add(
        clients[Role.HEE_ADMIN], name="Site", org_type="other", ods_code="RH802", parent=str(org.id)
    )
    assert response.status_code == 302
    assert db.session.query(Organisation).filter_by(ods_code="RH802").one().parent_id == org.id


def test_wrong_ods_format_is_explained_and_nothing_is_lost(clients):
    response = _add(clients[Role.HEE_ADMIN], ods_code="B8602")
    assert response.status_code == 200
    soup = page(response)
    assert error_summary(soup) == ["A GP practice ODS code is a letter then 5 digits, like B86022"]
    assert soup.find("input", {"name": "name"})["value"] == "Riverside Practice"
    assert db.session.query(Organisation).filter_by(name="Riverside Practice").count() == 0


def test_duplicate_ods_code_is_refused(clients, org):
    response = _add(clients[Role.HEE_ADMIN], org_type="other", ods_code=org.ods_code)
    assert "already has ODS code" in error_summary(page(response))[0]


def test_only_hee_admins_add_organisations(clients):
    for role in (Role.HEE_REVIEWER, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        assert clients[role].get("/organisations/new").status_code == 403
