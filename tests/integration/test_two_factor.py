"""Two-factor sign-in: setting it up, signing in with a code, recovery codes, throttling,
the admin rule, and who may use it."""

from __future__ import annotations

import base64
import json
import time

from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from sqlalchemy import select

from accredit.data.models import AuditEvent, FormStash, RecoveryCode, User
from accredit.data.transactions import unit_of_work
from accredit.domain.accounts import totp
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.accounts import secret_box, signing_in, two_factor
from accredit.web.auth.pending import MARKER
from tests.integration.conftest import PASSWORD
from tests.support.forms import submit
from tests.support.html import error_summary, page

CODE_PAGE = "/sign-in/two-factor"


def _enrol(settings, user: User) -> tuple[str, list[str]]:
    """Turn two-factor on with the previous step's code, leaving this step's and the next
    one's free for the test to sign in with."""
    secret = two_factor.new_secret()
    step = totp.time_step(time.time())
    codes = two_factor.confirm_enrolment(
        settings, _fresh(user), secret, totp.code_for_step(secret, step - 1)
    )
    return secret, codes


def _code(secret: str, ahead: int = 0) -> str:
    return totp.code_for_step(secret, totp.time_step(time.time()) + ahead)


def _password(client, user: User):
    return submit(client, "/sign-in", {"email": user.email, "password": PASSWORD})


def _fresh(user: User) -> User:
    db.session.expire_all()
    found = db.session.get(User, user.id)
    assert found is not None
    return found


def _signed_in(client) -> bool:
    return client.get("/home").status_code == 200


def test_setting_up_shows_a_qr_code_and_the_key_and_a_wrong_code_saves_nothing(
    app, clients, people, settings
):
    reviewer, client = people[Role.HEE_REVIEWER], clients[Role.HEE_REVIEWER]
    soup = page(client.get("/account/two-factor/set-up"))
    assert soup.h1.get_text() == "Set up two-factor authentication"
    image = soup.select_one("img[src^='data:image/svg+xml;base64,']")
    assert image is not None and "QR code" in image["alt"]
    svg = base64.b64decode(image["src"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "<script" not in svg
    secret = soup.select_one("#setup-key").get_text().replace(" ", "").strip()
    assert len(secret) == 32
    # The same key on a second visit: the app may already have it.
    again = page(client.get("/account/two-factor/set-up")).select_one("#setup-key").get_text()
    assert again.replace(" ", "").strip() == secret

    # The session cookie carries the key while it is set up, sealed: holding the cookie is
    # not reading the key.
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    carried = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    assert secret not in json.dumps(carried)

    wrong = submit(client, "/account/two-factor/set-up", {"code": "000000"})
    assert wrong.status_code == 200
    assert error_summary(page(wrong)) == [
        "The code is not right. Enter the 6-digit code your authenticator app shows now"
    ]
    empty = submit(client, "/account/two-factor/set-up", {"code": ""})
    assert error_summary(page(empty)) == ["Enter the 6-digit code from your authenticator app"]
    assert _fresh(reviewer).totp_secret is None
    assert db.session.scalars(select(RecoveryCode)).all() == []

    done = submit(client, "/account/two-factor/set-up", {"code": totp.code_at(secret, time.time())})
    assert done.status_code == 200
    codes = [li.get_text(strip=True) for li in page(done).select("#recovery-codes li")]
    assert len(codes) == 10 and len(set(codes)) == 10
    user = _fresh(reviewer)
    assert user.two_factor_enabled_at is not None
    # Sealed under the secret key: a copy of the database alone cannot make codes.
    assert user.totp_secret.startswith("f1:") and secret not in user.totp_secret
    assert secret_box.unseal(settings.secret_key, two_factor.STORED, user.totp_secret) == secret
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # hashed, never the code
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "two-factor-enabled")
    ).one()
    assert secret not in json.dumps([event.before, event.after, event.detail, event.target])
    status = page(client.get("/account/two-factor")).get_text()
    assert "is on" in status and "10 unused recovery codes" in status
    # Set up already: the set-up page goes to the account page.
    assert client.get("/account/two-factor/set-up").status_code == 302


def test_signing_in_needs_a_code_after_the_password(client, settings, people):
    admin = people[Role.HEE_ADMIN]
    secret, _ = _enrol(settings, admin)
    response = _password(client, admin)
    assert response.status_code == 302 and response.headers["Location"] == CODE_PAGE
    assert not _signed_in(client)  # a right password alone signs nobody in
    soup = page(client.get(CODE_PAGE))
    assert soup.select_one("label").get_text(strip=True) == (
        "Enter the 6-digit code from your authenticator app"
    )
    window = {_code(secret, ahead) for ahead in (-1, 0, 1)}
    wrong_code = next(c for c in ("123456", "654321", "111111", "222222") if c not in window)
    wrong = submit(client, CODE_PAGE, {"code": wrong_code})
    assert wrong.status_code == 401
    assert error_summary(page(wrong)) == [
        "The code is not right. Enter the 6-digit code your app shows now"
    ]
    right = submit(client, CODE_PAGE, {"code": _code(secret)})
    assert right.status_code == 302 and right.headers["Location"] == "/home"
    assert _signed_in(client)
    trail = db.session.execute(
        select(AuditEvent.action, AuditEvent.detail)
        .where(AuditEvent.actor_id == admin.id)
        .order_by(AuditEvent.id)
    ).all()
    assert [tuple(row) for row in trail][-2:] == [
        ("password-accepted", None),
        ("sign-in", "with a two-factor code"),
    ]


def test_a_code_cannot_be_used_twice(app, settings, people):
    reviewer = people[Role.HEE_REVIEWER]
    secret, _ = _enrol(settings, reviewer)
    code = _code(secret)
    first = app.test_client()
    _password(first, reviewer)
    assert submit(first, CODE_PAGE, {"code": code}).status_code == 302
    second = app.test_client()  # someone who saw the code over their shoulder
    _password(second, reviewer)
    replay = submit(second, CODE_PAGE, {"code": code})
    assert replay.status_code == 401
    assert not _signed_in(second)
    # The next step's code still works.
    assert submit(second, CODE_PAGE, {"code": _code(secret, 1)}).status_code == 302


def test_a_recovery_code_works_once_and_is_audited_without_the_code(app, settings, people):
    reviewer = people[Role.HEE_REVIEWER]
    _, codes = _enrol(settings, reviewer)
    client = app.test_client()
    _password(client, reviewer)
    soup = page(client.get(CODE_PAGE))
    link = soup.find("a", string=lambda s: s and "recovery code" in s)
    assert link["href"] == CODE_PAGE + "?method=recovery"
    used = submit(client, link["href"], {"recovery_code": codes[3].lower().replace("-", " ")})
    assert used.status_code == 302
    home = page(client.get("/home")).get_text()
    assert "You have 9 left" in home
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "recovery-code-used")
    ).one()
    assert event.after == {"recovery_codes_left": 9}
    trail = db.session.scalars(select(AuditEvent)).all()
    for recorded in trail:
        text = json.dumps([recorded.target, recorded.detail, recorded.before, recorded.after])
        assert codes[3] not in text and codes[3].replace("-", "") not in text

    again = app.test_client()
    _password(again, reviewer)
    refused = submit(again, CODE_PAGE + "?method=recovery", {"recovery_code": codes[3]})
    assert refused.status_code == 401
    assert error_summary(page(refused)) == ["The recovery code is not right, or it has been used"]
    assert not _signed_in(again)


def test_wrong_codes_count_with_wrong_passwords_toward_the_throttle(client, settings, people):
    reviewer = people[Role.HEE_REVIEWER]
    secret, _ = _enrol(settings, reviewer)
    for _ in range(3):
        wrong = submit(client, "/sign-in", {"email": reviewer.email, "password": "not-the-one-1"})
        assert wrong.status_code == 401
    assert _password(client, reviewer).status_code == 302  # 3 failures so far
    bad = "000000" if _code(secret) != "000000" else "111111"
    for _ in range(2):
        assert submit(client, CODE_PAGE, {"code": bad}).status_code == 401  # 4, 5
    throttled = submit(client, CODE_PAGE, {"code": _code(secret)})  # even the right one
    assert throttled.status_code == 429
    assert error_summary(page(throttled))[0].startswith(
        "You have entered the wrong details too many times. Wait 15 minutes"
    )
    assert not _signed_in(client)
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.target == reviewer.email)
    ).all()
    assert actions.count("sign-in-failed") == 5 and "sign-in-throttled" in actions
    # And the password page now refuses too: one throttle for both.
    assert _password(client, reviewer).status_code == 429


def test_an_admin_must_set_up_two_factor_before_anything_else(client, settings, people):
    settings.admin_two_factor = True
    admin = people[Role.HEE_ADMIN]
    assert _password(client, admin).status_code == 302
    for url in ("/home", "/cohorts", "/organisations", "/account/two-factor"):
        response = client.get(url)
        assert response.status_code == 303, url
        assert response.headers["Location"] == "/account/two-factor/set-up"
    soup = page(client.get("/account/two-factor/set-up"))
    assert "HEE admins must use two-factor authentication" in soup.get_text()
    secret = soup.select_one("#setup-key").get_text().replace(" ", "").strip()
    done = submit(client, "/account/two-factor/set-up", {"code": _code(secret)})
    assert len(page(done).select("#recovery-codes li")) == 10
    assert client.get("/home").status_code == 200


def test_setting_up_ends_every_session_signed_in_with_the_password_alone(app, settings, people):
    """Someone who had the admin's password and signed in before the admin set up two-factor
    must not keep that session once two-factor is on: the guard alone would let it through."""
    settings.admin_two_factor = True
    admin = people[Role.HEE_ADMIN]
    intruder, owner = app.test_client(), app.test_client()
    assert _password(intruder, admin).status_code == 302
    assert _password(owner, admin).status_code == 302
    soup = page(owner.get("/account/two-factor/set-up"))
    secret = soup.select_one("#setup-key").get_text().replace(" ", "").strip()
    done = submit(owner, "/account/two-factor/set-up", {"code": _code(secret)})
    assert len(page(done).select("#recovery-codes li")) == 10
    assert _signed_in(owner)  # the person who proved the code stays signed in
    refused = intruder.get("/home")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/sign-in")


def test_an_admin_without_the_rule_may_sign_in_with_a_password(client, settings, people):
    settings.admin_two_factor = False
    assert _password(client, people[Role.HEE_ADMIN]).status_code == 302
    assert client.get("/home").status_code == 200


def test_an_admin_cannot_turn_two_factor_off_but_a_reviewer_can(settings, people, sign_in_as):
    admin, reviewer = people[Role.HEE_ADMIN], people[Role.HEE_REVIEWER]
    admin_id, reviewer_id = admin.id, reviewer.id
    _enrol(settings, admin)
    secret, _ = _enrol(settings, reviewer)
    # Setting up ended their earlier sessions: these are signed in afterwards.
    clients = {
        role: sign_in_as(db.session.get(User, user_id))
        for role, user_id in ((Role.HEE_ADMIN, admin_id), (Role.HEE_REVIEWER, reviewer_id))
    }
    assert clients[Role.HEE_ADMIN].get("/account/two-factor/turn-off").status_code == 403
    assert (
        "must keep two-factor"
        in page(clients[Role.HEE_ADMIN].get("/account/two-factor")).get_text()
    )

    client = clients[Role.HEE_REVIEWER]
    wrong = submit(client, "/account/two-factor/turn-off", {"code": "12345"})
    assert error_summary(page(wrong)) == [
        "The code is not right. Enter the code your app shows now"
    ]
    assert db.session.get(User, reviewer_id).two_factor_enabled_at is not None
    off = submit(client, "/account/two-factor/turn-off", {"code": _code(secret)})
    assert off.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, reviewer_id)
    assert user.totp_secret is None and user.two_factor_enabled_at is None
    assert (
        db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []
    )
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "two-factor-disabled")
    ).one()


def test_new_recovery_codes_replace_the_old_ones(app, settings, people, sign_in_as):
    reviewer = people[Role.HEE_REVIEWER]
    secret, old = _enrol(settings, reviewer)
    client = sign_in_as(_fresh(reviewer))
    made = submit(client, "/account/two-factor/recovery-codes", {"code": _code(secret)})
    new = [li.get_text(strip=True) for li in page(made).select("#recovery-codes li")]
    assert len(new) == 10 and not set(new) & set(old)
    assert "Your old recovery codes no longer work" in page(made).get_text()
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "recovery-codes-replaced")
    ).one().after == {"recovery_codes": 10}
    browser = app.test_client()
    _password(browser, reviewer)
    assert (
        submit(browser, CODE_PAGE + "?method=recovery", {"recovery_code": old[0]}).status_code
        == 401
    )
    assert (
        submit(browser, CODE_PAGE + "?method=recovery", {"recovery_code": new[0]}).status_code
        == 302
    )


def test_organisation_staff_do_not_get_two_factor(clients):
    for role in (Role.ORG_LEAD, Role.ORG_CONTRIBUTOR):
        client = clients[role]
        for url in (
            "/account/two-factor",
            "/account/two-factor/set-up",
            "/account/two-factor/recovery-codes",
            "/account/two-factor/turn-off",
        ):
            assert client.get(url).status_code == 403, (role, url)


def test_the_half_signed_in_state_expires(client, settings, people):
    reviewer = people[Role.HEE_REVIEWER]
    secret, _ = _enrol(settings, reviewer)
    _password(client, reviewer)
    token = page(client.get(CODE_PAGE)).find("input", {"name": "csrf_token"})["value"]
    with client.session_transaction() as session:
        session[MARKER] = {**session[MARKER], "at": session[MARKER]["at"] - 301}
    late = client.post(CODE_PAGE, data={"code": _code(secret), "csrf_token": token})
    assert late.status_code == 302 and late.headers["Location"] == "/sign-in"
    assert "took too long" in page(client.get("/sign-in")).get_text()
    assert not _signed_in(client)


def test_signing_out_elsewhere_ends_the_half_signed_in_state(app, client, settings, people):
    reviewer = people[Role.HEE_REVIEWER]
    _enrol(settings, reviewer)
    _password(client, reviewer)
    assert client.get(CODE_PAGE).status_code == 200
    signing_in.sign_out(_fresh(reviewer))  # "sign out everywhere" moves the session version on
    assert client.get(CODE_PAGE).headers["Location"] == "/sign-in"


def test_signing_in_again_after_the_session_ended_needs_the_code_and_keeps_what_was_typed(
    client, settings, people
):
    reviewer = people[Role.HEE_REVIEWER]
    secret, _ = _enrol(settings, reviewer)
    token = page(client.get("/sign-in")).find("input", {"name": "csrf_token"})["value"]
    carried = {"csrf_token": token, "next": "/cohorts", "carry": json.dumps({"note": ["typed"]})}
    response = client.post(
        "/sign-in/continue", data={**carried, "email": reviewer.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response.headers["Location"] == CODE_PAGE
    assert not _signed_in(client)
    kept = db.session.scalars(select(FormStash).where(FormStash.user_id == reviewer.id)).one()
    assert kept.data == {"note": ["typed"]}
    done = submit(client, CODE_PAGE, {"code": _code(secret)})
    assert done.status_code == 302
    assert done.headers["Location"] == f"/cohorts?restore={kept.id}"
    assert _signed_in(client)


def test_people_without_two_factor_sign_in_as_before(client, people):
    lead = people[Role.ORG_LEAD]
    response = _password(client, lead)
    assert response.status_code == 302 and response.headers["Location"] == "/home"


def test_an_operator_can_reset_two_factor_for_someone_who_lost_everything(app, settings, people):
    admin = people[Role.HEE_ADMIN]
    _enrol(settings, admin)
    version = _fresh(admin).session_version
    runner = app.test_cli_runner()
    result = runner.invoke(args=["two-factor-reset", admin.email.upper()])
    assert result.exit_code == 0, result.output
    assert "Two-factor authentication is off" in result.output
    user = _fresh(admin)
    assert user.totp_secret is None and user.session_version == version + 1  # signed out
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "two-factor-reset")
    ).one()
    again = runner.invoke(args=["two-factor-reset", admin.email])
    assert "nothing to reset" in again.output
    missing = runner.invoke(args=["two-factor-reset", "nobody@example.nhs.uk"])
    assert missing.exit_code != 0 and "There is no account for" in missing.output


def test_seed_demo_says_the_admin_sets_up_two_factor(app, settings):
    settings.admin_two_factor = True
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "The HEE admin sets up two-factor authentication" in result.output


_OTHER_DIGITS = "\u0661\u0662\u0663\u0664\u0665\u0666"  # Arabic-Indic "123456"


@examples(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    typed=st.one_of(
        st.sampled_from(
            [
                _OTHER_DIGITS,
                "\uff11\uff12\uff13\uff14\uff15\uff16",
                "12345\u0000",
                "x" * 100_000,
                "-" * 9,
            ]
        ),
        st.text(max_size=40),
        st.integers().map(str),
    )
)
def test_hostile_codes_get_a_clear_answer_on_every_two_factor_form(
    app, settings, people, sign_in_as, typed
):
    """The hostile-input sweep reaches these forms only with stray fields (they are shown
    only with two-factor on, or half-way through signing in): here each gets arbitrary text.
    Never a 500, and two-factor is never turned off or the session signed in by it."""
    # Every example reaches the code check, not the throttle.
    settings.sign_in_attempts = settings.sign_in_address_attempts = 10_000
    settings.sign_in_account_attempts = 10_000
    reviewer = people[Role.HEE_REVIEWER]
    reviewer_id = reviewer.id
    if db.session.get(User, reviewer_id).two_factor_enabled_at is None:
        _enrol(settings, reviewer)
    client = sign_in_as(db.session.get(User, reviewer_id))
    for url in ("/account/two-factor/recovery-codes", "/account/two-factor/turn-off"):
        answer = submit(client, url, {"code": typed})
        assert answer.status_code in {200, 400, 401}, (url, answer.status_code)
        assert error_summary(page(answer)) or answer.status_code == 400, url
    db.session.expire_all()
    assert db.session.get(User, reviewer_id).two_factor_enabled_at is not None

    half = app.test_client()
    assert _password(half, db.session.get(User, reviewer_id)).status_code == 302
    for data in ({"code": typed}, {"recovery_code": typed}):
        url = CODE_PAGE + ("?method=recovery" if "recovery_code" in data else "")
        answer = submit(half, url, data)
        assert answer.status_code in {200, 400, 401}, (url, answer.status_code)
        assert error_summary(page(answer)) or answer.status_code == 400, url
        assert not _signed_in(half)


def test_a_key_stored_before_sealing_still_works_and_is_sealed_when_used(client, settings, people):
    admin = people[Role.HEE_ADMIN]
    secret, _ = _enrol(settings, admin)
    with unit_of_work():
        _fresh(admin).totp_secret = secret  # as stored before keys were sealed
    submit(client, "/sign-in", {"email": admin.email, "password": PASSWORD})
    assert submit(client, CODE_PAGE, {"code": _code(secret)}).status_code == 302
    stored = _fresh(admin).totp_secret
    assert stored.startswith("f1:")
    assert secret_box.unseal(settings.secret_key, two_factor.STORED, stored) == secret


def test_a_changed_secret_key_refuses_codes_clearly_and_says_why_in_the_log(
    client, settings, people, caplog
):
    admin = people[Role.HEE_ADMIN]
    secret, _ = _enrol(settings, admin)
    with unit_of_work():  # sealed under some other deployment's key
        _fresh(admin).totp_secret = secret_box.seal("another key", two_factor.STORED, secret)
    submit(client, "/sign-in", {"email": admin.email, "password": PASSWORD})
    refused = submit(client, CODE_PAGE, {"code": _code(secret)})
    assert refused.status_code == 401
    assert "unreadable: was the secret key changed?" in caplog.text


def test_db_upgrade_seals_every_key_stored_before_sealing(app, settings, people):
    """An account nobody has used since keys were sealed is not left with its key readable."""
    reviewer = people[Role.HEE_REVIEWER]
    secret, _ = _enrol(settings, reviewer)
    with unit_of_work():
        _fresh(reviewer).totp_secret = secret  # as stored before keys were sealed
    done = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert done.exit_code == 0, done.output
    assert "Sealed 1 two-factor keys" in done.output
    stored = _fresh(reviewer).totp_secret
    assert stored.startswith("f1:") and secret not in stored
    assert secret_box.unseal(settings.secret_key, two_factor.STORED, stored) == secret
    again = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert "Sealed" not in again.output  # nothing left to seal
