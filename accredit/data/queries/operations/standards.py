"""Stored standard versions (the standards are public data: no scope needed)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from accredit.data.models import StandardVersion
from accredit.extensions import db


def standard_version(standard_id: str, version: str) -> StandardVersion | None:
    return db.session.scalar(
        select(StandardVersion).where(
            StandardVersion.standard_id == standard_id, StandardVersion.version == version
        )
    )


def standard_versions() -> Sequence[StandardVersion]:
    return db.session.scalars(
        select(StandardVersion).order_by(StandardVersion.standard_id, StandardVersion.effective)
    ).all()
