"""The cohort dashboard's rules, without a database: what a view's filters mean, how they are read
from a URL and written back into one, and what the summary tiles count.

A view of the dashboard lives entirely in its URL (filters, search, sort and page), so it can be
bookmarked and shared. Values a URL cannot mean (an unknown region, a page of "abc") are dropped
rather than refused: a shared link that has gone stale still opens the dashboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from accredit.domain.assessments.lifecycle import AssessmentStatus

PAGE_SIZE = 50
#: The most characters of a name or ODS code search that are used.
SEARCH_MAX = 100
#: "Level" filter value for organisations not yet ready for any level.
NO_LEVEL = "none"


class RowStatus(StrEnum):
    """An organisation's place in the cohort: an assessment status, or not started."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        if self is RowStatus.NOT_STARTED:
            return "Not started"
        return AssessmentStatus(self.value).label

    @property
    def handed_in(self) -> bool:
        """Submitted to HEE (and perhaps reviewed and accepted since)."""
        return self in (RowStatus.SUBMITTED, RowStatus.IN_REVIEW, RowStatus.ACCEPTED)


def row_status(status: str | None) -> RowStatus:
    return RowStatus(status) if status else RowStatus.NOT_STARTED


class Sort(StrEnum):
    NAME = "name"
    STATUS = "status"
    COMPLETION = "completion"
    LEVEL = "level"
    ACTIVITY = "activity"

    @property
    def label(self) -> str:
        return {
            "name": "Organisation",
            "status": "Status",
            "completion": "Completion",
            "level": "Readiness",
            "activity": "Last activity",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Filters:
    region: str | None = None
    org_type: str | None = None
    status: RowStatus | None = None
    level: str | None = None
    search: str = ""
    sort: Sort = Sort.NAME
    descending: bool = False
    page: int = 1

    @classmethod
    def parse(
        cls,
        args: Mapping[str, str],
        *,
        regions: Iterable[str],
        org_types: Iterable[str],
        levels: Iterable[str],
    ) -> Filters:
        """Read a view from URL arguments, keeping only values that mean something."""
        region = args.get("region") or None
        org_type = args.get("type") or None
        level = args.get("level") or None
        status = args.get("status") or None
        sort = args.get("sort") or Sort.NAME.value
        return cls(
            region=region if region in set(regions) else None,
            org_type=org_type if org_type in set(org_types) else None,
            status=RowStatus(status) if status and status in RowStatus._value2member_map_ else None,
            level=level if level in {*levels, NO_LEVEL} else None,
            search=" ".join((args.get("q") or "").split())[:SEARCH_MAX],
            sort=Sort(sort) if sort in Sort._value2member_map_ else Sort.NAME,
            descending=args.get("order") == "desc",
            page=_page(args.get("page")),
        )

    @property
    def narrowed(self) -> bool:
        """Whether any filter or search is applied (sorting and paging aside)."""
        return any((self.region, self.org_type, self.status, self.level, self.search))

    def args(self, **changes: object) -> dict[str, str]:
        """URL arguments for this view, with changes; defaults are left out to keep links short.
        Changing anything but the page goes back to the first page."""
        view = replace(self, **changes)  # type: ignore[arg-type]
        if "page" not in changes:
            view = replace(view, page=1)
        pairs = {
            "region": view.region,
            "type": view.org_type,
            "status": view.status.value if view.status else None,
            "level": view.level,
            "q": view.search,
            "sort": view.sort.value if view.sort is not Sort.NAME else None,
            "order": "desc" if view.descending else None,
            "page": str(view.page) if view.page > 1 else None,
        }
        return {key: value for key, value in pairs.items() if value}

    def sorted_by(self, sort: Sort) -> dict[str, str]:
        """Arguments for sorting by a column: ascending first, then the other way."""
        return self.args(sort=sort, descending=self.sort is sort and not self.descending)


def _page(value: str | None) -> int:
    if value and value.isdigit() and len(value) < 7:
        return max(1, int(value))
    return 1


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@dataclass(frozen=True, slots=True)
class Tiles:
    """The cohort in numbers, from counts of (status, level reached)."""

    organisations: int
    not_started: int
    in_progress: int
    submitted: int
    ready: dict[str, int]
    overdue: int


def tiles(
    counts: Iterable[tuple[RowStatus, str | None, int]],
    level_ids: Iterable[str],
    deadline: date | None,
    today: date,
) -> Tiles:
    """Summary tiles. "Ready for" counts each organisation at the highest level its stored score
    reaches; overdue counts organisations that have not submitted once the deadline has passed."""
    ready = dict.fromkeys(level_ids, 0)
    total = not_started = in_progress = submitted = 0
    for status, level, count in counts:
        total += count
        if status is RowStatus.NOT_STARTED:
            not_started += count
        elif status.handed_in:
            submitted += count
        else:
            in_progress += count
        if level in ready:
            ready[level] += count
    late = deadline is not None and today > deadline
    return Tiles(
        organisations=total,
        not_started=not_started,
        in_progress=in_progress,
        submitted=submitted,
        ready=ready,
        overdue=(not_started + in_progress) if late else 0,
    )
