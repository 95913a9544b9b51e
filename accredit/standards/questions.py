"""Reading and checking one question: type, options, scoring, validation and show_if."""

from __future__ import annotations

import re

from yaml.nodes import Node

from accredit.domain.scoring.standard import (
    CHOICE_TYPES,
    EVIDENCE,
    YES_NO_OPTIONS,
    YES_PARTLY_NO_OPTIONS,
    ChoiceScoring,
    NumberScoring,
    Option,
    Question,
    QuestionType,
    Scoring,
    ServiceFact,
    Validation,
)
from accredit.standards.conditions import Scope, read_condition
from accredit.standards.nodes import Reader

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
QUESTION_KEYS = (
    "id",
    "text",
    "hint",
    "type",
    "options",
    "scoring",
    "scored",
    "validation",
    "show_if",
    "answered_by",
)
TYPES = tuple(t.value for t in QuestionType)
FACTS = tuple(f.value for f in ServiceFact)
_BUILT_IN = {QuestionType.YES_NO: YES_NO_OPTIONS, QuestionType.YES_PARTLY_NO: YES_PARTLY_NO_OPTIONS}
#: Sums of option scores this close to 1 count as 1 (three options of 1/3, or of 0.34).
TOLERANCE = 1e-6


def read_question(
    scope: Scope, node: Node, criterion_id: str, index: int, seen: dict[str, int]
) -> Question | None:
    """Parse one question of criterion `criterion_id`; `seen` maps question ids to lines."""
    r = scope.reader
    path = f"criteria {criterion_id}, question #{index + 1}"
    before = len(r.problems)
    m = r.mapping(node, path, QUESTION_KEYS, ("id", "text", "type"))
    if m is None:
        return None
    qid = r.ident(m.get("id"), path, ID, "question id")
    if qid is not None:
        path = f"criteria {criterion_id}, question {qid}"
        if qid == EVIDENCE:
            r.error(m["id"], path, f"'{EVIDENCE}' is reserved for the criterion's evidence key")
        elif qid in seen:
            r.error(m["id"], path, f"duplicate question id '{qid}' (first at line {seen[qid]})")
        else:
            seen[qid] = m["id"].start_mark.line + 1
    key = f"{criterion_id}/{qid}"
    text = r.text(m.get("text"), f"{path}, text")
    hint = r.text(m.get("hint"), f"{path}, hint", default="")
    raw_type = r.choice(m.get("type"), path, TYPES, "type")
    kind = QuestionType(raw_type) if raw_type is not None else None
    options = _options(scope, m.get("options"), kind, path) if kind is not None else ()
    scoring = _scoring(scope, m.get("scoring"), kind, path) if kind is not None else None
    scored = _scored(scope, m.get("scored"), kind, scoring, path)
    validation = _validation(scope, m.get("validation"), kind, path)
    show_if = read_condition(scope, m.get("show_if"), f"{path}, show_if", answers=True, current=key)
    answered_by = _answered_by(scope, m.get("answered_by"), kind, path)
    if kind is not None and scored and options is not None:
        _check_reachable(scope, node, kind, options, scoring, path)
    if len(r.problems) > before or qid is None or kind is None or options is None or not text:
        if qid is not None:
            scope.broken_questions.add(key)
        return None
    question = Question(
        id=qid,
        criterion_id=criterion_id,
        text=text or "",
        type=kind,
        hint=hint or "",
        options=options,
        scoring=scoring,
        scored=scored,
        validation=validation or Validation(),
        show_if=show_if,
        answered_by=answered_by,
    )
    scope.earlier[key] = question
    return question


def _options(
    scope: Scope, node: Node | None, kind: QuestionType, path: str
) -> tuple[Option, ...] | None:
    r = scope.reader
    if kind not in CHOICE_TYPES:
        if node is not None:
            r.error(node, path, f"options are only allowed on choice questions, not {kind}")
        return ()
    built_in = _BUILT_IN.get(kind)
    if node is None:
        if built_in is None:
            r.error(None, path, f"a {kind} question needs options")
            return None
        return built_in
    return _written_options(r, node, kind, built_in, path)


def _written_options(
    r: Reader, node: Node, kind: QuestionType, built_in: tuple[Option, ...] | None, path: str
) -> tuple[Option, ...] | None:
    """The options the author wrote. For a kind with built-in options they must name exactly
    those (labels, scores and hints may be changed), and come back in the built-in order."""
    items = r.sequence(node, f"{path}, options", non_empty=True)
    if not items:
        return None
    defaults = {o.value: o for o in built_in or ()}
    options: list[Option] = []
    lines: dict[str, int] = {}
    ok = True
    for i, item in enumerate(items):
        option = _option(r, item, f"{path}, option #{i + 1}", path, defaults, lines)
        if option is None:
            ok = False
            continue
        options.append(option)
    if built_in and ok and set(lines) != set(defaults):
        r.error(node, path, f"options of a {kind} question must be exactly {', '.join(defaults)}")
        return None
    if not ok:
        return None
    if built_in:  # keep the built-in order whatever order the author wrote
        by_value = {o.value: o for o in options}
        return tuple(by_value[v] for v in defaults)
    return tuple(options)


def _option(
    r: Reader,
    item: Node,
    where: str,
    path: str,
    defaults: dict[str, Option],
    lines: dict[str, int],
) -> Option | None:
    """One written option, or None (reported) when it is wrong. `defaults` holds the built-in
    options it may only restate (empty: any value); `lines` records where each value was first
    written, to report a duplicate."""
    required = ("value",) if defaults else ("value", "label")
    om = r.mapping(item, where, ("value", "label", "score", "hint"), required)
    if om is None:
        return None
    value = r.ident(om.get("value"), where, ID, "option value")
    if value is None:
        return None
    where = f"{path}, option {value}"
    if defaults and value not in defaults:
        r.error(om["value"], where, f"'{value}' is not one of {', '.join(defaults)}")
        return None
    if value in lines:
        r.error(om["value"], where, f"duplicate option '{value}' (first at line {lines[value]})")
        return None
    lines[value] = om["value"].start_mark.line + 1
    base = defaults.get(value)
    label = r.text(om.get("label"), f"{where}, label", default=base.label if base else None)
    score = r.number(
        om.get("score"),
        f"{where}, score",
        low=0,
        high=1,
        default=base.score if base else None,
    )
    hint = r.text(om.get("hint"), f"{where}, hint", default="")
    if label is None or ("score" in om and score is None) or hint is None:
        return None
    return Option(value, label, score, hint)


def _scoring(scope: Scope, node: Node | None, kind: QuestionType, path: str) -> Scoring | None:
    if node is None:
        return None
    where = f"{path}, scoring"
    if kind is QuestionType.NUMBER:
        return _number_scoring(scope.reader, node, where)
    if kind is QuestionType.MULTIPLE_CHOICE:
        return _choice_scoring(scope.reader, node, where)
    scope.reader.error(
        node, where, f"scoring is only for number and multiple_choice questions, not {kind}"
    )
    return None


def _number_scoring(r: Reader, node: Node, where: str) -> NumberScoring | None:
    keys = ("met_at_least", "partly_at_least", "met_at_most", "partly_at_most")
    m = r.mapping(node, where, keys)
    if m is None:
        return None
    v = {k: r.number(m.get(k), f"{where}, {k}") for k in keys}
    if any(k in m and v[k] is None for k in keys):
        return None
    if ("met_at_least" in m) == ("met_at_most" in m):
        r.error(node, where, "give exactly one of met_at_least or met_at_most")
        return None
    low, high = v["met_at_least"], v["met_at_most"]
    if "partly_at_most" in m and low is not None:
        r.error(m["partly_at_most"], where, "partly_at_most goes with met_at_most")
        return None
    if "partly_at_least" in m and high is not None:
        r.error(m["partly_at_least"], where, "partly_at_least goes with met_at_least")
        return None
    p_low, p_high = v["partly_at_least"], v["partly_at_most"]
    if low is not None and p_low is not None and p_low >= low:
        r.error(m["partly_at_least"], where, "partly_at_least must be below met_at_least")
        return None
    if high is not None and p_high is not None and p_high <= high:
        r.error(m["partly_at_most"], where, "partly_at_most must be above met_at_most")
        return None
    return NumberScoring(low, p_low, high, p_high)


def _choice_scoring(r: Reader, node: Node, where: str) -> ChoiceScoring | None:
    m = r.mapping(node, where, ("method", "met_at_least", "partly_at_least"))
    if m is None:
        return None
    method = (
        r.choice(m.get("method"), where, ("sum", "count"), "method") if "method" in m else "sum"
    )
    if method is None:
        return None
    if method == "sum":
        extra = [k for k in ("met_at_least", "partly_at_least") if k in m]
        if extra:
            r.error(m[extra[0]], where, f"{extra[0]} only applies to method: count")
            return None
        return ChoiceScoring("sum")
    if "met_at_least" not in m:
        r.error(node, where, "method: count needs met_at_least")
        return None
    met = r.number(m["met_at_least"], f"{where}, met_at_least", low=1, high=1000, integer=True)
    partly = r.number(
        m.get("partly_at_least"), f"{where}, partly_at_least", low=1, high=1000, integer=True
    )
    if met is None or ("partly_at_least" in m and partly is None):
        return None
    if partly is not None and partly >= met:
        r.error(m["partly_at_least"], where, "partly_at_least must be below met_at_least")
        return None
    return ChoiceScoring("count", int(met), int(partly) if partly is not None else None)


def _scored(
    scope: Scope, node: Node | None, kind: QuestionType | None, scoring: Scoring | None, path: str
) -> bool:
    flag = scope.reader.boolean(node, f"{path}, scored")
    if kind is None:
        return False
    if kind in CHOICE_TYPES:
        return flag is not False
    if kind is QuestionType.NUMBER:
        if flag is True and scoring is None:
            scope.reader.error(node, path, "a scored number question needs a scoring block")
        return scoring is not None and flag is not False
    if flag is True:
        scope.reader.error(node, path, f"{kind} questions cannot be scored")
    return False


def _answered_by(
    scope: Scope, node: Node | None, kind: QuestionType | None, path: str
) -> ServiceFact | None:
    """The service fact that answers the question (so nobody types it): yes/no questions only."""
    r = scope.reader
    if node is None:
        return None
    raw = r.choice(node, path, FACTS, "answered_by")
    if raw is None:
        return None
    if kind is not None and kind is not QuestionType.YES_NO:
        r.error(node, path, f"answered_by is only for yes_no questions, not {kind}")
        return None
    return ServiceFact(raw)


def _validation(
    scope: Scope, node: Node | None, kind: QuestionType | None, path: str
) -> Validation | None:
    r = scope.reader
    if node is None:
        return Validation()
    where = f"{path}, validation"
    m = r.mapping(node, where, ("required", "min", "max", "max_length"))
    if m is None:
        return None
    required = r.boolean(m.get("required"), f"{where}, required", default=True)
    counting = kind is QuestionType.MULTIPLE_CHOICE
    low = r.number(m.get("min"), f"{where}, min", integer=counting, low=0 if counting else None)
    high = r.number(m.get("max"), f"{where}, max", integer=counting, low=0 if counting else None)
    length = r.number(m.get("max_length"), f"{where}, max_length", integer=True, positive=True)
    for bound in ("min", "max"):
        if bound in m and kind not in (QuestionType.NUMBER, QuestionType.MULTIPLE_CHOICE, None):
            r.error(
                m[bound], where, f"{bound} only applies to number and multiple_choice questions"
            )
    if "max_length" in m and kind not in (QuestionType.TEXT, QuestionType.URL, None):
        r.error(m["max_length"], where, "max_length only applies to text and url questions")
    if low is not None and high is not None and low > high:
        r.error(m["min"], where, "min must not be greater than max")
    return Validation(
        required=required if required is not None else True,
        min=low,
        max=high,
        max_length=int(length) if length is not None else None,
    )


def _check_reachable(
    scope: Scope,
    node: Node,
    kind: QuestionType,
    options: tuple[Option, ...],
    scoring: Scoring | None,
    path: str,
) -> None:
    """A scored question must be able to score 1, or its criterion could never be met."""
    r = scope.reader
    if kind not in CHOICE_TYPES:
        return
    method = scoring.method if isinstance(scoring, ChoiceScoring) else "sum"
    if kind is QuestionType.MULTIPLE_CHOICE and method == "count":
        counted = sum(1 for o in options if o.score != 0)
        if isinstance(scoring, ChoiceScoring) and (scoring.met_at_least or 0) > counted:
            r.error(node, path, f"met_at_least is more than the {counted} options that count")
        return
    unscored = [o.value for o in options if o.score is None]
    if unscored:
        r.error(
            node,
            path,
            f"every option of a scored {kind} question needs a score: {', '.join(unscored)}",
        )
        return
    scores = [o.score or 0.0 for o in options]
    best = sum(scores) if kind is QuestionType.MULTIPLE_CHOICE else max(scores)
    if best < 1 - TOLERANCE:
        r.error(node, path, "no answer scores 1, so this question can never be fully met")
