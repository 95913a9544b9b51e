"""Adding organisations to the service."""

from __future__ import annotations

from accredit.data.models import Organisation, Region, User
from accredit.data.queries.accounts.organisations import organisation_by_ods
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, normalise_ods_code
from accredit.extensions import db
from accredit.services.operations import audit


class DuplicateOrganisation(Exception):
    """An organisation with this ODS code is already in the service."""


def add_organisation(
    *,
    actor: User,
    name: str,
    ods_code: str,
    org_type: OrgType,
    region: Region,
    parent: Organisation | None,
) -> Organisation:
    code = normalise_ods_code(ods_code)
    existing = organisation_by_ods(code)
    if existing is not None:
        raise DuplicateOrganisation(f"{existing.name} already has ODS code {code}")
    with unit_of_work():
        organisation = Organisation(
            name=name, ods_code=code, org_type=org_type, region=region, parent=parent
        )
        db.session.add(organisation)
        db.session.flush()
        audit.record(
            "organisation-added",
            f"organisation:{organisation.id}",
            actor=actor,
            after={"name": name, "ods_code": code, "type": org_type.value, "region": region.code},
        )
    return organisation
