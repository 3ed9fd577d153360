"""Working-day arithmetic — the one module every deadline goes through.

Interface (stable; other apps call only these):

- ``add_workdays(start: date, n: int) -> WorkdayResult``: the n-th working day after ``start``
  (``start`` itself not counted; n == 0 returns ``start``). ``result.provisional`` is True when any day
  consulted lies in a year without an official/imported schedule.
- ``workdays_between(start: date, end: date) -> WorkdayResult``: number of working days in (start, end]
  (negative if end < start), same provisional flag; ``result.value`` is an int.
- ``is_workday(day: date) -> bool``

STUB: weekends only. Replaced by the work-calendar implementation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class WorkdayResult(Generic[T]):
    value: T
    provisional: bool = False


def is_workday(day: dt.date) -> bool:
    return day.weekday() < 5


def add_workdays(start: dt.date, n: int) -> WorkdayResult[dt.date]:
    day, step, left = start, (1 if n >= 0 else -1), abs(n)
    while left:
        day += dt.timedelta(days=step)
        if is_workday(day):
            left -= 1
    return WorkdayResult(day, False)


def workdays_between(start: dt.date, end: dt.date) -> WorkdayResult[int]:
    if end < start:
        r = workdays_between(end, start)
        return WorkdayResult(-r.value, r.provisional)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return WorkdayResult(count, False)
