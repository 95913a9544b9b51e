"""``accredit two-factor-reset EMAIL``: for someone who has lost both their phone and their
recovery codes. It turns two-factor off and ends their sessions; an HEE admin is then asked
to set it up again at their next sign-in. Operators should check who is asking first."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("two-factor-reset")
@with_appcontext
@click.argument("email")
def two_factor_reset_command(email: str) -> None:
    """Turn off someone's two-factor authentication so they can set it up again."""
    from accredit.data.queries.accounts.users import user_by_email
    from accredit.services.accounts import two_factor

    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no account for {email.strip().lower()}")
    if not two_factor.is_on(user):
        click.echo(f"{user.email} does not use two-factor authentication: nothing to reset.")
        return
    two_factor.reset(user)
    click.echo(
        f"Two-factor authentication is off for {user.email}, and their sessions have ended. "
        "They can set it up again from their account (HEE admins are asked at sign-in)."
    )
