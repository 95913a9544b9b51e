"""Creating and editing cohorts (HEE admins): the standard version they are assessed against,
the region they cover (optional) and the submission deadline. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from accredit.data.models import Cohort, User
from accredit.data.queries.accounts.organisations import region_by_code
from accredit.data.queries.cohorts.cohorts import cohort_named
from accredit.data.queries.operations.standards import standard_version
from accredit.data.transactions import unit_of_work
from accredit.extensions import db
from accredit.services.operations import audit


class CohortRefused(Exception):
    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class CohortDetails:
    name: str
    year: int
    region_code: str | None
    standard_id: str
    standard_version: str
    deadline: date | None


def save(actor: User, details: CohortDetails, cohort: Cohort | None = None) -> Cohort:
    """A new cohort, or the given one changed; refused with the field to blame."""
    if actor.role.value != "hee_admin":
        raise CohortRefused("Only HEE admins can change cohorts", "name")
    _check_standard(details, cohort)
    region = None
    if details.region_code:
        region = region_by_code(details.region_code)
        if region is None:
            raise CohortRefused("Choose a region from the list", "region")
    twin = cohort_named(details.name, details.year)
    if twin is not None and (cohort is None or twin.id != cohort.id):
        raise CohortRefused(
            f"There is already a cohort called {details.name} in {details.year}", "name"
        )
    if (
        cohort is not None
        and (cohort.standard_id, cohort.standard_version)
        != (details.standard_id, details.standard_version)
        and _has_assessments(cohort)
    ):
        raise CohortRefused(
            "Assessments have started against this cohort's standard version, so it cannot change",
            "standard",
        )
    before = _values(cohort) if cohort is not None else None
    with unit_of_work():
        if cohort is None:
            cohort = Cohort()
            db.session.add(cohort)
        cohort.name = details.name
        cohort.year = details.year
        cohort.region = region
        cohort.standard_id = details.standard_id
        cohort.standard_version = details.standard_version
        cohort.deadline = details.deadline
        db.session.flush()
        audit.record(
            "cohort.updated" if before else "cohort.created",
            f"cohort:{cohort.id}",
            actor=actor,
            before=before,
            after=_values(cohort),
        )
    return cohort


def _has_assessments(cohort: Cohort) -> bool:
    from accredit.data.queries.assessments.assessments import cohort_has_assessments

    return cohort_has_assessments(cohort.id)


def _check_standard(details: CohortDetails, cohort: Cohort | None) -> None:
    """Only a published version can start a cohort (or be switched to); a cohort already on a
    version that has since been superseded keeps it, so its other details can still change."""
    found = standard_version(details.standard_id, details.standard_version)
    if found is None:
        raise CohortRefused("Choose a published version of a standard", "standard")
    kept = cohort is not None and (cohort.standard_id, cohort.standard_version) == (
        details.standard_id,
        details.standard_version,
    )
    if found.status == "published" or kept:
        return
    if found.status in ("superseded", "retired"):
        raise CohortRefused(
            f"{found.title}, version {found.version} has been {found.status}: "
            "choose a current version",
            "standard",
        )
    raise CohortRefused("Choose a published version of a standard", "standard")


def _values(cohort: Cohort) -> dict[str, Any]:
    return {
        "name": cohort.name,
        "year": cohort.year,
        "region": cohort.region.code if cohort.region else None,
        "standard": f"{cohort.standard_id} {cohort.standard_version}",
        "deadline": cohort.deadline.isoformat() if cohort.deadline else None,
    }
