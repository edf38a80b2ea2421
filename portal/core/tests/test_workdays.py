"""Working days follow China's official calendar: holidays are not counted, make-up Saturdays are."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from portal.core.workdays import add_workdays, is_workday, workdays_between


def test_national_day_holiday_is_not_a_working_day_and_a_make_up_saturday_is():
    assert not is_workday(date(2025, 10, 1))  # 国庆节, a Wednesday
    assert is_workday(date(2025, 9, 28))  # 调休上班, a Sunday
    assert not is_workday(date(2025, 10, 8))  # 中秋节 joined to the holiday, a Wednesday


def test_two_working_days_after_the_eve_of_national_day_skip_the_whole_holiday():
    assert add_workdays(date(2025, 9, 30), 2) == date(2025, 10, 10)
    assert workdays_between(date(2025, 9, 30), date(2025, 10, 10)) == 2


def test_a_year_without_an_announced_calendar_counts_monday_to_friday():
    assert is_workday(date(2099, 1, 5)) and not is_workday(date(2099, 1, 3))


@given(st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31)), st.integers(1, 30))
def test_adding_n_working_days_waits_exactly_n_working_days(start, count):
    end = add_workdays(start, count)
    assert is_workday(end)
    assert workdays_between(start, end) == count
    assert workdays_between(start, end - timedelta(days=1)) == count - 1


def test_a_review_is_due_two_working_days_after_the_local_day_of_submission():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portal.core.workdays import review_due

    # 23:30 on 30 September in Beijing is already 1 October in no time zone but UTC's 15:30.
    submitted = datetime(2025, 9, 30, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert review_due(submitted) == date(2025, 10, 10)


def test_a_review_is_overdue_after_two_working_days_counting_a_make_up_saturday():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from portal.core.workdays import is_overdue, last_workdays, review_age

    submitted = datetime(2025, 9, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert review_age(submitted, date(2025, 10, 8)) == 0  # the whole National Day holiday
    assert not is_overdue(submitted, date(2025, 10, 10))  # 9 and 10 October: two working days
    assert is_overdue(submitted, date(2025, 10, 11))  # Saturday 11 October is a make-up working day
    assert last_workdays(date(2025, 10, 12), 3) == [date(2025, 10, 11), date(2025, 10, 10), date(2025, 10, 9)]
