"""The annual activity return's checks, field by field, and its financial years."""

from __future__ import annotations

from datetime import date

import pytest

from accredit.domain.assessments.activity_return import (
    BY_NAME,
    DERIVED,
    FIELDS,
    GROUPS,
    NAMES,
    SUM_RULES,
    financial_year,
    open_years,
    return_on_investment,
    validate,
    year_label,
)


def full(**changes: str) -> dict[str, str]:
    """A complete, consistent return, with some figures changed."""
    values = {name: "0" for name in NAMES}
    values.update(
        work_experience_placements="100",
        work_related_learning_participants="300",
        employability_participants="20",
        format_in_person="60",
        format_virtual="40",
        age_under_16="30",
        age_14_to_15="20",
        age_16_to_18="50",
        age_19_plus="20",
        applications_received="150",
        places_offered="100",
        evaluations_returned="80",
        evaluations_satisfied="70",
        total_cost="50000",
        employability_cost="20000",
    )
    values.update(changes)
    return values


def test_a_complete_consistent_return_passes_and_keeps_every_figure() -> None:
    figures, errors = validate(full(), complete=True)
    assert errors == {}
    assert figures["work_experience_placements"] == 100
    assert figures["total_cost"] == 50000
    assert set(figures) == set(NAMES)


def test_every_field_has_a_label_a_known_group_and_a_real_total() -> None:
    groups = {g.id for g in GROUPS}
    assert len(set(NAMES)) == len(NAMES)
    for field in FIELDS:
        assert field.label and field.short and field.group in groups
        assert field.part_of is None or field.part_of in BY_NAME or field.part_of in DERIVED
    for rule in SUM_RULES:
        assert rule.total in BY_NAME and all(part in BY_NAME for part in rule.parts)


def test_the_same_thing_is_never_asked_twice() -> None:
    labels = [f.label.lower() for f in FIELDS]
    assert len(labels) == len(set(labels))
    # HEE's 16 to 18 year olds are the age band; care experience and additional needs once.
    assert sum("care_experienced" in f.name for f in FIELDS) == 1
    assert sum("additional_needs" in f.name for f in FIELDS) == 1
    assert sum("16_to_18" in f.name for f in FIELDS) == 1


def test_a_draft_may_be_blank_or_partial() -> None:
    figures, errors = validate({})
    assert errors == {} and all(v is None for v in figures.values())
    figures, errors = validate({"work_experience_placements": "12", "placement_days": ""})
    assert errors == {} and figures["work_experience_placements"] == 12
    assert figures["placement_days"] is None


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_each_field_refuses_words_decimals_negatives_and_huge_numbers(field) -> None:
    name = field.name
    assert validate({name: "lots"})[1][name] == f"Enter a whole number for {field.short}, like 120"
    assert validate({name: "2.5"})[1][name] == (
        f"{field.subject} must be a whole number, without a decimal point"
    )
    assert validate({name: "-1"})[1][name] == f"{field.subject} cannot be negative"
    too_big = str(field.maximum + 1)
    assert validate({name: too_big})[1][name] == (
        f"{field.subject} must be {field.maximum:,} or fewer"
    )
    assert validate({name: "1" * 5000})[1][name] == (  # past what int() will read
        f"{field.subject} must be {field.maximum:,} or fewer"
    )
    assert validate({name: "²"})[1][name] == f"Enter a whole number for {field.short}, like 120"
    assert validate({name: "0"})[1] == {}
    figures, errors = validate({name: " 1,000 "})
    assert (name in errors) or figures[name] == 1000


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_each_field_is_required_on_submission(field) -> None:
    values = full()
    values[field.name] = "  "
    _, errors = validate(values, complete=True)
    assert list(errors) == [field.name]
    assert errors[field.name].startswith("Enter ")
    assert "(0 if" in errors[field.name]


def test_pounds_may_be_typed_with_a_pound_sign() -> None:
    figures, errors = validate({"total_cost": "£12,500"})
    assert errors == {} and figures["total_cost"] == 12500


PARTS = [f for f in FIELDS if f.part_of is not None]


@pytest.mark.parametrize("part", PARTS, ids=lambda f: f.name)
def test_a_part_bigger_than_its_total_is_an_error_on_the_part_naming_the_total(part) -> None:
    values = full()
    if part.part_of in DERIVED:
        fields, name = DERIVED[part.part_of]
        for total_field in fields:
            values[total_field] = "10"
        total, total_words = 30, name
    else:
        values[part.part_of] = "10"
        total, total_words = 10, BY_NAME[part.part_of].short
    # Keep everything else consistent, so only this part is wrong.
    for other in PARTS:
        if other is not part and other.name != part.part_of:
            values[other.name] = "0"
    values[part.name] = str(total + 1)
    _, errors = validate(values)
    assert part.name in errors, errors
    assert errors[part.name] == (
        f"{part.subject} ({total + 1:,}) cannot be more than {total_words} ({total:,})"
    )
    assert part.part_of not in errors
    values[part.name] = str(total)
    assert part.name not in validate(values)[1]


def test_offers_satisfaction_and_destinations_named_in_plain_words() -> None:
    _, errors = validate(full(places_offered="151"))
    assert errors == {
        "places_offered": "Places offered (151) cannot be more than applications received (150)"
    }
    _, errors = validate(full(evaluations_satisfied="81"))
    assert errors == {
        "evaluations_satisfied": "Satisfied people (81) cannot be more than evaluations "
        "returned (80)"
    }
    _, errors = validate(full(destinations_known_12_months="421"))
    assert errors == {
        "destinations_known_12_months": "Destinations known at 12 months (421) cannot be more "
        "than the people taking part in all three kinds of activity (420)"
    }


def test_a_part_is_not_checked_against_a_total_that_is_blank_or_wrong() -> None:
    assert validate({"places_offered": "50"})[1] == {}
    _, errors = validate({"applications_received": "x", "places_offered": "50"})
    assert list(errors) == ["applications_received"]
    # A derived total needs all of its fields.
    _, errors = validate({"work_experience_placements": "1", "wp_veterans": "5"})
    assert errors == {}


def test_formats_adding_up_past_placements_is_said_on_the_first_format() -> None:
    _, errors = validate(full(format_in_person="60", format_virtual="30", format_shadowing="20"))
    assert errors == {
        "format_in_person": "The formats add up to 110, more than the 100 work experience "
        "placements"
    }


def test_age_bands_adding_up_past_placements_is_said_on_the_first_band() -> None:
    _, errors = validate(full(age_under_16="40", age_16_to_18="50", age_19_plus="20"))
    assert errors == {
        "age_under_16": "The age bands add up to 110, more than the 100 work experience placements"
    }
    # 14 and 15 year olds are inside the under 16s, not another band.
    assert validate(full(age_14_to_15="30"))[1] == {}


def test_a_group_exactly_at_its_total_passes_and_a_draft_sums_what_it_has() -> None:
    assert validate(full(format_in_person="60", format_virtual="40"))[1] == {}
    _, errors = validate({"work_experience_placements": "10", "format_virtual": "11"})
    assert list(errors) == ["format_virtual"]  # the part's own message, not the sum's
    _, errors = validate(
        {"work_experience_placements": "10", "format_virtual": "6", "format_shadowing": "6"}
    )
    assert list(errors) == ["format_in_person"]


def test_errors_come_in_form_order() -> None:
    _, errors = validate({"staff_hours": "x", "work_experience_placements": "y"})
    assert list(errors) == ["work_experience_placements", "staff_hours"]


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2025, 12, 31), 2025),
        (date(2026, 1, 1), 2025),
    ],
)
def test_financial_years_run_april_to_march(day: date, year: int) -> None:
    assert financial_year(day) == year


def test_years_are_named_as_spans_and_open_up_to_this_one() -> None:
    assert year_label(2025) == "2025 to 2026"
    years = open_years(date(2026, 5, 1))
    assert years[0] == 2017 and years[-1] == 2026
    assert 2027 not in years


def test_return_on_investment_recovers_the_cost_plus_the_ratio() -> None:
    assert return_on_investment(1000, 2.5) == 3500
    assert return_on_investment(0, 2.5) == 0
    assert return_on_investment(1000, 1.0) == 2000


def test_on_submission_the_figures_given_are_still_checked_beside_the_blanks() -> None:
    _, errors = validate(
        {"work_experience_placements": "10", "format_in_person": "8", "format_virtual": "5"},
        complete=True,
    )
    assert errors["format_in_person"] == (
        "The formats add up to 13, more than the 10 work experience placements"
    )
    assert "format_virtual" not in errors  # given, and within its total
    assert errors["format_shadowing"] == "Enter the number of shadowing placements (0 if none)"
