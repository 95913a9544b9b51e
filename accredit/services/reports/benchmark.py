"""The readiness report's peer benchmark: the organisation's section scores beside the medians
of its peers of the same type and the same region.

Every organisation's current scores on a standard version are read in one query and tallied
into peer groups (``domain.benchmark.PeerFigures``), every section at once, and kept in this
process: at 10,000 organisations the read and tally take up to a second, the panel from the
tallies well under a millisecond. A worker reads them as it warms up (``keep_for``), before its
first request; after ``peer_figures_seconds`` (five minutes by default) the next report is
served the kept figures while a background thread reads them again, so no user waits on the
read. Only a standard version first reported on after start-up is read on a request, once.
With ``peer_figures_seconds`` at 0 (the tests) every report reads them afresh. Peer medians are
a benchmark, not a live figure, so the panel says when its figures were taken. What leaves
this module holds only medians of groups large enough to show, never a single peer's figure.
"""

from __future__ import annotations

import logging
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
from accredit.extensions import db
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


_Key = tuple[str, str, str, tuple[str, ...]]

log = logging.getLogger("accredit.benchmark")
_kept: dict[_Key, _Taken] = {}
_refreshing: set[_Key] = set()
_lock = threading.Lock()


def peer_figures(
    settings: Settings, standard_id: str, version: str, section_ids: Sequence[str]
) -> _Taken:
    """The tallied peer figures for every section of a standard version (``section_ids``):
    those kept, with a background read started when they are older than the setting allows;
    read now only when none are kept (or the setting keeps none)."""
    key = (settings.database_url, standard_id, version, tuple(section_ids))
    with _lock:
        taken = _kept.get(key)
        if taken is not None and settings.peer_figures_seconds > 0:
            stale = time.monotonic() - taken.monotonic >= settings.peer_figures_seconds
            if stale and key not in _refreshing:
                _refreshing.add(key)
                threading.Thread(
                    target=_refresh, args=(key,), name="peer-figures", daemon=True
                ).start()
            return taken
    return _read(key)


def keep_for(
    settings: Settings, standard_id: str, version: str, section_ids: Sequence[str]
) -> None:
    """Read a standard version's peer figures now (a worker warming up)."""
    _read((settings.database_url, standard_id, version, tuple(section_ids)))


def _read(key: _Key) -> _Taken:
    _, standard_id, version, section_ids = key
    rows = current_section_scores(standard_id, version, section_ids)
    taken = _Taken(time.monotonic(), utcnow(), PeerFigures.of(section_ids, rows))
    with _lock:
        _kept[key] = taken
    return taken


def _refresh(key: _Key) -> None:
    """A background read: its own database session, closed when done; a failure keeps the
    figures already kept, to be tried again by the next report after the interval."""
    try:
        _read(key)
    except Exception:
        log.exception("peer figures could not be read again; the kept ones still serve")
        with _lock:  # try again no sooner than the interval: the kept figures look fresh
            old = _kept[key]
            _kept[key] = _Taken(time.monotonic(), old.at, old.figures)
    finally:
        db.remove()
        with _lock:
            _refreshing.discard(key)


def forget() -> None:
    """Drop every kept tally (tests and the bench start from the database)."""
    with _lock:
        _kept.clear()


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
    # Every section's figures, kept once per standard version whatever sections apply here.
    section_ids = [section.id for section in ws.standard.sections]
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
