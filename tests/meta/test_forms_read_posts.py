"""Every post a view reads goes through a form class: no view picks fields out of
``request.form`` by hand (where a field's meaning, default and checks would then live)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BY_HAND = re.compile(r"request\.(form|values)\s*(\.get\(|\[|\.getlist\()|request\.values\b")


def test_views_read_posted_fields_only_through_forms():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / "accredit/web").rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if BY_HAND.search(line)
    ]
    assert found == [], "read the post through a form in accredit/forms:\n" + "\n".join(found)


def test_the_check_finds_a_field_read_by_hand():
    assert BY_HAND.search('scope = request.form.get("scope", "")')
    assert BY_HAND.search('body = request.form["body"]')
    assert not BY_HAND.search("form = PackForm(request.form)")
