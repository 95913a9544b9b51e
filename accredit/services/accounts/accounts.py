"""Accounts: making a user account (invitations, which make most accounts, are in
invitations.py; signing in is in signing_in.py, a forgotten password in password_reset.py)."""

from __future__ import annotations

from accredit.data.models import Organisation, User
from accredit.data.queries.accounts import users as user_queries
from accredit.domain.accounts.organisations import Role
from accredit.extensions import db
from accredit.services.accounts.passwords import hash_password
from accredit.services.operations import audit


class AccountError(Exception):
    """A request that cannot be carried out; the message is shown to the user."""


def normal_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    password: str | None,
    organisation: Organisation | None = None,
    actor: User | None = None,
) -> User:
    email = normal_email(email)
    if user_queries.user_by_email(email) is not None:
        raise AccountError(f"There is already an account for {email}")
    if role.is_hee != (organisation is None):
        raise AccountError("HEE staff have no organisation; organisation staff need one")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        organisation=organisation,
        password_hash=hash_password(password) if password else None,
        active=True,
        session_version=1,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user-created", email, actor=actor, after={"role": role.value, "name": user.name})
    return user
