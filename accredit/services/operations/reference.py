"""Reference data kept as files (regions) and synchronised into the database."""

from __future__ import annotations

from pathlib import Path

import yaml

from accredit.data.models import Region
from accredit.data.queries.accounts.organisations import region_by_code
from accredit.data.transactions import unit_of_work
from accredit.extensions import db

REGIONS_FILE = Path(__file__).resolve().parents[2] / "reference" / "regions.yaml"


def sync_regions(path: Path = REGIONS_FILE) -> int:
    """Add new regions and rename changed ones; returns how many rows changed."""
    changed = 0
    with unit_of_work():
        for entry in yaml.safe_load(path.read_text()):
            region = region_by_code(entry["code"])
            if region is None:
                db.session.add(Region(code=entry["code"], name=entry["name"]))
                changed += 1
            elif region.name != entry["name"]:
                region.name = entry["name"]
                changed += 1
    return changed
