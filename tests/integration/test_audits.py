"""Random audits: HEE admins draw accredited organisations with a recorded seed, the draw
replays to the same sample, and each audit's outcome changes the award."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from accredit.data.models import AuditDraw, AuditEvent, Award, AwardAudit, Cohort, Organisation
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import OrgType, Role
from accredit.domain.review.audit_draw import draw as domain_draw
from accredit.domain.review.awards import AuditOutcome, AwardStatus
from accredit.extensions import db
from tests.support.forms import csrf_token, submit
from tests.support.html import error_summary, page

TODAY = date.today()


@pytest.fixture
def cohort(app):
    made = Cohort(name="Audit cohort", year=2026, standard_id="weqs", standard_version="2026.1")
    with unit_of_work():
        db.session.add(made)
    return made


def _draw(client, **fields):
    data = {"share": "10", "cohort": "", "stratify": "none", "seed": "", **fields}
    return submit(client, "/audits", data)


def _draws():
    return db.session.scalars(select(AuditDraw).order_by(AuditDraw.id)).all()


def _events(action):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ).all()


def test_a_draw_stores_its_seed_parameters_population_and_selection(clients, people, make_award):
    awards = [make_award() for _ in range(10)]
    response = _draw(clients[Role.HEE_ADMIN], share="30", seed="12345")
    assert response.status_code == 302
    [made] = _draws()
    assert response.headers["Location"].endswith(f"/audits/{made.id}")
    assert (made.seed, made.share_percent, made.stratify_by, made.cohort_id) == (
        "12345",
        30,
        "",
        None,
    )
    assert sorted(a for a, _ in made.population) == sorted(a.id for a in awards)
    expected = domain_draw([(a.id, "") for a in awards], 30, "12345", "")
    assert made.selected == list(expected.selected) and len(made.selected) == 3
    assert made.drawn_by_id == people[Role.HEE_ADMIN].id
    audited = db.session.scalars(select(AwardAudit).where(AwardAudit.draw_id == made.id)).all()
    organisation_of = {a.id: a.organisation_id for a in awards}
    assert {(r.award_id, r.organisation_id) for r in audited} == {
        (a, organisation_of[a]) for a in made.selected
    }
    assert all(r.outcome is None for r in audited)

    [event] = _events("audit.drawn")
    assert event.target == f"audit-draw:{made.id}"
    assert event.actor_id == people[Role.HEE_ADMIN].id
    after = event.after
    assert after["seed"] == "12345" and after["seed_generated"] is False
    assert (after["share_percent"], after["stratify_by"], after["cohort_id"]) == (30, "", None)
    assert after["population_size"] == 10 and len(after["population"]) == 10
    assert after["selected_award_ids"] == made.selected
    assert after["selected_organisation_ids"] == [organisation_of[a] for a in made.selected]


def test_the_draw_page_reproduces_the_sample_from_its_seed(clients, make_award):
    awards = {a.id: a for a in (make_award() for _ in range(8))}
    admin = clients[Role.HEE_ADMIN]
    _draw(admin, share="25", seed="777")
    [made] = _draws()
    soup = page(admin.get(f"/audits/{made.id}"))
    text = soup.get_text(" ", strip=True)
    assert "Reproduced: drawing again now from the recorded seed 777" in text
    assert "does not reproduce" not in text
    drawn_names = [
        row.th.get_text(strip=True) for row in soup.select("table")[1].tbody.select("tr")
    ]
    assert drawn_names == [_award(a).organisation.name for a in made.selected]

    # A selection that the seed does not give is shown plainly as such.
    with unit_of_work():
        others = [a for a in awards if a not in made.selected]
        db.session.get(AuditDraw, made.id).selected = others[:2]
    text = page(admin.get(f"/audits/{made.id}")).get_text(" ", strip=True)
    assert "This draw does not reproduce" in text and "Reproduced:" not in text


def test_the_same_seed_draws_again_the_same_and_another_seed_differs(clients, make_award):
    for _ in range(40):
        make_award()
    admin = clients[Role.HEE_ADMIN]
    for seed in ("1", "1", "2"):
        assert _draw(admin, share="25", seed=seed).status_code == 302
    first, again, other = _draws()
    assert len(first.selected) == 10
    assert again.selected == first.selected
    assert set(other.selected) != set(first.selected)


def test_a_blank_seed_gets_a_new_random_one_recorded(clients, make_award):
    make_award()
    make_award()
    admin = clients[Role.HEE_ADMIN]
    _draw(admin, seed="")
    _draw(admin, seed="   ")
    first, second = _draws()
    assert first.seed.isdigit() and len(first.seed) == 12
    assert first.seed != second.seed
    assert _events("audit.drawn")[0].after["seed_generated"] is True


def test_a_draw_stratified_by_region_takes_the_share_of_each(clients, make_award):
    london = {make_award(region="london").id for _ in range(6)}
    north_west = {make_award(region="north-west").id for _ in range(4)}
    admin = clients[Role.HEE_ADMIN]
    _draw(admin, share="50", stratify="region", seed="99")
    [made] = _draws()
    assert made.stratify_by == "region"
    strata = dict(made.population)
    assert {strata[a] for a in london} == {"london"} and {strata[a] for a in north_west} == {
        "north-west"
    }
    assert len(set(made.selected) & london) == 3 and len(set(made.selected) & north_west) == 2
    text = page(admin.get(f"/audits/{made.id}")).get_text(" ", strip=True)
    assert "London 6 3" in text and "North West 4 2" in text


def test_a_draw_stratified_by_type_takes_at_least_one_of_each(clients, make_award):
    for _ in range(5):
        make_award(org_type=OrgType.ACUTE_TRUST)
    gp = make_award(org_type=OrgType.GP_PRACTICE)
    _draw(clients[Role.HEE_ADMIN], share="20", stratify="org_type", seed="5")
    [made] = _draws()
    assert gp.id in made.selected and len(made.selected) == 2
    assert _events("audit.drawn")[0].after["strata"] == {
        "acute_trust": [5, 1],
        "gp_practice": [1, 1],
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"share": ""}, "Enter the share of accredited organisations to draw, in percent"),
        ({"share": "lots"}, "Enter the share as a number, for example 10"),
        ({"share": "0"}, "The share must be between 1 and 100 percent"),
        ({"share": "150"}, "The share must be between 1 and 100 percent"),
        ({"seed": "12ab"}, "The seed must be digits only (0 to 9), for example 20260601"),
        ({"seed": "1" * 21}, "The seed must be 20 digits or fewer"),
        ({"cohort": "999999"}, "Choose a cohort from the list"),
        ({"cohort": "x"}, "Choose a cohort from the list"),
        ({"stratify": "postcode"}, "Choose no strata, by region or by organisation type"),
    ],
)
def test_bad_parameters_are_explained_and_nothing_is_stored(clients, make_award, fields, message):
    make_award()
    response = _draw(clients[Role.HEE_ADMIN], **fields)
    assert response.status_code == 200
    soup = page(response)
    assert error_summary(soup) == [message]
    assert soup.title.string.startswith("Error: ")
    # What was typed is shown again.
    for name in ("share", "seed"):
        if name in fields:
            assert soup.find("input", {"name": name})["value"] == fields[name]
    assert _draws() == [] and _events("audit.drawn") == []
    assert db.session.scalars(select(AwardAudit)).all() == []


def test_nobody_to_draw_is_explained(clients, cohort, make_award):
    make_award()  # not in the cohort
    response = _draw(clients[Role.HEE_ADMIN], cohort=str(cohort.id))
    assert error_summary(page(response)) == [
        "No organisation holds a current award in Audit cohort, so there is nobody to draw"
    ]
    assert _draws() == []


def test_expired_withdrawn_and_superseded_awards_are_not_drawn_from(clients, make_award):
    current = make_award()
    last_day = make_award(expires_on=TODAY + timedelta(days=1))
    make_award(expires_on=TODAY)  # expires today: no longer valid
    make_award(expires_on=TODAY - timedelta(days=30))
    make_award(status=AwardStatus.WITHDRAWN)
    make_award(status=AwardStatus.SUPERSEDED)
    _draw(clients[Role.HEE_ADMIN], share="100", seed="3")
    [made] = _draws()
    assert sorted(a for a, _ in made.population) == sorted([current.id, last_day.id])
    assert sorted(made.selected) == sorted([current.id, last_day.id])


def test_a_cohort_draw_takes_only_that_cohorts_current_awards(clients, cohort, make_award):
    inside = [make_award(cohort_id=cohort.id) for _ in range(3)]
    make_award(cohort_id=cohort.id, status=AwardStatus.WITHDRAWN)
    make_award()  # another cohort's (none)
    _draw(clients[Role.HEE_ADMIN], share="100", cohort=str(cohort.id), seed="8")
    [made] = _draws()
    assert made.cohort_id == cohort.id
    assert sorted(a for a, _ in made.population) == sorted(a.id for a in inside)
    assert _events("audit.drawn")[0].after["cohort_id"] == cohort.id
    listing = page(clients[Role.HEE_ADMIN].get("/audits")).get_text(" ", strip=True)
    assert "Audit cohort" in listing and "3 of 3" in listing


def _drawn(client, award) -> AuditDraw:
    _draw(client, share="100", seed="1")
    return _draws()[-1]


def _record(client, made, award, **fields):
    url = f"/audits/{made.id}/awards/{award.id}"
    return submit(client, url, {"outcome": "confirmed", "new_level": "", "note": "", **fields})


def _award(award_id) -> Award:
    db.session.expire_all()
    return db.session.get(Award, award_id)


def test_confirming_an_audit_keeps_the_award(clients, standards_loaded, make_award):
    admin = clients[Role.HEE_ADMIN]
    award = make_award()
    made = _drawn(admin, award)
    response = _record(admin, made, award, note="Documents and visit in order")
    assert response.status_code == 302
    row = db.session.scalar(select(AwardAudit).where(AwardAudit.award_id == award.id))
    assert row.outcome is AuditOutcome.CONFIRMED and row.note == "Documents and visit in order"
    assert _award(award.id).status is AwardStatus.CURRENT
    [event] = _events("audit.outcome-recorded")
    assert event.before["outcome"] is None and event.after["outcome"] == "confirmed"
    assert "Award confirmed" in page(admin.get(f"/audits/{made.id}")).get_text()


def test_a_level_change_ends_the_award_and_makes_a_new_one(clients, standards_loaded, make_award):
    admin = clients[Role.HEE_ADMIN]
    award = make_award(level="silver")
    made = _drawn(admin, award)
    form = page(admin.get(f"/audits/{made.id}/awards/{award.id}"))
    levels = [o["value"] for o in form.select("#new_level option") if o["value"]]
    assert levels == ["bronze", "gold"]
    response = _record(
        admin, made, award, outcome="level_changed", new_level="bronze", note="No register"
    )
    assert response.status_code == 302
    old = _award(award.id)
    assert old.status is AwardStatus.SUPERSEDED and old.ended_at is not None
    assert old.ended_reason == "Changed to Bronze after a random audit: No register"
    [new] = db.session.scalars(
        select(Award).where(Award.organisation_id == award.organisation_id, Award.id != award.id)
    ).all()
    assert (new.level, new.level_name, new.status) == ("bronze", "Bronze", AwardStatus.CURRENT)
    assert (new.awarded_on, new.expires_on) == (old.awarded_on, old.expires_on)
    assert (new.standard_id, new.standard_version, new.fingerprint) == (
        old.standard_id,
        old.standard_version,
        old.fingerprint,
    )
    [event] = _events("audit.outcome-recorded")
    assert event.after["new_award_id"] == new.id and event.after["award_status"] == "superseded"
    assert event.before["award_status"] == "current"


def test_a_level_change_needs_another_level(clients, standards_loaded, make_award):
    admin = clients[Role.HEE_ADMIN]
    award = make_award(level="silver")
    made = _drawn(admin, award)
    for level in ("", "silver", "platinum"):
        response = _record(admin, made, award, outcome="level_changed", new_level=level)
        assert error_summary(page(response)) == ["Choose the level the award changes to"]
    assert _award(award.id).status is AwardStatus.CURRENT
    assert db.session.scalars(select(Award)).all() == [_award(award.id)]
    assert _events("audit.outcome-recorded") == []


def test_withdrawal_ends_the_award(clients, standards_loaded, make_award):
    admin = clients[Role.HEE_ADMIN]
    award = make_award()
    made = _drawn(admin, award)
    _record(admin, made, award, outcome="withdrawn", note="No safeguarding policy")
    ended = _award(award.id)
    assert ended.status is AwardStatus.WITHDRAWN and ended.ended_at is not None
    assert ended.ended_reason == "Withdrawn after a random audit: No safeguarding policy"


def test_an_outcome_can_be_corrected_and_each_change_is_audited(
    clients, standards_loaded, make_award
):
    admin = clients[Role.HEE_ADMIN]
    award = make_award(level="bronze")
    made = _drawn(admin, award)
    _record(admin, made, award, outcome="level_changed", new_level="silver")
    _record(admin, made, award, outcome="level_changed", new_level="gold")
    awards = db.session.scalars(select(Award).order_by(Award.id)).all()
    assert [(a.level, a.status) for a in _reload(awards)] == [
        ("bronze", AwardStatus.SUPERSEDED),
        ("silver", AwardStatus.WITHDRAWN),
        ("gold", AwardStatus.CURRENT),
    ]
    _record(admin, made, award, outcome="confirmed", note="Recorded against the wrong trust")
    assert [(a.level, a.status) for a in _reload(awards)] == [
        ("bronze", AwardStatus.CURRENT),
        ("silver", AwardStatus.WITHDRAWN),
        ("gold", AwardStatus.WITHDRAWN),
    ]
    assert _award(award.id).ended_at is None and _award(award.id).ended_reason is None
    _record(admin, made, award, outcome="withdrawn")
    _record(admin, made, award, outcome="confirmed")
    assert _award(award.id).status is AwardStatus.CURRENT
    events = _events("audit.outcome-recorded")
    assert [(e.before["outcome"], e.after["outcome"]) for e in events] == [
        (None, "level_changed"),
        ("level_changed", "level_changed"),
        ("level_changed", "confirmed"),
        ("confirmed", "withdrawn"),
        ("withdrawn", "confirmed"),
    ]


def _reload(awards):
    db.session.expire_all()
    return [db.session.get(Award, a.id) for a in awards]


def test_an_award_changed_since_the_draw_is_not_undone(clients, standards_loaded, make_award):
    admin = clients[Role.HEE_ADMIN]
    award = make_award()
    made = _drawn(admin, award)
    with unit_of_work():
        db.session.get(Award, award.id).status = AwardStatus.SUPERSEDED  # a new cycle's award
    response = _record(admin, made, award, outcome="withdrawn")
    assert error_summary(page(response)) == [
        "This award has changed since it was drawn (it is now superseded),"
        " so the audit can no longer change it"
    ]
    assert _award(award.id).status is AwardStatus.SUPERSEDED


def test_a_missing_outcome_is_explained(clients, standards_loaded, make_award):
    admin = clients[Role.HEE_ADMIN]
    award = make_award()
    made = _drawn(admin, award)
    for outcome in ("", "passed"):
        response = _record(admin, made, award, outcome=outcome)
        assert error_summary(page(response)) == ["Choose what the audit found"]
    assert _events("audit.outcome-recorded") == []


def test_an_award_not_in_the_draw_is_not_found(clients, make_award):
    admin = clients[Role.HEE_ADMIN]
    award = make_award()
    made = _drawn(admin, award)
    other = make_award()
    assert admin.get(f"/audits/{made.id}/awards/{other.id}").status_code == 404
    assert admin.get(f"/audits/{made.id + 1}").status_code == 404


@pytest.mark.parametrize("role", [Role.HEE_REVIEWER, Role.ORG_LEAD, Role.ORG_CONTRIBUTOR])
def test_only_hee_admins_reach_the_audit_pages(clients, people, make_award, role):
    award = make_award()
    _drawn(clients[Role.HEE_ADMIN], award)
    [made] = _draws()
    client = clients[role]
    urls = ("/audits", f"/audits/{made.id}", f"/audits/{made.id}/awards/{award.id}")
    for url in urls:
        assert client.get(url).status_code == 403, url
    token = csrf_token(client, "/home")
    for url in (urls[0], urls[2]):
        forged = {"csrf_token": token, "share": "100", "seed": "1", "outcome": "withdrawn"}
        assert client.post(url, data=forged).status_code == 403, url
    assert len(_draws()) == 1 and _award(award.id).status is AwardStatus.CURRENT
    assert "Random audits" not in client.get("/home").get_data(as_text=True)
    assert "Random audits" in clients[Role.HEE_ADMIN].get("/home").get_data(as_text=True)


def test_the_organisation_sees_it_was_selected_and_the_outcome(
    clients, people, org, cohort, make_award, make_user, sign_in_as, standards_loaded
):
    from accredit.data.models import CohortMembership, CohortReviewer

    award = make_award(cohort_id=cohort.id, organisation=org)
    reviewer = make_user(Role.HEE_REVIEWER)
    outsider = make_user(Role.HEE_REVIEWER)
    with unit_of_work():
        db.session.add(CohortMembership(cohort_id=cohort.id, organisation_id=org.id))
        db.session.add(CohortReviewer(cohort_id=cohort.id, user_id=reviewer.id))
    admin = clients[Role.HEE_ADMIN]
    made = _drawn(admin, award)
    url = f"/organisations/{org.id}"
    lead = page(clients[Role.ORG_LEAD].get(url)).get_text(" ", strip=True)
    assert "Selected at random for audit" in lead and "Awaiting audit" in lead
    assert "Record the outcome" not in lead
    assert "Awaiting audit" in page(sign_in_as(reviewer).get(url)).get_text()
    assert sign_in_as(outsider).get(url).status_code == 404
    assert "Record the outcome" in page(admin.get(url)).get_text()

    _record(admin, made, award, outcome="withdrawn", note="No safeguarding policy")
    lead = page(clients[Role.ORG_LEAD].get(url)).get_text(" ", strip=True)
    assert "Award withdrawn" in lead and "No safeguarding policy" in lead
    assert "Awaiting audit" not in lead


def test_another_organisations_audit_is_not_shown(clients, org, other_org, make_award):
    award = make_award(organisation=other_org)
    _drawn(clients[Role.HEE_ADMIN], award)
    text = page(clients[Role.ORG_LEAD].get(f"/organisations/{org.id}")).get_text()
    assert "Random audit" not in text


def test_the_demo_has_accredited_organisations_to_draw_from(clients, standards_loaded, settings):
    from accredit.seed.demo import seed_demo
    from accredit.seed.demo_awards import DEMO_AWARDS

    seed_demo(settings)
    awards = db.session.scalars(select(Award)).all()
    assert len(awards) == len(DEMO_AWARDS)
    assert all(a.status is AwardStatus.CURRENT and a.expires_on > TODAY for a in awards)
    assert any(a.expires_on <= TODAY + timedelta(days=92) for a in awards)  # one expiring soon
    response = _draw(clients[Role.HEE_ADMIN], share="25", stratify="region", seed="2026")
    assert response.status_code == 302
    [made] = _draws()
    assert len(made.population) == len(DEMO_AWARDS) and len(made.selected) >= 2


BLANK = {"new_level": "", "note": ""}


def test_an_outcome_recorded_meanwhile_by_another_admin_is_not_undone(
    clients, make_user, sign_in_as, standards_loaded, make_award
):
    first = clients[Role.HEE_ADMIN]
    second = sign_in_as(make_user(Role.HEE_ADMIN, name="Second Admin"))
    award = make_award()
    made = _drawn(first, award)
    url = f"/audits/{made.id}/awards/{award.id}"
    opened = page(second.get(url))
    seen = opened.find("input", {"name": "seen"})["value"]
    token = opened.find("input", {"name": "csrf_token"})["value"]
    assert _record(first, made, award, outcome="withdrawn", note="No register").status_code == 302
    late = second.post(
        url,
        data={
            "csrf_token": token,
            "seen": seen,
            "outcome": "confirmed",
            "new_level": "",
            "note": "",
        },
    )
    assert late.status_code == 200
    assert "Another admin recorded an outcome" in page(late).get_text()
    assert _award(award.id).status is AwardStatus.WITHDRAWN
    assert len(_events("audit.outcome-recorded")) == 1
    # The page now shows the outcome as it stands, so recording again is a deliberate correction.
    again = page(late).find("input", {"name": "seen"})["value"]
    corrected = second.post(
        url,
        data={
            "csrf_token": token,
            "seen": again,
            "outcome": "confirmed",
            "new_level": "",
            "note": "",
        },
    )
    assert corrected.status_code == 302
    assert _award(award.id).status is AwardStatus.CURRENT


def test_two_admins_recording_at_the_same_moment_cannot_both_win(
    clients, standards_loaded, make_award
):
    """The claim on the audit row is conditional on the outcome as read."""
    from accredit.data.base import utcnow
    from accredit.data.queries.review.audits import claim_outcome

    admin = clients[Role.HEE_ADMIN]
    award = make_award()
    made = _drawn(admin, award)
    row = db.session.scalar(select(AwardAudit).where(AwardAudit.draw_id == made.id))
    with unit_of_work():
        assert claim_outcome(row.id, None, None, utcnow())
    with unit_of_work():
        assert not claim_outcome(row.id, None, None, utcnow())  # the other one's read is stale


def test_a_withdrawal_is_not_undone_once_a_newer_award_stands(
    clients, standards_loaded, make_award
):
    admin = clients[Role.HEE_ADMIN]
    award = make_award()
    made = _drawn(admin, award)
    assert _record(admin, made, award, outcome="withdrawn").status_code == 302
    organisation = db.session.get(Organisation, award.organisation_id)
    newer = make_award(organisation=organisation, level="silver")  # accepted again since
    response = _record(admin, made, award, outcome="confirmed")
    assert error_summary(page(response)) == [
        "The organisation has been given a newer award since this audit, so this "
        "award can no longer be made current again"
    ]
    current = db.session.scalars(
        select(Award).where(
            Award.organisation_id == organisation.id, Award.status == AwardStatus.CURRENT
        )
    ).all()
    assert [a.id for a in current] == [newer.id]
