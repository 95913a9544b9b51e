"""The second step of signing in: the code from the authenticator app, or a recovery code."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from accredit.domain.accounts.sign_in_throttle import Refusal
from accredit.forms.accounts.two_factor import CodeForm, RecoveryCodeForm
from accredit.services.accounts import two_factor
from accredit.services.accounts.signing_in import SignInOutcome
from accredit.web.access import public
from accredit.web.auth import pending
from accredit.web.auth.blueprint import bp
from accredit.web.auth.routes import _start_session
from accredit.web.helpers import settings
from accredit.web.safe_redirect import is_safe_next

log = logging.getLogger("accredit.auth")


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@public
def two_factor_code() -> ResponseReturnValue:
    user = pending.pending_user()
    if user is None:
        flash("Signing in took too long, so it has been cancelled. Sign in again.", "info")
        return redirect(url_for("auth.sign_in"))
    recovery = request.args.get("method") == "recovery"
    form: CodeForm | RecoveryCodeForm = RecoveryCodeForm() if recovery else CodeForm()
    field = form.recovery_code if isinstance(form, RecoveryCodeForm) else form.code
    status = 200
    if form.validate_on_submit():
        result = two_factor.check_code(
            settings(), user, field.data or "", request.remote_addr, recovery=recovery
        )
        if result.outcome is SignInOutcome.OK:
            target = pending.target()
            _start_session(user)
            if recovery:
                flash(_recovery_used_message(two_factor.remaining_codes(user)), "info")
            return redirect(target if is_safe_next(target) else url_for("pages.home"))
        if result.outcome is SignInOutcome.THROTTLED:
            log.warning("Two-factor sign-in throttled")
            field.errors = [
                result.refused_message
                if result.refusal is Refusal.ACCOUNT
                else result.refused_message + " Or sign in again later."
            ]
            status = 429
        else:
            field.errors = [
                "The recovery code is not right, or it has been used"
                if recovery
                else "The code is not right. Enter the 6-digit code your app shows now"
            ]
            status = 401
    return render_template(
        "auth/two-factor.html", form=form, field=field, recovery=recovery
    ), status


def _recovery_used_message(left: int) -> str:
    if left == 0:
        return (
            "You have used your last recovery code. Make new ones now from "
            "Two-factor authentication in your account."
        )
    return f"You signed in with a recovery code, which cannot be used again. You have {left} left."
