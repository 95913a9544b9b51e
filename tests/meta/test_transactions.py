"""One transaction rule: only accredit.data.transactions commits or rolls back.

Anything else that writes says so with ``unit_of_work``/``commit_now``/``own_session``, so
when a request or a job commits is decided in one place (see that module's docstring).
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The rule itself, and Alembic's own connection while it migrates.
ALLOWED = {"accredit/data/transactions.py", "accredit/data/migrations/env.py"}
CALLS = re.compile(r"\.(commit|rollback)\(\)|\bdb\.transaction\(|\btransactional\b")


def test_only_the_transactions_module_commits_or_rolls_back():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("accredit", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path.relative_to(ROOT).as_posix() not in ALLOWED
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if CALLS.search(line)
    ]
    assert found == [], "commit through accredit.data.transactions:\n" + "\n".join(found)


def test_the_rule_is_installed_by_the_app_factory():
    source = (ROOT / "accredit/__init__.py").read_text()
    assert "transactions.install(app)" in source
