"""Sign in, sign out, accept an invitation, reset a forgotten password."""

from __future__ import annotations

import logging

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from accredit.data.models import User
from accredit.domain.accounts.sign_in_throttle import Refusal
from accredit.forms.accounts.auth import (
    ContinueForm,
    ForgotPasswordForm,
    SetPasswordForm,
    SignInForm,
)
from accredit.services.accounts import invitations, password_reset, signing_in, two_factor
from accredit.services.accounts.accounts import AccountError
from accredit.services.accounts.signing_in import SignInOutcome
from accredit.services.assessments import stash
from accredit.web.access import public, signed_in
from accredit.web.auth import pending
from accredit.web.auth.blueprint import bp
from accredit.web.helpers import settings, signed_in_user
from accredit.web.keep_typed import restore_url
from accredit.web.safe_redirect import is_safe_next

log = logging.getLogger("accredit.auth")


def _start_session(user: User) -> None:
    # A fresh session at sign-in: nothing from before survives (no fixation).
    session.clear()
    login_user(user)
    session.permanent = True


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = SignInForm(next=request.args.get("next", ""))
    status = 200
    if form.validate_on_submit():
        result = signing_in.sign_in(
            settings(), form.email.data or "", form.password.data or "", request.remote_addr
        )
        if result.outcome is SignInOutcome.OK and result.user is not None:
            target = form.next.data or ""
            if two_factor.is_on(result.user):  # the code page finishes signing in
                pending.begin(result.user, target)
                return redirect(url_for("auth.two_factor_code"))
            _start_session(result.user)
            return redirect(target if is_safe_next(target) else url_for("pages.home"))
        if result.outcome is SignInOutcome.THROTTLED:
            # No address or email in the log: the audit trail keeps the failed attempts.
            log.warning("Sign-in throttled")
            form.email.errors = [_refused(result)]
            status = 429
        else:
            form.email.errors = ["Enter a correct email address and password"]
            status = 401
    return render_template("auth/sign-in.html", form=form), status


@bp.route("/sign-in/continue", methods=["POST"])
@public
def continue_session() -> ResponseReturnValue:
    """Sign in again from the session-ended page; then show the page with what was typed."""
    form = ContinueForm()
    fields = stash.decode(form.carry.data or "")
    target = form.next.data or ""
    if fields is None or not is_safe_next(target) or not stash.fits(target):
        return redirect(url_for("auth.sign_in"))
    status = 200
    if form.validate_on_submit():
        result = signing_in.sign_in(
            settings(), form.email.data or "", form.password.data or "", request.remote_addr
        )
        if result.outcome is SignInOutcome.OK and result.user is not None:
            kept = stash.keep(result.user, target, fields)
            if two_factor.is_on(result.user):
                # What was typed is kept already (for this user only); the code page then
                # finishes signing in and goes on to restore it.
                pending.begin(result.user, restore_url(target, kept.id))
                return redirect(url_for("auth.two_factor_code"))
            _start_session(result.user)
            return redirect(restore_url(target, kept.id))
        status = 429 if result.outcome is SignInOutcome.THROTTLED else 401
        form.email.errors = (
            [_refused(result)] if status == 429 else ["Enter a correct email address and password"]
        )
    return render_template("auth/session-ended.html", form=form), status


def _refused(result: signing_in.SignIn) -> str:
    if result.refusal is Refusal.ACCOUNT:
        return result.refused_message  # it says to reset the password already
    return result.refused_message + " Or reset your password."


@bp.route("/sign-out", methods=["POST"])
@signed_in
def sign_out() -> Response:
    signing_in.sign_out(signed_in_user())
    logout_user()
    session.clear()
    # session_version moved on, so every other browser's session has ended too: say so.
    flash(
        "You have signed out. This also signed you out on any other device or browser you "
        "were using.",
        "success",
    )
    return redirect(url_for("auth.sign_in"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str) -> ResponseReturnValue:
    try:
        invitation = invitations.open_invitation(token)
    except AccountError as error:
        return _invitation_problem(str(error))
    form = SetPasswordForm()
    form.password_context = (invitation.email, invitation.name)
    if form.validate_on_submit():
        try:
            invitations.accept_invitation(token, form.password.data or "")
        except AccountError as error:
            return _invitation_problem(str(error))
        flash("Your password is set. Sign in to continue.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/accept-invitation.html", form=form, invitation=invitation)


def _invitation_problem(message: str) -> ResponseReturnValue:
    page = render_template(
        "auth/link-problem.html",
        heading="This invitation link cannot be used",
        message=message,
        forgot_password=True,
    )
    return page, 410


@bp.route("/forgot-password", methods=["GET", "POST"])
@public
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_password_reset(settings(), form.email.data or "")
        return render_template("auth/reset-sent.html", email=form.email.data)
    return render_template("auth/forgot-password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> ResponseReturnValue:
    try:
        user = password_reset.user_for_reset(settings(), token)
    except AccountError as error:
        return render_template("auth/link-problem.html", message=str(error)), 410
    form = SetPasswordForm()
    form.password_context = (user.email, user.name)
    if form.validate_on_submit():
        try:
            password_reset.reset_password(settings(), token, form.password.data or "")
        except AccountError as error:  # used in another tab a moment ago
            return render_template("auth/link-problem.html", message=str(error)), 410
        flash("Your password has been changed. Sign in with your new password.", "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset-password.html", form=form)
