"""Turn a composed YAML document into a `Standard`, collecting every problem on the way.
The walk is schema-driven (one function per kind of mapping), reads the file top to bottom so
conditions can only see what came before them, and finishes with whole-standard checks such as
"every level is reachable".
"""

from __future__ import annotations

import re

from yaml.nodes import Node

from accredit.domain.scoring.standard import (
    Criterion,
    EvidenceSpec,
    Option,
    ProfileField,
    ProfileFieldType,
    Question,
    Section,
    Standard,
    StandardStatus,
)
from accredit.standards.conditions import PROFILE_ID, Scope, read_condition, satisfiable
from accredit.standards.nodes import Reader
from accredit.standards.questions import ID, read_question
from accredit.standards.readiness import Build, read_levels, read_readiness

SLUG = re.compile(r"[a-z0-9][a-z0-9_-]*")
TOP_KEYS = (
    "id",
    "title",
    "version",
    "status",
    "effective",
    "description",
    "owner",
    "profile_fields",
    "levels",
    "readiness",
    "sections",
)
TOP_REQUIRED = (
    "id",
    "title",
    "version",
    "status",
    "effective",
    "profile_fields",
    "levels",
    "sections",
)
CRITERION_KEYS = (
    "id",
    "title",
    "guidance",
    "level",
    "mandatory",
    "weight",
    "applies_if",
    "evidence",
    "tags",
    "questions",
)


def build_standard(reader: Reader, root: Node, content_hash: str) -> Standard | None:
    """The standard described by `root`, or None when `reader.problems` says why not."""
    build = Build(Scope(reader))
    r = reader
    top = r.mapping(root, "", TOP_KEYS, TOP_REQUIRED)
    if top is None:
        return None
    standard_id = r.ident(top.get("id"), "id", SLUG, "standard id")
    title = r.text(top.get("title"), "title")
    version = r.ident(top.get("version"), "version", ID, "version")
    status = r.choice(top.get("status"), "status", [s.value for s in StandardStatus], "status")
    effective = r.date(top.get("effective"), "effective")
    description = r.text(top.get("description"), "description", default="")
    owner = r.text(top.get("owner"), "owner")
    profile_fields = _profile_fields(build, top.get("profile_fields"))
    levels = read_levels(build, top.get("levels"))
    readiness = read_readiness(r, top.get("readiness"))
    sections = _sections(build, top.get("sections"))
    if sections is not None and build.levels_ok:
        _check_levels_reachable(build)
    if r.problems or not (
        standard_id and title and version and status and effective and sections and readiness
    ):
        return None
    return Standard(
        id=standard_id,
        title=title,
        version=version,
        status=StandardStatus(status),
        effective=effective,
        description=description or "",
        owner=owner.strip() if owner else None,
        profile_fields=profile_fields,
        levels=levels,
        readiness=readiness,
        sections=sections,
        content_hash=content_hash,
        source=r.source,
    )


def _profile_fields(build: Build, node: Node | None) -> tuple[ProfileField, ...]:
    r, scope = build.scope.reader, build.scope
    items = r.sequence(node, "profile_fields") if node is not None else []
    result = []
    for i, item in enumerate(items or []):
        path = f"profile field #{i + 1}"
        before = len(r.problems)
        m = r.mapping(
            item, path, ("id", "label", "type", "options", "hint"), ("id", "label", "type")
        )
        if m is None:
            continue
        field_id = r.ident(m.get("id"), path, PROFILE_ID, "profile field id")
        if field_id is not None:
            path = f"profile field {field_id}"
            if field_id in scope.profile or field_id in scope.broken_profile:
                r.error(m["id"], path, f"duplicate profile field '{field_id}'")
                continue
        label = r.text(m.get("label"), f"{path}, label")
        hint = r.text(m.get("hint"), f"{path}, hint", default="")
        raw_type = r.choice(m.get("type"), path, [t.value for t in ProfileFieldType], "type")
        options: tuple[Option, ...] = ()
        if raw_type == ProfileFieldType.CHOICE:
            options = _profile_options(r, m.get("options"), path)
        elif "options" in m:
            r.error(m["options"], path, "options are only allowed on choice fields")
        if field_id is None:
            continue
        if len(r.problems) > before or label is None or raw_type is None:
            scope.broken_profile.add(field_id)
            continue
        profile_field = ProfileField(
            field_id, label, ProfileFieldType(raw_type), options, hint or ""
        )
        scope.profile[field_id] = profile_field
        result.append(profile_field)
    return tuple(result)


def _profile_options(r: Reader, node: Node | None, path: str) -> tuple[Option, ...]:
    if node is None:
        r.error(None, path, "a choice field needs options")
        return ()
    options: list[Option] = []
    for i, item in enumerate(r.sequence(node, f"{path}, options", non_empty=True) or []):
        where = f"{path}, option #{i + 1}"
        if hasattr(item, "value") and isinstance(item.value, str):
            value = r.ident(item, where, ID, "option value")
            label = value
        else:
            m = r.mapping(item, where, ("value", "label"), ("value", "label"))
            if m is None:
                continue
            value = r.ident(m.get("value"), where, ID, "option value")
            label = r.text(m.get("label"), f"{where}, label")
        if value is None or label is None:
            continue
        if any(o.value == value for o in options):
            r.error(item, where, f"duplicate option '{value}'")
            continue
        options.append(Option(value, label))
    return tuple(options)


def _sections(build: Build, node: Node | None) -> tuple[Section, ...] | None:
    r = build.scope.reader
    if node is None:
        return None
    items = r.sequence(node, "sections", non_empty=True)
    if not items:
        return None
    seen: dict[str, int] = {}
    result = []
    for i, item in enumerate(items):
        path = f"section #{i + 1}"
        keys = ("id", "title", "description", "alignment", "criteria")
        m = r.mapping(item, path, keys, ("id", "title", "criteria"))
        if m is None:
            continue
        section_id = r.ident(m.get("id"), path, SLUG, "section id")
        if section_id is not None:
            path = f"section {section_id}"
            if section_id in seen:
                r.error(
                    m["id"],
                    path,
                    f"duplicate section id '{section_id}' (first at line {seen[section_id]})",
                )
            seen[section_id] = m["id"].start_mark.line + 1
        title = r.text(m.get("title"), f"{path}, title")
        description = r.text(m.get("description"), f"{path}, description", default="")
        alignment = r.text(m.get("alignment"), f"{path}, alignment", default="")
        criteria_nodes = (
            r.sequence(m["criteria"], f"{path}, criteria", non_empty=True)
            if "criteria" in m
            else []
        )
        criteria = [
            _criterion(build, c, section_id or "", path, j)
            for j, c in enumerate(criteria_nodes or [])
        ]
        if section_id and title and description is not None and alignment is not None:
            built = tuple(c for c in criteria if c is not None)
            result.append(Section(section_id, title, built, description, alignment))
    return tuple(result)


def _criterion(
    build: Build, node: Node, section_id: str, section_path: str, index: int
) -> Criterion | None:
    scope = build.scope
    r = scope.reader
    path = f"{section_path}, criteria #{index + 1}"
    before = len(r.problems)
    m = r.mapping(node, path, CRITERION_KEYS, ("id", "title", "level", "questions"))
    if m is None:
        return None
    criterion_id = r.ident(m.get("id"), path, ID, "criterion id")
    if criterion_id is not None:
        path = f"criteria {criterion_id}"
        if criterion_id in build.criterion_lines:
            first = build.criterion_lines[criterion_id]
            r.error(
                m["id"], path, f"duplicate criterion id '{criterion_id}' (first at line {first})"
            )
        else:
            build.criterion_lines[criterion_id] = m["id"].start_mark.line + 1
    title = r.text(m.get("title"), f"{path}, title")
    guidance = r.text(m.get("guidance"), f"{path}, guidance", default="")
    level = None
    if build.levels_ok:
        level = r.choice(m.get("level"), path, build.levels, "level")
        if level is not None:
            build.levels_used.add(level)
    mandatory = r.boolean(m.get("mandatory"), f"{path}, mandatory", default=False)
    weight = r.number(m.get("weight"), f"{path}, weight", default=1.0, positive=True)
    applies_if = read_condition(scope, m.get("applies_if"), f"{path}, applies_if", answers=False)
    if applies_if is not None and not satisfiable(applies_if, scope.profile):
        r.error(m["applies_if"], f"{path}, applies_if", "can never be true for any organisation")
    evidence = _evidence(r, m.get("evidence"), path)
    tags = _texts(r, m.get("tags"), f"{path}, tags")
    questions: list[Question | None] = []
    if criterion_id is not None and "questions" in m:
        seen: dict[str, int] = {}
        for j, q in enumerate(
            r.sequence(m["questions"], f"{path}, questions", non_empty=True) or []
        ):
            questions.append(read_question(scope, q, criterion_id, j, seen))
        built = [q for q in questions if q is not None]
        if len(built) == len(questions) and questions and not any(q.scored for q in built):
            r.error(m["questions"], path, "has no scored question, so it could never be met")
    if (
        len(r.problems) > before
        or criterion_id is None
        or level is None
        or title is None
        or weight is None
        or evidence is None
        or tags is None
    ):
        return None
    return Criterion(
        id=criterion_id,
        section_id=section_id,
        title=title,
        level=level,
        questions=tuple(q for q in questions if q is not None),
        guidance=guidance or "",
        mandatory=bool(mandatory),
        weight=weight,
        applies_if=applies_if,
        evidence=evidence,
        tags=tags,
    )


def _evidence(r: Reader, node: Node | None, path: str) -> EvidenceSpec | None:
    if node is None:
        return EvidenceSpec()
    m = r.mapping(node, f"{path}, evidence", ("required", "examples"))
    if m is None:
        return None
    required = r.boolean(m.get("required"), f"{path}, evidence, required", default=False)
    examples = _texts(r, m.get("examples"), f"{path}, evidence, examples")
    if required is None or examples is None:
        return None
    return EvidenceSpec(required, examples)


def _texts(r: Reader, node: Node | None, path: str) -> tuple[str, ...] | None:
    if node is None:
        return ()
    items = r.sequence(node, path)
    if items is None:
        return None
    texts = [r.text(item, path) for item in items]
    if any(t is None for t in texts):
        return None
    return tuple(t for t in texts if t is not None)


def _check_levels_reachable(build: Build) -> None:
    """Each level needs a criterion of its own.
    Criteria that can never apply (unsatisfiable `applies_if`) or never be met (no scored question,
    no option scoring 1) are reported where they are defined, so a level with any valid criterion is
    reachable.
    """
    r = build.scope.reader
    for level_id, node in build.levels.items():
        if level_id not in build.levels_used:
            r.error(node, f"level {level_id}", "has no criteria, so it can never be achieved")
