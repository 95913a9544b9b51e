"""The command line: every `flask`/`accredit` command is registered in ``commands``; each group
of commands has its own module.
"""


def main() -> None:
    """The `accredit` console script (pyproject.toml names ``accredit.cli:main``): the Flask
    command group of ``commands``, imported only when the script runs."""
    from accredit.cli.commands import main as group

    group()
