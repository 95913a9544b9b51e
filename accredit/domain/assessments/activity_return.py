"""The annual activity return: what it asks, how a financial year is named, and the checks a
return must pass. Pure Python.

The questions are data (``FIELDS``) so the form, the read-only page, the exports and the
dashboard totals all follow one list. A return is collected, not scored: the checks only keep
the figures whole, non-negative and consistent with each other (a part is never more than its
total), so national totals add up.

HEE's widening participation groups overlap with other questions: 16 to 18 year olds are an
age band, and care-experienced people and people with additional needs are asked once, among
the widening participation groups. Each thing is asked once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

#: The first financial year a return can be made for (HEE's national figures are 2017/18).
FIRST_YEAR = 2017
DRAFT = "draft"
SUBMITTED = "submitted"

#: Largest figure accepted, by unit: generous for the largest trust, small enough to catch
#: a typing slip (and to keep sums well inside a 64-bit integer).
MAXIMUM = {"people": 1_000_000, "days": 10_000_000, "hours": 10_000_000, "pounds": 100_000_000}


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    label: str
    #: How the figure is named inside a sentence ("cannot be more than ...").
    short: str
    hint: str
    group: str
    #: The field (or derived total in ``DERIVED``) this figure is a part of, if any.
    part_of: str | None = None
    unit: str = "people"

    @property
    def maximum(self) -> int:
        return MAXIMUM[self.unit]

    @property
    def subject(self) -> str:
        """The short name starting a sentence."""
        return self.short[:1].upper() + self.short[1:]


@dataclass(frozen=True, slots=True)
class Group:
    """A fieldset on the form."""

    id: str
    title: str
    hint: str


@dataclass(frozen=True, slots=True)
class SumRule:
    """Parts that between them cannot be more than a total (each person counted once)."""

    parts: tuple[str, ...]
    total: str
    #: How the parts are named together ("The formats add up to ...").
    name: str


GROUPS = (
    Group("people", "People taking part", "Count each person once for each kind of activity."),
    Group(
        "formats",
        "Work experience placements by format",
        "Count each placement under one format: the one that describes most of it.",
    ),
    Group(
        "ages", "Work experience placements by age", "The person's age when the placement began."
    ),
    Group("selection", "Applications and offers", "For work experience placements."),
    Group(
        "widening",
        "Widening participation",
        "People taking part in any of the three kinds of activity. A person can be in more "
        "than one group.",
    ),
    Group("hosting", "Host departments and supervisors", ""),
    Group("satisfaction", "Evaluation and satisfaction", ""),
    Group(
        "destinations",
        "Destinations",
        "What people went on to do, 6 and 12 months after taking part.",
    ),
    Group("costs", "Costs and staff time", "In whole pounds and whole hours."),
)

_ALL = "all_participants"
WE = "work_experience_placements"


def _f(name: str, label: str, short: str, hint: str, group: str, **more: str) -> Field:
    return Field(name, label, short, hint, group, **more)


FIELDS: tuple[Field, ...] = (
    _f(WE, "Work experience placements", "work experience placements",
       "Placements of any length, including role shadowing.", "people"),
    _f("work_related_learning_participants", "Work related learning participants",
       "work related learning participants",
       "Careers and skills events, open days and tours, without a placement.", "people"),
    _f("employability_participants", "Employability programme participants",
       "employability programme participants",
       "People on schemes combining training and work experience that lead to jobs.",
       "people"),
    _f("placement_days", "Placement days", "placement days",
       "Days spent on work experience placements, added up over every placement.", "people",
       unit="days"),
    _f("format_in_person", "In person", "in person placements", "", "formats", part_of=WE),
    _f("format_virtual", "Virtual", "virtual placements", "", "formats", part_of=WE),
    _f("format_insight_day", "Insight days", "insight days", "", "formats", part_of=WE),
    _f("format_shadowing", "Shadowing", "shadowing placements", "", "formats", part_of=WE),
    _f("format_t_level", "T Level placements", "T Level placements", "", "formats",
       part_of=WE),
    _f("age_under_16", "Under 16", "placements for under 16s", "", "ages", part_of=WE),
    _f("age_14_to_15", "Of those under 16, aged 14 or 15", "placements for 14 and 15 year olds",
       "One of HEE's widening participation groups.", "ages", part_of="age_under_16"),
    _f("age_16_to_18", "16 to 18", "placements for 16 to 18 year olds", "", "ages", part_of=WE),
    _f("age_19_plus", "19 or over", "placements for people 19 or over", "", "ages", part_of=WE),
    _f("applications_received", "Applications received", "applications received", "",
       "selection"),
    _f("places_offered", "Places offered", "places offered", "", "selection",
       part_of="applications_received"),
    _f("wp_most_deprived", "From the most deprived areas", "people from the most deprived areas",
       "Living in the most deprived fifth of areas (quintile 1 of the Index of Multiple "
       "Deprivation).", "widening", part_of=_ALL),
    _f("wp_care_experienced", "Care-experienced people", "care-experienced people", "",
       "widening", part_of=_ALL),
    _f("wp_additional_needs", "People with additional needs", "people with additional needs",
       "Special educational needs or disabilities.", "widening", part_of=_ALL),
    _f("wp_veterans", "Veterans", "veterans", "", "widening", part_of=_ALL),
    _f("wp_prison_leavers", "Prison leavers", "prison leavers", "", "widening", part_of=_ALL),
    _f("wp_resettled_refugees", "Resettled refugees", "resettled refugees", "", "widening",
       part_of=_ALL),
    _f("wp_unemployed", "Unemployed people", "unemployed people", "", "widening", part_of=_ALL),
    _f("wp_career_changers", "Career changers", "career changers", "", "widening",
       part_of=_ALL),
    _f("host_departments", "Host departments", "host departments",
       "Departments or teams that hosted at least one placement.", "hosting"),
    _f("trained_supervisors", "Trained supervisors", "trained supervisors",
       "Supervisors briefed or trained to supervise learners.", "hosting"),
    _f("evaluations_returned", "Evaluations returned", "evaluations returned",
       "Evaluation forms completed by people taking part.", "satisfaction", part_of=_ALL),
    _f("evaluations_satisfied", "Satisfied", "satisfied people",
       "Evaluations saying the person was satisfied or very satisfied.", "satisfaction",
       part_of="evaluations_returned"),
    _f("destinations_known_6_months", "Destinations known at 6 months",
       "destinations known at 6 months", "", "destinations", part_of=_ALL),
    _f("destinations_positive_6_months",
       "In work, education, training or an apprenticeship at 6 months",
       "people in work, education or training at 6 months", "", "destinations",
       part_of="destinations_known_6_months"),
    _f("destinations_known_12_months", "Destinations known at 12 months",
       "destinations known at 12 months", "", "destinations", part_of=_ALL),
    _f("destinations_positive_12_months",
       "In work, education, training or an apprenticeship at 12 months",
       "people in work, education or training at 12 months", "", "destinations",
       part_of="destinations_known_12_months"),
    _f("total_cost", "Total cost, in pounds", "the total cost",
       "Everything spent on the three kinds of activity: staff, materials, travel, uniforms.",
       "costs", unit="pounds"),
    _f("employability_cost", "Cost of employability programmes, in pounds",
       "the cost of employability programmes",
       "The part of the total spent on employability programmes, for the return on "
       "investment estimate.", "costs", part_of="total_cost", unit="pounds"),
    _f("staff_hours", "Staff time, in hours", "staff time",
       "Hours staff spent organising, supervising and evaluating.", "costs", unit="hours"),
)  # fmt: skip

BY_NAME = {f.name: f for f in FIELDS}
NAMES = tuple(f.name for f in FIELDS)

#: Totals worked out from other fields: (fields added up, how the total is named).
DERIVED: dict[str, tuple[tuple[str, ...], str]] = {
    _ALL: (
        (WE, "work_related_learning_participants", "employability_participants"),
        "the people taking part in all three kinds of activity",
    ),
}

SUM_RULES = (
    SumRule(
        ("format_in_person", "format_virtual", "format_insight_day", "format_shadowing",
         "format_t_level"),
        WE,
        "The formats",
    ),
    SumRule(("age_under_16", "age_16_to_18", "age_19_plus"), WE, "The age bands"),
)  # fmt: skip

Figures = dict[str, int | None]


def fields_in(group: str) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.group == group)


# --- Financial years ------------------------------------------------------------------------


def financial_year(day: date) -> int:
    """The financial year a day falls in, named by the year it starts (April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(year: int) -> str:
    """2025 -> "2025 to 2026" (the NHS.UK style for a span of years)."""
    return f"{year} to {year + 1}"


def open_years(today: date) -> range:
    """The years a return can be made for: from ``FIRST_YEAR`` to the current one."""
    return range(FIRST_YEAR, financial_year(today) + 1)


# --- Checking a return ----------------------------------------------------------------------


def _parse(field: Field, text: str | None) -> tuple[int | None, str | None]:
    """A figure as typed: the number, or the message saying what is wrong with it."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    if field.unit == "pounds":
        cleaned = cleaned.removeprefix("£")
    if not cleaned:
        return None, None
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("+-")
    if not digits.isascii() or not digits.isdigit() or len(digits) > len(str(field.maximum)):
        if digits.isascii() and digits.isdigit():
            return None, f"{field.subject} must be {field.maximum:,} or fewer"
        decimal = digits.replace(".", "", 1)
        if decimal.isascii() and decimal.isdigit():
            return None, f"{field.subject} must be a whole number, without a decimal point"
        return None, f"Enter a whole number for {field.short}, like 120"
    if sign < 0 and int(digits) != 0:
        return None, f"{field.subject} cannot be negative"
    value = int(digits)
    if value > field.maximum:
        return None, f"{field.subject} must be {field.maximum:,} or fewer"
    return value, None


def total_value(figures: Mapping[str, int | None], total: str) -> int | None:
    """A field's figure, or a derived total when all of its fields are known."""
    if total in DERIVED:
        parts = [figures.get(name) for name in DERIVED[total][0]]
        return None if any(v is None for v in parts) else sum(v or 0 for v in parts)
    return figures.get(total)


def total_name(total: str) -> str:
    return DERIVED[total][1] if total in DERIVED else BY_NAME[total].short


def validate(
    raw: Mapping[str, str | None], *, complete: bool = False
) -> tuple[Figures, dict[str, str]]:
    """Check a return as typed: the figures (None where blank or wrong) and a message per field
    that is wrong, in form order. A draft may leave figures blank; ``complete`` (submitting)
    needs every one. Relations are checked only between figures that are themselves valid."""
    figures, errors = _parse_all(raw)
    _check_parts(figures, errors)
    _check_sums(figures, errors)
    if complete:  # blanks last, so the figures given are still checked against each other
        _check_blanks(figures, errors)
    order = {name: i for i, name in enumerate(NAMES)}
    return figures, dict(sorted(errors.items(), key=lambda item: order[item[0]]))


def _parse_all(raw: Mapping[str, str | None]) -> tuple[Figures, dict[str, str]]:
    """Every figure as typed, and a message for each that does not parse."""
    figures: Figures = {}
    errors: dict[str, str] = {}
    for field in FIELDS:
        value, problem = _parse(field, raw.get(field.name))
        figures[field.name] = value
        if problem:
            errors[field.name] = problem
    return figures, errors


def _check_parts(figures: Figures, errors: dict[str, str]) -> None:
    """A figure that is part of a total may not exceed it (only valid figures are compared)."""
    for field in FIELDS:
        value = figures[field.name]
        if field.part_of is None or value is None or field.name in errors:
            continue
        total = total_value(figures, field.part_of)
        if total is not None and value > total:
            errors[field.name] = (
                f"{field.subject} ({value:,}) cannot be more than {total_name(field.part_of)} "
                f"({total:,})"
            )


def _check_sums(figures: Figures, errors: dict[str, str]) -> None:
    """Parts that add up to more than their total: one message, on the first part, and only
    when no part already has a message of its own."""
    for rule in SUM_RULES:
        total = figures.get(rule.total)
        values = [figures.get(name) for name in rule.parts]
        known = [v for v in values if v is not None]
        if total is None or rule.total in errors or not known:
            continue
        if any(name in errors for name in rule.parts):
            continue  # the part's own message comes first
        added = sum(known)
        if added > total:
            first = rule.parts[0]
            errors.setdefault(
                first,
                f"{rule.name} add up to {added:,}, more than the {total:,} "
                f"{BY_NAME[rule.total].short}",
            )


def _check_blanks(figures: Figures, errors: dict[str, str]) -> None:
    """A submitted return needs every figure: a blank one without a message gets one."""
    for field in FIELDS:
        if figures[field.name] is None and field.name not in errors:
            errors[field.name] = _required(field)


def _required(field: Field) -> str:
    if field.unit == "pounds":
        return f"Enter {field.short} (0 if nothing was spent)"
    if field.unit == "hours":
        return f"Enter the {field.short} in hours (0 if none)"
    return f"Enter the number of {field.short} (0 if none)"


def as_text(figures: Mapping[str, object]) -> dict[str, str]:
    """Stored figures as the form shows them (blank for a figure not given yet)."""
    return {name: "" if figures.get(name) is None else str(figures.get(name)) for name in NAMES}


def completed(figures: Mapping[str, object]) -> int:
    """How many of the questions have a figure."""
    return sum(1 for name in NAMES if figures.get(name) is not None)


# --- Return on investment -------------------------------------------------------------------


def return_on_investment(cost: int, ratio: float) -> int:
    """What employability programmes are estimated to return on ``cost`` pounds: the cost
    recovered plus ``ratio`` for each pound (HEE's research put the ratio at 2.5)."""
    return round(cost * (1 + ratio))
