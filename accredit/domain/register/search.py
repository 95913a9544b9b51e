"""A search of the public register, read from its URL, and the rule for what the register shows.

The register lists awards that stand today: current (not superseded or withdrawn) and within
their period. An award that lapses or is withdrawn leaves the register the day it does; its
history stays with HEE. A search is a plain GET, so every view has a URL that can be shared,
bookmarked and crawled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

from accredit.domain.review.awards import AwardStatus, is_valid

PAGE_SIZE = 20
SEARCH_MAX = 100
#: Page numbers beyond this are read as the first page (no one pages a million results).
PAGE_MAX = 100_000


def on_register(status: AwardStatus, expires_on: date, today: date) -> bool:
    """Whether an award is shown on the public register today."""
    return is_valid(status, expires_on, today)


@dataclass(frozen=True, slots=True)
class RegisterSearch:
    """Words to find (in a name or ODS code) and filters; anything else in the URL is ignored."""

    words: str = ""
    region: str | None = None
    org_type: str | None = None
    level: str | None = None
    page: int = 1

    @classmethod
    def parse(
        cls,
        args: Mapping[str, str],
        *,
        regions: Iterable[str],
        org_types: Iterable[str],
        levels: Iterable[str],
    ) -> RegisterSearch:
        """Read a search from URL arguments, keeping only values that mean something."""
        region = args.get("region") or None
        org_type = args.get("type") or None
        level = args.get("level") or None
        return cls(
            words=" ".join((args.get("q") or "").split())[:SEARCH_MAX],
            region=region if region in set(regions) else None,
            org_type=org_type if org_type in set(org_types) else None,
            level=level if level in set(levels) else None,
            page=_page(args.get("page")),
        )

    @property
    def narrowed(self) -> bool:
        return any((self.words, self.region, self.org_type, self.level))

    def args(self, **changes: object) -> dict[str, str]:
        """URL arguments for this search with changes, defaults left out. Changing anything but
        the page goes back to the first page."""
        view = replace(self, **changes)  # type: ignore[arg-type]
        if "page" not in changes:
            view = replace(view, page=1)
        pairs = {
            "q": view.words,
            "region": view.region,
            "type": view.org_type,
            "level": view.level,
            "page": str(view.page) if view.page > 1 else None,
        }
        return {key: value for key, value in pairs.items() if value}


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _page(raw: str | None) -> int:
    text = (raw or "").strip()
    return int(text) if text.isdigit() and 0 < int(text) <= PAGE_MAX else 1
