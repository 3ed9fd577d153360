"""Reads of the work calendar (工作日历)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import statutory
from .models import CalendarDay, CalendarYear, DayKind, YearSource


@dataclass(frozen=True)
class DayView:
    date: dt.date
    is_workday: bool
    kind: str
    kind_label: str
    name: str


@dataclass(frozen=True)
class YearView:
    year: int
    source: str
    source_label: str
    provisional: bool
    stored: bool
    days: list[DayView]


def calendar_year_get(*, year: int) -> YearView:
    """Every day of ``year`` with its flags; a year without rows is computed and marked provisional."""
    statutory.check_year(year)
    labels = dict(DayKind.choices)
    cal_year = CalendarYear.objects.filter(year=year).first()
    specs = {d.date: d for d in statutory.provisional_days(year)}
    if cal_year is not None:
        rows = CalendarDay.objects.filter(date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
        for r in rows.values_list("date", "is_workday", "kind", "name"):
            specs[r[0]] = statutory.DaySpec(*r)
    source = cal_year.source if cal_year else YearSource.PROVISIONAL
    days = [DayView(d.date, d.is_workday, d.kind, labels.get(d.kind, d.kind), d.name) for d in specs.values()]
    days.sort(key=lambda d: d.date)
    return YearView(year=year, source=source, source_label=YearSource(source).label,
                    provisional=source == YearSource.PROVISIONAL, stored=cal_year is not None, days=days)


def calendar_years_list() -> list[CalendarYear]:
    return list(CalendarYear.objects.all())
