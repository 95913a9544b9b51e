"""What if a cohort moved to another version of its standard: for HEE admins, before a move.

Reads each organisation's current assessment in the cohort, the level its stored summary records
(what the dashboard shows), its answers and the evidence still in its library, and hands them to
`standards.simulate`, which rescores them under the new version with the answers the next cycle
would carry over. Nothing is written: a move happens only at the
next cycle, when each organisation starts again on the new version and sees what changed for it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from accredit.data.base import utcnow
from accredit.data.models import Cohort
from accredit.data.queries.cohorts import what_if as queries
from accredit.data.queries.cohorts.exports import answer_texts
from accredit.data.queries.cohorts.what_if import CurrentAssessment, VersionRow
from accredit.data.queries.scope import Scope
from accredit.domain.scoring.standard import Standard, StandardStatus
from accredit.services.assessments.known_answers import next_cycle_facts
from accredit.services.operations.standards import latest_published, pinned_standard
from accredit.standards.loader import StandardFileError, load_standard
from accredit.standards.simulate import Simulation, Subject, simulate

#: Assessments whose answers are read in one query.
CHUNK = 2000


class WhatIfRefused(Exception):
    """A version the simulation cannot use, with the message to show."""


class OrganisationRef(NamedTuple):
    """Who an assessment belongs to, as the table lists them."""

    id: int
    name: str
    ods_code: str


@dataclass(frozen=True, slots=True)
class WhatIf:
    cohort: Cohort
    current: str  # the cohort's version
    simulation: Simulation[OrganisationRef]


def _version_key(version: str) -> tuple[tuple[int, object], ...]:
    """Sort key of a version: numbers compare as numbers ("2026.10" after "2026.9"), anything
    else as text."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"[.-]", version)
    )


def newer_versions(cohort: Cohort) -> list[VersionRow]:
    """Published versions of the cohort's standard newer than the cohort's, oldest first."""
    rows = queries.versions_of(cohort.standard_id)
    here = next((row for row in rows if row.version == cohort.standard_version), None)
    floor = (here.effective, _version_key(here.version)) if here else None
    return sorted(
        (
            row
            for row in rows
            if row.status == StandardStatus.PUBLISHED
            and row.version != cohort.standard_version
            and (floor is None or (row.effective, _version_key(row.version)) > floor)
        ),
        key=lambda row: (row.effective, _version_key(row.version)),
    )


def newer_version(cohort: Cohort, version: str) -> Standard:
    """One of `newer_versions`, loaded (what the page offers)."""
    if version not in {row.version for row in newer_versions(cohort)}:
        raise WhatIfRefused("Choose one of the newer published versions listed")
    return _loaded(cohort, version)


def _loaded(cohort: Cohort, version: str) -> Standard:
    pinned = latest_published(cohort.standard_id, version)
    if pinned is None:
        raise WhatIfRefused(
            f"Version {version} of {cohort.standard_id} is not loaded: run `accredit init` first, "
            "or give the path of its file"
        )
    return pinned[0]


def standard_for(cohort: Cohort, wanted: str) -> Standard:
    """For the command line: a loaded version of the cohort's standard (any status, so a draft
    can be tried before it is published), or the path of a version file (checked, not loaded)."""
    if wanted.endswith((".yaml", ".yml")) or "/" in wanted:
        if not Path(wanted).is_file():
            raise WhatIfRefused(f"There is no file {wanted}")
        try:
            standard = load_standard(Path(wanted), check_location=False)
        except StandardFileError as error:
            raise WhatIfRefused(
                f"{wanted} is not a valid standard file:\n" + "\n".join(map(str, error.problems))
            ) from error
        if standard.id != cohort.standard_id:
            raise WhatIfRefused(
                f"{wanted} is a version of {standard.id}; the cohort is on {cohort.standard_id}"
            )
    else:
        standard = _loaded(cohort, wanted)
    if standard.version == cohort.standard_version:
        raise WhatIfRefused(f"The cohort is already on version {standard.version}")
    return standard


def simulate_cohort(scope: Scope, cohort: Cohort, new: Standard) -> WhatIf:
    """Every current assessment of the cohort rescored under `new` (see the module's notes)."""
    simulation = simulate(current_subjects(scope, cohort), new)
    return WhatIf(cohort, cohort.standard_version, simulation)


def current_subjects(scope: Scope, cohort: Cohort) -> Iterator[Subject[OrganisationRef]]:
    """Each current assessment of the cohort with its answers, read a chunk at a time."""
    rows = queries.current_assessments(scope, cohort.id)
    live = queries.live_evidence(scope, cohort.id)
    return _subjects(scope, cohort, rows, live)


def _subjects(
    scope: Scope,
    cohort: Cohort,
    rows: list[CurrentAssessment],
    live: dict[int, set[str]],
) -> Iterator[Subject[OrganisationRef]]:
    decoded: dict[str, object] = {}  # organisations share answers: decode each text once
    nothing: set[str] = set()
    loads, known = json.loads, decoded.get
    today = utcnow().date()
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        facts = next_cycle_facts(scope, [row.organisation_id for row in chunk], today)
        answers: dict[int, dict[str, object]] = {row.assessment_id: {} for row in chunk}
        for assessment_id, key, text in answer_texts(
            scope, cohort.id, [row.assessment_id for row in chunk]
        ):
            if text is None:
                continue
            value = known(text, decoded)
            if value is decoded:
                value = decoded[text] = loads(text)
            if value is not None:
                answers[assessment_id][key] = value
        for row in chunk:
            yield Subject(
                organisation=OrganisationRef(row.organisation_id, row.name, row.ods_code),
                org_type=row.org_type.value,
                profile=row.profile or {},
                standard=pinned_standard(row.standard_id, row.standard_version, row.content_hash),
                answers=answers[row.assessment_id],
                live_evidence=live.get(row.organisation_id, nothing),
                stored=row.summary_hash == row.content_hash,
                stored_level=row.summary_level,
                facts=facts.get(row.organisation_id),
            )
