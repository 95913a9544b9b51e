"""Reading `levels` and `readiness`: how each level is reached.

The level rule is data. `readiness.level_rule` (default `own`) says whether a level's weighted
score is taken over its own criteria or, with `cumulative`, over its own and every lower level's;
a level may override it with `rule`, ask for a number of its own criteria met (`min_met`), and say
what share of its own criteria `standards check` must find needed (`min_own_share`). Files written
before the rule had a name say `readiness: {cumulative: true|false}`, which is still read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yaml.nodes import Node

from accredit.domain.scoring.standard import Level, LevelRule, ReadinessRule
from accredit.standards.conditions import Scope
from accredit.standards.nodes import Reader

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
LEVEL_KEYS = (
    "id",
    "name",
    "colour",
    "threshold",
    "description",
    "rule",
    "min_met",
    "min_own_share",
)
RULES = [r.value for r in LevelRule]


@dataclass(slots=True)
class Build:
    """What validating one standard file has seen so far (levels by id, criteria's lines)."""

    scope: Scope
    levels: dict[str, Node] = field(default_factory=dict)
    levels_ok: bool = True
    criterion_lines: dict[str, int] = field(default_factory=dict)
    levels_used: set[str] = field(default_factory=set)


def read_levels(build: Build, node: Node | None) -> tuple[Level, ...]:
    r = build.scope.reader
    items = r.sequence(node, "levels", non_empty=True) if node is not None else None
    if not items:
        build.levels_ok = False
        return ()
    result = []
    for i, item in enumerate(items):
        path = f"level #{i + 1}"
        m = r.mapping(item, path, LEVEL_KEYS, ("id", "name", "colour", "threshold"))
        if m is None:
            build.levels_ok = False
            continue
        level_id = r.ident(m.get("id"), path, SLUG, "level id")
        if level_id is not None:
            path = f"level {level_id}"
            if level_id in build.levels:
                r.error(m["id"], path, f"duplicate level id '{level_id}'")
                continue
            build.levels[level_id] = item
        else:
            build.levels_ok = False
        before = len(r.problems)
        name = r.text(m.get("name"), f"{path}, name")
        colour = _colour(r, m.get("colour"), path)
        threshold = r.number(m.get("threshold"), f"{path}, threshold", low=0, high=100)
        description = r.text(m.get("description"), f"{path}, description", default="")
        rule = _rule(r, m.get("rule"), f"{path}, rule")
        min_met = r.number(
            m.get("min_met"), f"{path}, min_met", default=0, low=0, high=10_000, integer=True
        )
        share = r.number(m.get("min_own_share"), f"{path}, min_own_share", low=0, high=1)
        if len(r.problems) > before:
            continue
        if level_id and name and colour and threshold is not None and description is not None:
            result.append(
                Level(
                    level_id,
                    name,
                    colour,
                    threshold,
                    description,
                    rule=rule,
                    min_met=int(min_met or 0),
                    min_own_share=share,
                )
            )
    return tuple(result)


def _rule(r: Reader, node: Node | None, path: str) -> LevelRule | None:
    if node is None:
        return None
    value = r.choice(node, path, RULES, "level rule")
    return LevelRule(value) if value is not None else None


def _colour(r: Reader, node: Node | None, path: str) -> str | None:
    if node is None:
        return None
    if getattr(node, "tag", "").endswith(":null"):
        r.error(
            node, f"{path}, colour", 'expected "#RRGGBB" in quotes (an unquoted # starts a comment)'
        )
        return None
    colour = r.text(node, f"{path}, colour")
    if colour is not None and not COLOUR.fullmatch(colour):
        r.error(node, f"{path}, colour", f"colour '{colour}' must be written #RRGGBB")
        return None
    return colour


FLAGS = ("mandatory_must_be_met", "partly_meets_mandatory", "evidence_required_for_met")
READINESS_KEYS = ("level_rule", "cumulative", *FLAGS, "partly_credit", "min_own_share")


def read_readiness(r: Reader, node: Node | None) -> ReadinessRule | None:
    default = ReadinessRule()
    if node is None:
        return default
    m = r.mapping(node, "readiness", READINESS_KEYS)
    if m is None:
        return None
    before = len(r.problems)
    values = {k: r.boolean(m.get(k), f"readiness, {k}", default=getattr(default, k)) for k in FLAGS}
    credit = r.number(
        m.get("partly_credit"),
        "readiness, partly_credit",
        low=0,
        high=1,
        default=default.partly_credit,
    )
    share = r.number(
        m.get("min_own_share"),
        "readiness, min_own_share",
        low=0,
        high=1,
        default=default.min_own_share,
    )
    rule = _rule(r, m.get("level_rule"), "readiness, level_rule")
    if "cumulative" in m:
        cumulative = r.boolean(m["cumulative"], "readiness, cumulative")
        if "level_rule" in m:
            r.error(
                m["cumulative"],
                "readiness, cumulative",
                "give level_rule or the older cumulative, not both",
            )
        elif cumulative is not None:
            rule = LevelRule.CUMULATIVE if cumulative else LevelRule.OWN
    if len(r.problems) > before or credit is None or share is None:
        return None
    return ReadinessRule(
        level_rule=rule or default.level_rule,
        mandatory_must_be_met=bool(values["mandatory_must_be_met"]),
        partly_meets_mandatory=bool(values["partly_meets_mandatory"]),
        evidence_required_for_met=bool(values["evidence_required_for_met"]),
        partly_credit=credit,
        min_own_share=share,
    )
