"""How reaching a level changed between two versions of a standard, in words an organisation
reads on its task list when its next cycle starts on the newer version (`diff` says the same for
standards authors, in their terms)."""

from __future__ import annotations

from accredit.domain.scoring.standard import LevelRule, Standard


def _percent(value: float) -> str:
    return f"{value:g}%"


def level_changes(old: Standard, new: Standard) -> list[str]:
    """One sentence per change to the levels or the readiness rules, in the new version's
    level order; nothing when reaching a level works as before."""
    before = {level.id: level for level in old.levels}
    after_ids = {level.id for level in new.levels}
    lines: list[str] = []
    for n, level in enumerate(new.levels):
        was = before.get(level.id)
        if was is None:
            lines.append(f"{level.name} is a new level.")
            continue
        rule, old_rule = new.rule_for(level), old.rule_for(was)
        if rule != old_rule and n > 0:  # the first level has no levels below it to count
            lines.append(
                f"{level.name} is now reached on its own criteria: the criteria of the levels "
                "below it no longer count towards it."
                if rule is LevelRule.OWN
                else f"{level.name} is now reached on its criteria and those of the levels below "
                "it, counted together."
            )
        if level.threshold != was.threshold:
            lines.append(
                f"{level.name} now needs a score of {_percent(level.threshold)} "
                f"(it was {_percent(was.threshold)})."
            )
        if level.min_met != was.min_met:
            lines.append(
                f"{level.name} now needs at least {level.min_met} of its own criteria met."
                if level.min_met
                else f"{level.name} no longer needs a set number of its own criteria met."
            )
    lines.extend(
        f"{level.name} is no longer a level." for level in old.levels if level.id not in after_ids
    )
    return lines + _readiness_changes(old, new)


def _readiness_changes(old: Standard, new: Standard) -> list[str]:
    a, b = old.readiness, new.readiness
    lines: list[str] = []
    if a.partly_credit != b.partly_credit:
        lines.append(
            f'A "partly" answer now counts for {_percent(b.partly_credit * 100)} of a '
            f"criterion's weight (it was {_percent(a.partly_credit * 100)})."
        )
    if a.mandatory_must_be_met != b.mandatory_must_be_met:
        lines.append(
            "Every mandatory criterion of a level must now be met to reach it."
            if b.mandatory_must_be_met
            else "A level can now be reached with a mandatory criterion not met."
        )
    if a.partly_meets_mandatory != b.partly_meets_mandatory:
        lines.append(
            'A "partly" answer now meets a mandatory criterion.'
            if b.partly_meets_mandatory
            else 'A "partly" answer no longer meets a mandatory criterion.'
        )
    if a.evidence_required_for_met != b.evidence_required_for_met:
        lines.append(
            "A criterion that asks for evidence is now met only when the evidence is given."
            if b.evidence_required_for_met
            else "A criterion that asks for evidence can now be met before the evidence is given."
        )
    return lines
