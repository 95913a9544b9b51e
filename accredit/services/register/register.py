"""What the register's pages show: a search's page of awards with the filters' choices, and one
organisation's entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from accredit.data.base import utcnow
from accredit.data.queries.accounts.organisations import regions
from accredit.data.queries.register import listing
from accredit.data.queries.register.listing import Entry
from accredit.domain.accounts.organisations import OrgType
from accredit.domain.register.search import PAGE_SIZE, RegisterSearch, page_count
from accredit.services.operations.standards import latest_published


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class RegisterPage:
    search: RegisterSearch
    entries: list[Entry]
    total: int
    pages: int
    regions: tuple[Choice, ...]
    types: tuple[Choice, ...]
    levels: tuple[Choice, ...]
    page_size: int = PAGE_SIZE

    def items(self, kind: str, chosen: str | None, everything: str) -> list[dict[str, object]]:
        """Items for an NHS.UK select: "everything" first, the chosen one selected."""
        choices: tuple[Choice, ...] = getattr(self, kind)
        first: dict[str, object] = {"value": "", "text": everything}
        return [first] + [
            {"value": c.value, "text": c.label, "selected": c.value == chosen} for c in choices
        ]


def search_page(args: Mapping[str, str], today: date | None = None) -> RegisterPage:
    today = today or utcnow().date()
    region_choices = tuple(Choice(r.code, r.name) for r in regions())
    type_choices = tuple(Choice(t.value, t.label) for t in OrgType)
    level_choices = _levels(today)
    search = RegisterSearch.parse(
        args,
        regions=[c.value for c in region_choices],
        org_types=[c.value for c in type_choices],
        levels=[c.value for c in level_choices],
    )
    entries, total = listing.search(search, today)
    return RegisterPage(
        search, entries, total, page_count(total), region_choices, type_choices, level_choices
    )


def entry(ods_code: str, today: date | None = None) -> list[Entry]:
    """The awards an organisation holds today; empty when it is not on the register."""
    return listing.organisation(ods_code, today or utcnow().date())


def _levels(today: date) -> tuple[Choice, ...]:
    """The levels held today, lowest first, in the order their standard lists them."""
    rank: dict[str, int] = {}
    names: dict[str, str] = {}
    orders: dict[tuple[str, str], list[str]] = {}
    for standard_id, version, level, name in listing.levels(today):
        names.setdefault(level, name)
        order = orders.get((standard_id, version))
        if order is None:
            found = latest_published(standard_id, version)
            order = orders[standard_id, version] = (
                [lv.id for lv in found[0].levels] if found else []
            )
        position = order.index(level) if level in order else len(order)
        rank[level] = min(rank.get(level, position), position)
    ordered = sorted(names, key=lambda level: (rank[level], level))
    return tuple(Choice(level, names[level]) for level in ordered)
