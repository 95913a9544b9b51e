import pytest

from accredit.domain.cohorts.spreadsheet import neutralise


@pytest.mark.parametrize(
    "value", ["=1+1", "+44 20", "-2", "@SUM(A1)", "\tcmd", "\r=x", '=HYPERLINK("http://x")']
)
def test_formula_triggers_are_made_text(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Plain text", "1.5", "a=b", " =x", "'quoted"])
def test_other_values_are_unchanged(value: str) -> None:
    assert neutralise(value) == value
