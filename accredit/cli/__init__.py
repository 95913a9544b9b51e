"""The command line: every `flask`/`accredit` command is registered in ``commands``; each group
of commands has its own module.
"""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from accredit import create_app

    return create_app()


#: The `accredit` console script (pyproject.toml names ``accredit.cli:main``). The commands
#: themselves are registered on the app by ``commands.register_commands``.
main = FlaskGroup(
    create_app=_create_app, add_default_commands=True, help="accredit service commands"
)


@main.command("settings-table", with_appcontext=False)
def settings_table_command() -> None:
    """Print the README's table of settings, made from their declaration (no app needed)."""
    from accredit.config import settings_table

    click.echo(settings_table(), nl=False)
