"""Invitations: a single-use link, valid for 7 days, to set a password and join.

A person has at most one live link to a place (an organisation, or HEE): inviting them again
while one is waiting sends a fresh link and lapses the old one, so an old email cannot be used
after a newer one was sent, and a lost email is fixed by inviting again. A link that can no
longer be used says why as soon as it is opened, before any password is asked for.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from accredit.config import Settings
from accredit.data.base import utcnow
from accredit.data.models import Invitation, Organisation, User
from accredit.data.queries.accounts import users as user_queries
from accredit.data.transactions import commit_now, unit_of_work
from accredit.domain.accounts.organisations import Role
from accredit.domain.accounts.permissions import may_invite
from accredit.domain.service import SERVICE_NAME
from accredit.extensions import db
from accredit.services.accounts.accounts import AccountError, create_user
from accredit.services.operations import audit, mail

INVITATION_DAYS = 7
SENT = "invitation-sent"
#: Sent again while an earlier invitation to the same person and place was still waiting.
RESENT = "invitation-resent"


@dataclass(frozen=True, slots=True)
class Invited:
    """An invitation made, with the email to send once the transaction has committed."""

    invitation: Invitation
    message: mail.Mail
    #: It replaced one still waiting (whose link no longer works).
    resent: bool

    def sentence(self) -> str:
        """What the inviter is told."""
        email = self.invitation.email
        if self.resent:
            return (
                f"{email} already had an invitation waiting, so it has been sent again with a "
                "new link. The link in the earlier email no longer works."
            )
        return f"Invitation sent to {email}."


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_email(email: str) -> str:
    return email.strip().lower()


def invite(
    settings: Settings,
    *,
    inviter: User,
    email: str,
    name: str,
    role: Role,
    organisation: Organisation | None,
) -> Invited:
    """Invite someone (or invite them again) and email the link."""
    with commit_now():
        invited = add_invitation(
            settings,
            inviter=inviter,
            email=email,
            name=name,
            role=role,
            organisation=organisation,
        )
    mail.send(settings, invited.message)
    return invited


def add_invitation(
    settings: Settings,
    *,
    inviter: User,
    email: str,
    name: str,
    role: Role,
    organisation: Organisation | None,
    account_checked: bool = False,
    waiting: Sequence[Invitation] | None = None,
) -> Invited:
    """Add an invitation (and its audit event) to the caller's transaction, with the email
    to send once that transaction has committed: a batch of invitations, such as a cohort
    import, commits together and mails nobody if it fails. ``account_checked`` says the
    caller has already found, in this transaction, that the email has no account (a batch
    looks them all up at once); ``waiting`` likewise gives the invitations of this person to
    this place still waiting, found by the caller.

    An invitation of the same person to the same place that is still waiting is lapsed, and
    the new one (with this name and role) takes its place."""
    email = normal_email(email)
    org_id = organisation.id if organisation is not None else None
    if not may_invite(inviter.role, inviter.organisation_id, role, org_id):
        raise AccountError("You cannot invite someone to that role")
    if not account_checked and user_queries.user_by_email(email) is not None:
        raise AccountError(f"There is already an account for {email}")
    now = utcnow()
    if waiting is None:
        waiting = user_queries.waiting_invitations(email, org_id)
    for earlier in waiting:
        earlier.expires_at = now  # its link stops working; retention treats it as lapsed
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        name=name.strip(),
        role=role,
        organisation=organisation,
        invited_by_id=inviter.id,
        token_hash=_token_hash(token),
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    after = {"role": role.value, "organisation_id": org_id}
    if waiting:
        before = {"role": waiting[-1].role.value, "organisation_id": org_id}
        audit.record(RESENT, email, actor=inviter, before=before, after=after)
    else:
        audit.record(SENT, email, actor=inviter, after=after)
    return Invited(invitation, _message(settings, inviter, invitation, token), bool(waiting))


def reissue(settings: Settings, inviter: User, invitation: Invitation) -> mail.Mail:
    """The email of an invitation a background job is about to send, with a new link (its
    hash stored in the caller's transaction): a job's parameters name invitations by id and
    never hold a raw token, so the link is made as the email goes out."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    return _message(settings, inviter, invitation, token)


def _message(settings: Settings, inviter: User, invitation: Invitation, token: str) -> mail.Mail:
    organisation = invitation.organisation
    where = f" for {organisation.name}" if organisation else ""
    return mail.Mail(
        to=invitation.email,
        subject=f"You have been invited to {SERVICE_NAME}",
        body=(
            f"Dear {invitation.name},\n\n{inviter.name} has invited you to use {SERVICE_NAME}"
            f"{where} as {invitation.role.in_sentence}.\n\nSet your password to get started:\n"
            f"{settings.base_url}/invitations/{token}\n\n"
            f"This link works once and expires in {INVITATION_DAYS} days. If you were sent "
            "an invitation before, its link no longer works: use this one.\n"
        ),
    )


USED = "This invitation has already been used. Sign in with the email address it was sent to."


def open_invitation(token: str) -> Invitation:
    """The invitation behind a link, or AccountError saying why it cannot be used and what to
    do instead: checked when the link is opened, so no one sets a password for nothing."""
    invitation = user_queries.invitation_by_token_hash(_token_hash(token))
    if invitation is None:
        raise AccountError("This invitation link is not valid. Check you copied all of it.")
    if invitation.used_at is not None:
        raise AccountError(USED)
    if user_queries.user_by_email(invitation.email) is not None:
        raise AccountError(
            f"There is already an account for {invitation.email}, so this invitation is not "
            "needed. Sign in with that email address, or reset your password if you have "
            "forgotten it."
        )
    if invitation.expires_at < utcnow():
        if user_queries.newer_invitation_exists(invitation):
            raise AccountError(
                "This invitation has been replaced by a newer one. Use the link in the most "
                "recent invitation email, or ask the person who invited you to send a new one."
            )
        raise AccountError(
            "This invitation has expired. Ask the person who invited you to send a new one."
        )
    return invitation


def accept_invitation(token: str, password: str) -> User:
    invitation = open_invitation(token)
    try:
        return _accept(invitation, password)
    except IntegrityError as error:
        # Two tabs accepting the same link at once: the second finds the account made.
        raise AccountError(USED) from error


def _accept(invitation: Invitation, password: str) -> User:
    with unit_of_work():
        invitation.used_at = utcnow()
        user = create_user(
            email=invitation.email,
            name=invitation.name,
            role=invitation.role,
            password=password,
            organisation=invitation.organisation,
        )
        audit.record("invitation-accepted", invitation.email, actor=user)
    return user
