"""Floors for the page and save benches: the least a signed-in request can cost on this app.

This machine's speed swings two to four times from minute to minute, so a figure alone says
little. Each bench therefore times, interleaved with its real requests, a floor through the
same app and middleware (session, sign-in, access rule, CSRF, security headers, the request's
one transaction):

- a bare signed-in page: the service's layout with a heading and nothing else (GET);
- a bare one-row write in one transaction: the signed-in person's row updated (POST, then the
  redirect a real save answers).

The ratio of a real request to its floor moves far less than either figure. The routes are
added to the bench's own app only, before its first request.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

FLOOR_PAGE = "/bench/floor"


def install_floor_routes(app) -> None:  # type: ignore[no-untyped-def]
    from flask import Blueprint, redirect, render_template_string
    from sqlalchemy import update

    from accredit.data.models import User
    from accredit.data.transactions import unit_of_work
    from accredit.extensions import db
    from accredit.web.access import signed_in
    from accredit.web.helpers import signed_in_user

    floors = Blueprint("bench_floors", __name__)
    page = (
        '{% extends "layouts/base.html" %}{% block title %}Floor{% endblock %}'
        "{% block main_content %}<h1>Floor</h1>{% endblock %}"
    )

    @floors.route(FLOOR_PAGE)
    @signed_in
    def floor_page() -> str:
        return render_template_string(page)

    @floors.route(FLOOR_PAGE, methods=["POST"])
    @signed_in
    def floor_write():  # type: ignore[no-untyped-def]
        person = signed_in_user()
        with unit_of_work():
            db.session.execute(update(User).where(User.id == person.id).values(name=person.name))
        return redirect(FLOOR_PAGE)

    app.register_blueprint(floors)


@dataclass
class Paired:
    """A real request's times and its floor's, taken in turn so both see the same machine."""

    label: str
    real: list[float]
    floor: list[float]

    def p(self, times: list[float], q: int) -> float:
        return statistics.quantiles(times, n=100)[q - 1] if q != 50 else statistics.median(times)

    @property
    def ratio_p50(self) -> float:
        return self.p(self.real, 50) / self.p(self.floor, 50)

    @property
    def ratio_p95(self) -> float:
        return self.p(self.real, 95) / self.p(self.floor, 95)


def paired(
    label: str,
    real: Callable[[int], None],
    floor: Callable[[int], None],
    count: int,
    warm_up: int,
    between: Callable[[int], None] | None = None,
) -> Paired:
    """Time ``real(i)`` and ``floor(i)`` in turn, ``count`` times each after ``warm_up``;
    ``between(i)`` runs untimed before each real request (fetching fresh tokens)."""
    result = Paired(label, [], [])
    for i in range(warm_up + count):
        if between is not None:
            between(i)
        start = time.perf_counter()
        real(i)
        middle = time.perf_counter()
        floor(i)
        end = time.perf_counter()
        if i >= warm_up:
            result.real.append((middle - start) * 1000)
            result.floor.append((end - middle) * 1000)
    return result
