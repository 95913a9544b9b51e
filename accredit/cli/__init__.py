"""The command line: every `flask`/`accredit` command is registered in ``commands``; each group
of commands has its own module.
"""

from __future__ import annotations

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
