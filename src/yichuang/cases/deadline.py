"""办结时限: due dates, remaining working days and the deadline light.

- The clock starts on the acceptance date (for a deemed acceptance under the 5-day rule: the day of receipt).
- Due date = acceptance date + (promised working days + extension days + suspended working days).
- Legal due date likewise with the legal limit.
- Light (DESIGN.md): red when the due date has passed; yellow when at most 1/3 of the limit or at most
  2 working days are left; green otherwise.

All working-day arithmetic goes through ``yichuang.workcal.workdays``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yichuang.workcal.workdays import add_workdays, workdays_between

from .constants import Light

YELLOW_MIN_WORKDAYS = 2


@dataclass(frozen=True)
class DueDates:
    due_date: dt.date
    legal_due_date: dt.date
    provisional: bool


def due_dates(*, start: dt.date, promised_days: int, legal_days: int, suspended_workdays: int = 0,
              extension_days: int = 0) -> DueDates:
    due = add_workdays(start, promised_days + extension_days + suspended_workdays)
    legal = add_workdays(start, max(legal_days, promised_days) + extension_days + suspended_workdays)
    return DueDates(due.value, legal.value, due.provisional or legal.provisional)


def clock_fields(case, start: dt.date) -> dict:
    """What a case records when its clock (re)starts on ``start``: due dates from its limits, the working days
    suspended and its extension."""
    d = due_dates(start=start, promised_days=case.promised_days, legal_days=case.legal_days,
                  suspended_workdays=case.suspended_workdays, extension_days=case.extension_days)
    return {"due_date": d.due_date, "legal_due_date": d.legal_due_date, "provisional": d.provisional}


def remaining_workdays(*, due_date: dt.date, today: dt.date) -> int:
    """Working days left after today up to and including the due date (0 on the due date; negative once past)."""
    return workdays_between(today, due_date).value


def light_for(*, remaining: int, limit_days: int, overdue: bool) -> Light:
    """The pure rule, given the remaining working days and the limit (promised + extension)."""
    if overdue:
        return Light.RED
    if remaining <= YELLOW_MIN_WORKDAYS or remaining * 3 <= limit_days:
        return Light.YELLOW
    return Light.GREEN


def light(*, due_date: dt.date, today: dt.date, limit_days: int) -> Light:
    overdue = today > due_date
    return light_for(remaining=max(remaining_workdays(due_date=due_date, today=today), 0), limit_days=limit_days,
                     overdue=overdue)
