"""Chinese working days (工作日): the State Council's yearly public holidays and make-up workdays
(调休), from the chinese-calendar library, which follows each year's 国务院办公厅 notice.

A year the library has no notice for yet (the next year's calendar is announced in November or
December) counts Monday to Friday as working days; upgrading the pinned library brings the new
year in.
"""

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


# Pure functions of their dates (the calendar is the pinned library's): a review list asks the
# same few dates on every row and page, and an old filing's age is a walk over its days.
@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """Whether `day` is a working day in mainland China (make-up Saturdays included)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: date, count: int) -> date:
    """The `count`-th working day after `start` (count ≥ 1); `start` itself is not counted.
    Raises ValueError for count < 1."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = start
    while count:
        day += timedelta(days=1)
        count -= is_workday(day)
    return day


@lru_cache(maxsize=4096)
def workdays_between(start: date, end: date) -> int:
    """How many working days come after `start` up to and including `end` (0 when end ≤ start):
    the age, in working days, of something that has waited since `start`."""
    return sum(is_workday(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


# The manual: "审核周期为1-2个工作日".
REVIEW_WORKDAYS = 2


def last_workdays(today: date, count: int) -> list[date]:
    """The `count` most recent working days up to and including `today`, newest first. A thing
    that waited since day d has waited k working days (`workdays_between(d, today)`) exactly when
    result[k] ≤ d < result[k - 1] (result[-1] read as "after today"): the date ranges behind the
    age columns of the review lists and the programme desk."""
    days, day = [], today
    while len(days) < count:
        if is_workday(day):
            days.append(day)
        day -= timedelta(days=1)
    return days


def review_due(submitted_at) -> date:
    """The day a review of something submitted at `submitted_at` (an aware datetime) is due:
    the REVIEW_WORKDAYS-th working day after the local day it was submitted."""
    from django.utils import timezone

    return add_workdays(timezone.localdate(submitted_at), REVIEW_WORKDAYS)


def review_age(submitted_at, today: date | None = None) -> int:
    """How many working days something submitted at `submitted_at` (an aware datetime) has
    waited by `today` (default: the local today): 0 on the day itself."""
    from django.utils import timezone

    return workdays_between(timezone.localdate(submitted_at), today or timezone.localdate())


def is_overdue(submitted_at, today: date | None = None) -> bool:
    """Whether a review has waited more than REVIEW_WORKDAYS working days (the manual's 1–2)."""
    return review_age(submitted_at, today) > REVIEW_WORKDAYS
