"""bench/floors.py and the journey bench's full case, on the real app: the floors go through
the same sign-in and CSRF rules as real requests and cost what they say (a bare page, one
one-row write), and the seed's ``answer_everything`` leaves nothing unanswered."""

from __future__ import annotations

from accredit.data.models import EvidenceItem, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.scoring.scoring import visible_keys
from accredit.extensions import db
from accredit.seed.demo_assessments import answer_everything
from accredit.services.assessments.workspace import load
from tests.support.bench_modules import load as load_bench
from tests.support.forms import csrf_token
from tests.support.statements import recorded, writes


def test_the_floors_are_a_bare_page_and_one_write_behind_the_same_rules(app, make_user, org):
    floors = load_bench("floors")
    floors.install_floor_routes(app)
    lead = make_user(Role.ORG_LEAD, org, name="Ada Lead")
    anonymous = app.test_client()
    assert anonymous.get(floors.FLOOR_PAGE).status_code == 302  # to the sign-in page

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = lead.get_id()
        session["_fresh"] = True
    page = client.get(floors.FLOOR_PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Floor</h1>" in html and 'class="nhsuk-header' in html
    assert client.post(floors.FLOOR_PAGE, data={}).status_code == 400  # no CSRF token
    token = csrf_token(client, floors.FLOOR_PAGE)  # the layout's sign-out form carries one
    with app.app_context(), recorded() as statements:
        answered = client.post(floors.FLOOR_PAGE, data={"csrf_token": token})
    assert answered.status_code == 302
    changed = writes(statements)
    assert len(changed) == 1 and changed[0].lstrip().upper().startswith("UPDATE USERS")
    assert db.session.get(User, lead.id).name == "Ada Lead"


def test_answer_everything_leaves_no_question_unanswered(app, org, make_assessment, make_user):
    lead = make_user(Role.ORG_LEAD, org)
    assessment = make_assessment(org, lead)
    with unit_of_work():
        db.session.add(
            EvidenceItem(
                organisation_id=org.id,
                kind="statement",
                title="Policy",
                description="",
                statement="Our policy.",
                uploaded_by_id=lead.id,
                current_version=0,
            )
        )
    count = answer_everything(assessment, lead)
    workspace = load(assessment)
    shown = set(visible_keys(workspace.standard, workspace.profile, workspace.answers))
    assert shown <= set(workspace.answers) and count == len(workspace.answers) > 100
    assert workspace.gaps == []
