"""`standards` commands: check files, list what is installed, diff two versions.

A plain click group with no Flask dependency, so it runs in CI and pre-commit hooks as well as under
`flask standards ...` / `accredit standards ...` once registered on the app CLI.
"""

from __future__ import annotations

from pathlib import Path

import click

from accredit.domain.standard import Standard
from accredit.standards.diff import diff as diff_standards
from accredit.standards.loader import Problem, StandardFileError, load_standard


@click.group("standards")
def standards() -> None:
    """Check, list and compare standard version files."""


def _files(paths: tuple[str, ...]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(path.glob("*/*.yaml")) or sorted(path.glob("*.yaml")))
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
    """Validate standard files (or folders of them), listing every problem with its line."""
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
        click.echo(f"OK {path}: {_summary(standard)}")
    if bad:
        click.echo(
            f"{bad} of {len(files)} file{'s' if len(files) != 1 else ''} invalid "
            f"({len(problems)} problem{'s' if len(problems) != 1 else ''})",
            err=True,
        )
        raise SystemExit(1)


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
    for path in sorted(Path(root).glob("*/*.yaml")):
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
