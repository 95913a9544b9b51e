"""The README's settings table is the one printed from the declaration (accredit.config)."""

from __future__ import annotations

from click.testing import CliRunner

from accredit.cli import main
from accredit.config import ROOT, Settings, env_name, settings_table

START = "<!-- settings table:"
END = "<!-- end of settings table -->"


def _readme_table() -> str:
    readme = (ROOT / "README.md").read_text()
    assert START in readme and END in readme, "README.md has lost its settings table markers"
    body = readme.split(START, 1)[1].split("\n", 1)[1]
    return body.split(END, 1)[0].strip() + "\n"


def test_the_readme_table_is_the_declared_one():
    assert _readme_table() == settings_table(), (
        "README.md's settings table differs from accredit/config.py: paste the output of "
        "`accredit settings-table` between its markers"
    )


def test_the_table_has_a_row_for_every_setting_with_its_default_and_meaning():
    rows = {line.split(" | ")[0].strip("| `"): line for line in settings_table().splitlines()[2:]}
    assert list(rows) == [env_name(name) for name in Settings.model_fields]
    assert (
        "| `ACCREDIT_RETAIN_AUDIT_DAYS` | `2555` | The rest of the audit trail"
        in rows["ACCREDIT_RETAIN_AUDIT_DAYS"]
    )
    assert rows["ACCREDIT_REDIS_URL"].split(" | ")[1] == "unset"
    assert rows["ACCREDIT_ADMIN_TWO_FACTOR"].split(" | ")[1] == "`required`"


def test_the_command_prints_the_table_without_building_the_app():
    printed = CliRunner().invoke(main, ["settings-table"], env={"ACCREDIT_SMTP_PORT": "bad"})
    assert printed.exit_code == 0, printed.output
    assert printed.output == settings_table()
