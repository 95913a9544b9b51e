from datetime import date

from accredit.domain.assessments.actions import ActionStatus, due_date_problem, is_overdue

TODAY = date(2026, 11, 25)


def test_overdue_only_when_past_due_and_not_done() -> None:
    assert is_overdue(date(2026, 11, 24), ActionStatus.NOT_STARTED, TODAY)
    assert is_overdue(date(2026, 1, 1), ActionStatus.IN_PROGRESS, TODAY)
    assert not is_overdue(date(2026, 11, 24), ActionStatus.DONE, TODAY)
    assert not is_overdue(TODAY, ActionStatus.NOT_STARTED, TODAY)
    assert not is_overdue(None, ActionStatus.NOT_STARTED, TODAY)


def test_a_new_due_date_in_the_past_is_refused_but_an_unchanged_one_is_kept() -> None:
    assert due_date_problem(date(2026, 11, 24), TODAY) == "Due date must be today or in the future"
    assert due_date_problem(date(2026, 11, 24), TODAY, was=date(2026, 11, 24)) is None
    assert due_date_problem(TODAY, TODAY) is None
    assert due_date_problem(None, TODAY) is None


def test_every_status_has_a_label() -> None:
    assert [s.label for s in ActionStatus] == ["Not started", "In progress", "Done"]
