"""Setting up, renewing and turning off two-factor authentication (HEE staff only).

The new secret waits in the session until a code from the app proves it was saved there; only
then is anything written. Recovery codes are shown once, in the answer to the POST that made
them (pages are never cached), and cannot be shown again: only replaced.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import login_user

from accredit.data.models import User
from accredit.domain.accounts import totp
from accredit.domain.accounts.organisations import Role
from accredit.forms.accounts.two_factor import CodeForm
from accredit.services.accounts import two_factor
from accredit.services.accounts.two_factor import TwoFactorError, TwoFactorThrottled
from accredit.services.reports import qr_code
from accredit.web.access import allow, hee_only
from accredit.web.account.blueprint import bp
from accredit.web.helpers import settings, signed_in_user

ENROLMENT_SECRET = "two_factor_enrolment"


def _me() -> User:
    user: User = signed_in_user()
    return user


@bp.route("/account/two-factor")
@hee_only
def two_factor_status() -> ResponseReturnValue:
    user = _me()
    return render_template(
        "account/two-factor.html",
        on=two_factor.is_on(user),
        codes_left=two_factor.remaining_codes(user) if two_factor.is_on(user) else 0,
        may_turn_off=two_factor.may_turn_off(user),
    )


@bp.route("/account/two-factor/set-up", methods=["GET", "POST"])
@hee_only
def set_up_two_factor() -> ResponseReturnValue:
    user = _me()
    if two_factor.is_on(user):
        return redirect(url_for("account.two_factor_status"))
    secret = two_factor.set_up_secret(settings(), session.get(ENROLMENT_SECRET))
    if secret is None:
        secret = two_factor.new_secret()
        session[ENROLMENT_SECRET] = two_factor.sealed_for_set_up(settings(), secret)
    form = CodeForm()
    form.code.label.text = "Enter the 6-digit code your app shows"
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_enrolment(settings(), user, secret, form.code.data or "")
        except TwoFactorError as error:
            form.code.errors = [str(error)]
        else:
            session.pop(ENROLMENT_SECRET, None)
            login_user(user)  # this session, under the new session version: the others end
            return render_template("account/recovery-codes.html", codes=codes, first=True)
    return render_template(
        "account/set-up-two-factor.html",
        form=form,
        qr=qr_code.svg_data_uri(totp.provisioning_uri(secret, user.email)),
        secret=totp.grouped(secret),
        required=two_factor.must_enrol(settings(), user),
    )


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@hee_only
def new_recovery_codes() -> ResponseReturnValue:
    user = _me()
    if not two_factor.is_on(user):
        return redirect(url_for("account.two_factor_status"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = two_factor.regenerate_codes(
                settings(), user, form.code.data or "", request.remote_addr
            )
        except TwoFactorError as error:
            form.code.errors = [str(error)]
            status = 429 if isinstance(error, TwoFactorThrottled) else 200
        else:
            return render_template("account/recovery-codes.html", codes=codes, first=False)
    return render_template("account/confirm-code.html", form=form, action="codes"), status


@bp.route("/account/two-factor/turn-off", methods=["GET", "POST"])
@allow(Role.HEE_REVIEWER)  # HEE admins must keep it on
def turn_off_two_factor() -> ResponseReturnValue:
    user = _me()
    if not two_factor.is_on(user):
        return redirect(url_for("account.two_factor_status"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            two_factor.turn_off(settings(), user, form.code.data or "", request.remote_addr)
        except TwoFactorError as error:
            form.code.errors = [str(error)]
            status = 429 if isinstance(error, TwoFactorThrottled) else 200
        else:
            flash(
                "Two-factor authentication is off. You sign in with your password only.", "success"
            )
            return redirect(url_for("account.two_factor_status"))
    return render_template("account/confirm-code.html", form=form, action="off"), status
