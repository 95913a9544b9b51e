"""`standards` commands: check files, list what is installed, diff two versions.

A plain click group with no Flask dependency, so it runs in CI and pre-commit hooks as well as under
`flask standards ...` / `accredit standards ...` once registered on the app CLI.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import click

from accredit.domain.scoring.standard import Standard, StandardStatus
from accredit.standards.diff import diff as diff_standards
from accredit.standards.level_analysis import problems as level_problems
from accredit.standards.loader import Problem, StandardFileError, load_standard, version_files
from accredit.standards.scenarios import SUFFIX, Outcome, check_beside, is_scenarios_file

#: Versions no new cohort can start on: a level rule problem there is a warning, not an error.
CLOSED = (StandardStatus.SUPERSEDED, StandardStatus.RETIRED)


@click.group("standards")
def standards() -> None:
    """Check, list and compare standard version files."""


def _files(paths: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(version_files(path) or version_files(path, depth=1))
        elif is_scenarios_file(path):
            files.append(path.with_name(path.name.removesuffix(SUFFIX) + ".yaml"))
        else:
            files.append(path)
    return files


def _summary(standard: Standard) -> str:
    return (
        f"{standard.id} {standard.version} ({standard.status}, effective {standard.effective}, "
        f"{len(standard.criteria)} criteria, sha256 {standard.short_hash})"
    )


@standards.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--no-location-check",
    is_flag=True,
    help="Do not require files to be at <id>/<version>.yaml (for drafts and fixtures).",
)
def check(paths: tuple[str, ...], no_location_check: bool) -> None:
    """Validate standard files (or folders of them), listing every problem with its line.

    Also proves each level is earned: a level reachable with none of its own criteria met (or
    fewer than its `min_own_share`) is an error. Then runs the scenarios file beside each one
    (`<version>.scenarios.yaml`; a missing one is an error): a scenario whose level, blockers or
    questions asked differ from what it expects is an error. Both are warnings in a superseded or
    retired file, which no new cohort can start on."""
    files = _files(paths)
    if not files:
        raise click.ClickException("no .yaml files found")
    problems: list[Problem] = []
    bad = 0
    for path in files:
        try:
            standard = load_standard(path, check_location=not no_location_check)
        except StandardFileError as exc:
            bad += 1
            problems.extend(exc.problems)
            for problem in exc.problems:
                click.echo(str(problem))
            continue
        found = _level_problems(path, standard)
        outcome = check_beside(path, standard)
        found.extend(outcome.problems)
        if found and standard.status not in CLOSED:
            bad += 1
            problems.extend(found)
            for problem in found:
                click.echo(str(problem))
            continue
        for problem in found:
            warning = dataclasses.replace(problem, path=_warning(problem.path))
            click.echo(f"{warning} ({standard.status}: no new cohort can start on it)")
        click.echo(f"OK {path}: {_summary(standard)}{_scenarios(outcome)}")
    if bad:
        click.echo(
            f"{bad} of {len(files)} file{'s' if len(files) != 1 else ''} invalid "
            f"({len(problems)} problem{'s' if len(problems) != 1 else ''})",
            err=True,
        )
        raise SystemExit(1)


def _warning(path: str) -> str:
    return f"warning: {path}" if path else "warning"


def _scenarios(outcome: Outcome) -> str:
    total, passed = outcome.scenarios, outcome.scenarios - outcome.failed
    if not total:
        return ""
    if passed < total:
        return f", {passed} of {total} scenarios pass"
    return ", 1 scenario passes" if total == 1 else f", {total} scenarios pass"


def _level_problems(path: Path, standard: Standard) -> list[Problem]:
    lines = _level_lines(path)
    return [
        Problem(str(path), lines.get(need.level), "", need.message())
        for need in level_problems(standard)
    ]


def _level_lines(path: Path) -> dict[str, int]:
    """Line of each level's id in the file's `levels:` list (best effort, for messages)."""
    found: dict[str, int] = {}
    inside = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("levels:"):
            inside = True
        elif inside and line[:1] not in ("", " ", "#", "-"):
            break
        elif inside and (match := _LEVEL_ID.search(line)):
            found.setdefault(match.group(1), number)
    return found


_LEVEL_ID = re.compile(r"""\bid:\s*["']?([a-z0-9][a-z0-9_-]*)""")


@standards.command("list")
@click.option(
    "--root",
    default="standards",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder holding <id>/<version>.yaml files.",
)
def list_standards(root: str) -> None:
    """List every standard version under ROOT with its status and content hash."""
    rows = [("ID", "VERSION", "STATUS", "EFFECTIVE", "CRITERIA", "HASH")]
    problems: list[Problem] = []
    for path in version_files(root):
        try:
            s = load_standard(path)
        except StandardFileError as exc:
            problems.extend(exc.problems)
            continue
        rows.append(
            (s.id, s.version, str(s.status), str(s.effective), str(len(s.criteria)), s.short_hash)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1)


@standards.command("diff")
@click.argument("old", type=click.Path(exists=True, dir_okay=False))
@click.argument("new", type=click.Path(exists=True, dir_okay=False))
def diff(old: str, new: str) -> None:
    """Show criteria added, removed, reworded, made stricter or looser between OLD and NEW."""
    loaded = []
    failed = False
    for path in (old, new):
        try:
            loaded.append(load_standard(path, check_location=False))
        except StandardFileError as exc:
            failed = True
            for problem in exc.problems:
                click.echo(str(problem), err=True)
    if failed:
        raise SystemExit(1)
    click.echo(diff_standards(loaded[0], loaded[1]).render())
