"""The readiness report's peer benchmark: medians of peers of the same type and region, with
groups under 5 suppressed, the organisation left out of its own groups, and only current
assessments on the same standard version counted."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from accredit.data.models import Assessment, Organisation, ScoreSummary
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.assessments.lifecycle import AssessmentStatus
from accredit.extensions import db
from tests.support.html import page

SUPPRESSED = "Fewer than 5 organisations"
TYPE_PEER_REGION = "north-west"  # the home organisation is an acute trust in London


@pytest.fixture
def home(make_assessment, org, people) -> Assessment:
    return make_assessment(org, people[Role.ORG_LEAD])


@pytest.fixture
def peer(make_org, make_assessment) -> Callable[..., Assessment]:
    """Another organisation with a current assessment whose stored commitment score is given."""

    def make(
        commitment: float | None,
        org_type: OrgType = OrgType.ACUTE_TRUST,
        region: str = TYPE_PEER_REGION,
    ) -> Assessment:
        assessment = make_assessment(make_org(org_type=org_type, region=region))
        _store(assessment.id, commitment)
        return assessment

    return make


def _store(assessment_id: int, commitment: float | None, **others: float | None) -> None:
    with unit_of_work():
        summary = db.session.scalar(
            select(ScoreSummary).where(ScoreSummary.assessment_id == assessment_id)
        )
        assert summary is not None
        summary.section_percents = {
            **summary.section_percents,
            "commitment": commitment,
            **others,
        }


def _newer_assessment(of: Assessment, version: str = "2026.1") -> Assessment:
    """A newer assessment for the same organisation (a later cycle), on ``version``."""
    with unit_of_work():
        newer = Assessment(
            organisation_id=of.organisation_id,
            cohort_id=of.cohort_id,
            standard_id=of.standard_id,
            standard_version=version,
            content_hash=of.content_hash,
            status=AssessmentStatus.DRAFT,
            revision=0,
        )
        db.session.add(newer)
    return newer


def _add_summary(assessment: Assessment, commitment: float | None) -> None:
    with unit_of_work():
        old = db.session.scalar(select(ScoreSummary).order_by(ScoreSummary.id))
        assert old is not None
        db.session.add(
            ScoreSummary(
                assessment_id=assessment.id,
                level_reached=None,
                next_level=old.next_level,
                next_level_percent=0.0,
                percent=0.0,
                level_percents=dict(old.level_percents),
                section_percents={**old.section_percents, "commitment": commitment},
                blockers=0,
                completion=0.0,
                content_hash=old.content_hash,
                computed_at=old.computed_at,
            )
        )


def _panel(client, assessment_id: int) -> dict[str, list[str]]:
    """Section title -> [own score, same-type median, same-region median] as shown."""
    response = client.get(f"/assessments/{assessment_id}/report")
    assert response.status_code == 200
    doc = page(response)
    table = doc.select_one("#peers ~ table.app-benchmark")
    assert table is not None, "the report has a peer benchmark table"
    assert table.select_one("caption").get_text(strip=True)
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers[2:] == ["Median, same type", "Median, same region"]
    return {
        row.select_one("th").get_text(strip=True): [
            td.get_text(" ", strip=True) for td in row.select("td")
        ]
        for row in table.select("tbody tr")
    }


def _commitment(client, assessment_id: int) -> list[str]:
    return _panel(client, assessment_id)["Organisational commitment"]


@pytest.mark.parametrize(
    ("scores", "shown"),
    [
        ([13.0, 27.0, 41.0, 59.0], SUPPRESSED),
        ([90.0, 10.0, 70.0, 30.0, 50.0], "50% of 5 organisations"),
        ([90.0, 10.0, 70.0, 30.0, 50.0, 61.0], "56% of 6 organisations"),
    ],
    ids=["4 suppressed", "5 odd median", "6 even median"],
)
def test_same_type_peers_of_4_5_and_6(clients, home, peer, scores, shown):
    for score in scores:
        peer(score)
    _own, same_type, same_region = _commitment(clients[Role.ORG_LEAD], home.id)
    assert same_type == shown
    assert same_region == SUPPRESSED  # the peers are all in another region


def test_same_region_peers_of_other_types(clients, home, peer):
    for score in (20.0, 40.0, 60.0, 80.0, 100.0):
        peer(score, org_type=OrgType.GP_PRACTICE, region="london")
    _, same_type, same_region = _commitment(clients[Role.ORG_LEAD], home.id)
    assert same_type == SUPPRESSED
    assert same_region == "60% of 5 organisations"


def test_the_organisation_is_not_its_own_peer(clients, home, peer):
    _store(home.id, 100.0)
    for score in (10.0, 20.0, 30.0, 40.0):
        peer(score)
    # With itself counted there would be 5; without, 4: suppressed.
    assert _commitment(clients[Role.ORG_LEAD], home.id)[1] == SUPPRESSED
    peer(50.0)
    assert _commitment(clients[Role.ORG_LEAD], home.id)[1] == "30% of 5 organisations"


def test_other_versions_and_older_assessments_are_ignored(clients, home, peer):
    for score in (10.0, 20.0, 30.0, 40.0):
        peer(score)
    # Its current assessment is on another version of the standard: not a peer.
    moved_on = peer(99.0)
    _add_summary(_newer_assessment(moved_on, version="2027.1"), 99.0)
    # Its older assessment has a score, its current one none yet: not a peer either.
    unscored = peer(98.0)
    _newer_assessment(unscored)
    assert _commitment(clients[Role.ORG_LEAD], home.id)[1] == SUPPRESSED

    # A newer assessment on the same version counts, with its own score, not the older one.
    again = peer(97.0)
    _add_summary(_newer_assessment(again), 50.0)
    assert _commitment(clients[Role.ORG_LEAD], home.id)[1] == "30% of 5 organisations"


def test_a_section_few_peers_have_a_score_in_is_suppressed(clients, home, peer):
    for n, score in enumerate((10.0, 20.0, 30.0, 40.0, 50.0, 60.0)):
        assessment = peer(score)
        _store(assessment.id, score, planning=None if n < 2 else 75.0)
    panel = _panel(clients[Role.ORG_LEAD], home.id)
    assert panel["Organisational commitment"][1] == "35% of 6 organisations"
    assert panel["Pre-placement planning and recruitment"][1] == SUPPRESSED


def test_no_single_peer_figure_reaches_an_organisation_user(clients, home, peer):
    distinct = (13.0, 27.0, 41.0, 59.0)  # a group of 4: nothing of it may be shown
    for score in distinct:
        peer(score)
    for score in (11.0, 23.0, 37.0, 43.0, 53.0):  # a region group of 5: only its median
        peer(score, org_type=OrgType.DENTAL_PRACTICE, region="london")
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        response = clients[role].get(f"/assessments/{home.id}/report")
        text = page(response).get_text(" ", strip=True)
        for score in (*distinct, 11.0, 23.0, 43.0, 53.0):
            assert f"{score:.0f}%" not in text
        assert "37% of 5 organisations" in text
        assert "of 4 organisations" not in text
        for other in db.session.scalars(
            select(Organisation).where(Organisation.id != home.organisation_id)
        ):
            assert other.name not in text and other.ods_code not in text


def test_hee_staff_see_the_same_panel(clients, home, peer):
    for score in (90.0, 10.0, 70.0, 30.0, 50.0):
        peer(score)
    lead_view = _panel(clients[Role.ORG_LEAD], home.id)
    for role in (Role.HEE_ADMIN, Role.HEE_REVIEWER):
        assert _panel(clients[role], home.id) == lead_view
    assert lead_view["Organisational commitment"][1:] == ["50% of 5 organisations", SUPPRESSED]


def test_the_panel_says_who_the_peers_are(clients, home, peer):
    response = clients[Role.ORG_LEAD].get(f"/assessments/{home.id}/report")
    text = page(response).select_one("#peers").find_next("p").get_text(" ", strip=True)
    assert "same type (Acute trust)" in text and "same region (London)" in text
    assert "latest saved answers" in text


def test_peer_figures_are_kept_for_a_while_and_say_when_they_were_taken(
    app, settings, clients, home, peer
):
    from accredit.services.reports import benchmark

    settings.peer_figures_seconds = 300
    benchmark.forget()
    peers = [peer(score) for score in (10.0, 20.0, 30.0, 40.0, 50.0)]
    lead = clients[Role.ORG_LEAD]
    _own, same_type, _region = _commitment(lead, home.id)
    assert same_type.startswith("30% of 5 organisations")
    text = page(lead.get(f"/assessments/{home.id}/report")).get_text(" ", strip=True)
    assert "as they stood at" in text and "(UTC)" in text
    _store(peers[0].id, 90.0)  # a peer saves: the kept figures do not move yet
    assert _commitment(lead, home.id)[1].startswith("30% of 5 organisations")
    benchmark.forget()  # as when the kept figures are older than the setting allows
    assert _commitment(lead, home.id)[1].startswith("40% of 5 organisations")
    benchmark.forget()


def test_stale_peer_figures_are_served_while_a_background_read_replaces_them(
    settings, clients, home, peer
):
    import time

    from accredit.services.reports import benchmark

    settings.peer_figures_seconds = 1
    benchmark.forget()
    peers = [peer(score) for score in (10.0, 20.0, 30.0, 40.0, 50.0)]
    lead = clients[Role.ORG_LEAD]
    assert _commitment(lead, home.id)[1].startswith("30% of 5 organisations")
    _store(peers[0].id, 90.0)
    time.sleep(1.1)  # the kept figures are now older than the setting allows
    # The report that finds them stale is served them as they are, without waiting on a read.
    assert _commitment(lead, home.id)[1].startswith("30% of 5 organisations")
    deadline = time.monotonic() + 10
    while not _commitment(lead, home.id)[1].startswith("40% of 5 organisations"):
        assert time.monotonic() < deadline, "the background read never replaced the figures"
        time.sleep(0.05)
    benchmark.forget()


def test_a_warming_worker_reads_the_peer_figures_before_any_report(
    app, settings, clients, home, peer
):
    from accredit.services.operations.warm_up import warm
    from accredit.services.reports import benchmark

    settings.peer_figures_seconds = 300
    peers = [peer(score) for score in (10.0, 20.0, 30.0, 40.0, 50.0)]
    benchmark.forget()
    warm(app)
    _store(peers[0].id, 90.0)  # after the warm-up: its figures, not a read now, serve the report
    assert _commitment(clients[Role.ORG_LEAD], home.id)[1].startswith("30% of 5 organisations")
    benchmark.forget()
