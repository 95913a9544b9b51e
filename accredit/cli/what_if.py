"""`accredit standards simulate NEW --cohort ID`: the what-if table on the command line.

Registered on the `standards` group by the app's CLI (it needs the database, which the plain
`standards` commands do not).
"""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from accredit.data.queries.cohorts.cohorts import cohort_by_id
from accredit.data.queries.scope import Scope
from accredit.data.transactions import discard
from accredit.domain.accounts.organisations import Role
from accredit.services.cohorts.what_if import WhatIf, WhatIfRefused, simulate_cohort, standard_for

#: The command line is an operator's: it sees every cohort, as an HEE admin does.
OPERATOR = Scope(0, Role.HEE_ADMIN, None)


@click.command("simulate")
@with_appcontext
@click.argument("new")
@click.option("--cohort", "cohort_id", type=int, required=True, help="The cohort's id.")
@click.option(
    "--names/--no-names",
    default=True,
    show_default=True,
    help="List the organisations whose level would change.",
)
def simulate_command(new: str, cohort_id: int, names: bool) -> None:
    """What if the cohort moved to NEW: every current assessment rescored under NEW.

    NEW is a version of the cohort's standard that is loaded (for example 2026.2, whatever its
    status) or the path of a version file (for example standards/weqs/2026.2.yaml, loaded or
    not). Answers are carried over as the next cycle carries them. Nothing is changed."""
    try:
        cohort = cohort_by_id(cohort_id)
        if cohort is None:
            raise click.ClickException(f"There is no cohort with id {cohort_id}")
        try:
            standard = standard_for(cohort, new)
            what_if = simulate_cohort(OPERATOR, cohort, standard)
        except WhatIfRefused as refused:
            raise click.ClickException(str(refused)) from refused
        for line in render(what_if, names=names):
            click.echo(line)
    finally:
        discard()  # read only: make sure of it


def render(what_if: WhatIf, names: bool = True) -> list[str]:
    cohort, simulation = what_if.cohort, what_if.simulation
    new = simulation.new
    lines = [
        f"{cohort.name} (id {cohort.id}): {simulation.assessed:,} current assessment"
        f"{'' if simulation.assessed == 1 else 's'} on {cohort.standard_id} {what_if.current}, "
        f"rescored under {new.id} {new.version} ({new.status}) with the answers the next cycle "
        "would carry over."
    ]
    if not simulation.changes:
        lines.append("No organisation in the cohort has an assessment yet: nothing to rescore.")
        return lines
    table = [("FROM", "TO", "ORGANISATIONS", "")]
    for change in simulation.changes:
        note = {"down": "lower", "up": "higher", "same": "no change"}[change.direction]
        table.append((change.before_name, change.after_name, f"{change.count:,}", note))
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for before, after, count, note in table:
        arrow = "   " if before == "FROM" else "-> "
        row = f"  {before:<{widths[0]}} {arrow}{after:<{widths[1]}}  {count:>{widths[2]}}  {note}"
        lines.append(row.rstrip())
    lines.append(
        f"Lower: {simulation.count('down'):,}. Higher: {simulation.count('up'):,}. "
        f"No change: {simulation.count('same'):,}."
    )
    if simulation.awaiting_profile:
        lines.append(
            f"{simulation.awaiting_profile:,} of them have not answered every profile question "
            f"{new.version} asks; criteria that depend on an unanswered one count as not met "
            "here: " + "; ".join(f"{label} ({n:,})" for label, n in simulation.unanswered) + "."
        )
    if names:
        for change in simulation.moved:
            lines.append(f"{change.before_name} -> {change.after_name} ({change.count:,}):")
            lines.extend(f"  {org.name} ({org.ods_code})" for org in change.organisations)
    lines.append(
        "Nothing was changed. Each organisation keeps the version its assessment started on; "
        f"a move to {new.version} happens at the next cycle."
    )
    return lines
