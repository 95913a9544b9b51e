"""The readiness report's peer benchmark: the organisation's section scores beside the medians
of its peers of the same type and the same region.

Every organisation's current scores on a standard version are read in one query and tallied
into peer groups (``domain.benchmark.PeerFigures``), then kept for ``peer_figures_seconds``
(five minutes by default) in this process: at 10,000 organisations the read and tally take a
good fraction of a second, the panel from the tallies well under a millisecond. Peer medians
are a benchmark, not a live figure, so the panel says when its figures were taken. What leaves
this module holds only medians of groups large enough to show, never a single peer's figure.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.queries.reports.benchmark import current_section_scores
from accredit.data.queries.scope import Scope
from accredit.domain.cohorts.benchmark import Panel, PeerFigures, panel
from accredit.domain.cohorts.disclosure import MIN_GROUP_SIZE
from accredit.services.assessments.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Benchmark:
    panel: Panel
    #: The organisation type's label and the region's name, to say who the peers are.
    org_type: str
    region: str
    standard_title: str
    standard_version: str
    #: When the peers' figures were read.
    taken_at: datetime
    min_group_size: int = MIN_GROUP_SIZE


@dataclass(frozen=True, slots=True)
class _Taken:
    monotonic: float
    at: datetime
    figures: PeerFigures


_cache: dict[tuple[str, str, str, tuple[str, ...]], _Taken] = {}
_lock = threading.Lock()


def peer_figures(
    settings: Settings, standard_id: str, version: str, section_ids: Sequence[str]
) -> _Taken:
    """The tallied peer figures, read again when older than the setting allows."""
    key = (settings.database_url, standard_id, version, tuple(section_ids))
    with _lock:
        taken = _cache.get(key)
        if taken is None or time.monotonic() - taken.monotonic >= settings.peer_figures_seconds:
            rows = current_section_scores(standard_id, version, section_ids)
            taken = _Taken(time.monotonic(), utcnow(), PeerFigures.of(section_ids, rows))
            _cache[key] = taken
        return taken


def forget() -> None:
    """Drop every kept tally (tests and the bench start from the database)."""
    with _lock:
        _cache.clear()


def build(
    settings: Settings,
    scope: Scope,
    ws: Workspace,
    sections: Sequence[tuple[str, str, float | None]],
) -> Benchmark | None:
    """The panel for the sections given (id, title, the organisation's own percent): those that
    apply to the organisation, as its report shows them. None when the scope may not see it."""
    organisation = ws.assessment.organisation
    if not scope.allows(organisation.id):
        return None
    section_ids = [section_id for section_id, _, _ in sections]
    taken = peer_figures(
        settings, ws.assessment.standard_id, ws.assessment.standard_version, section_ids
    )
    tallies = taken.figures.tallies(organisation.id, organisation.org_type, organisation.region_id)
    return Benchmark(
        panel=panel(sections, tallies),
        org_type=organisation.org_type.label,
        region=organisation.region.name,
        standard_title=ws.standard.title,
        standard_version=ws.standard.version,
        taken_at=taken.at,
    )
