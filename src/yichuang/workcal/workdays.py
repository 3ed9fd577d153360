"""Working-day arithmetic — the one module every deadline goes through.

Interface (stable; other apps call only these):

- ``add_workdays(start: date, n: int) -> WorkdayResult``: the n-th working day after ``start``
  (``start`` itself not counted; n == 0 returns ``start``). ``result.provisional`` is True when any day
  consulted lies in a year without an official/imported schedule.
- ``workdays_between(start: date, end: date) -> WorkdayResult``: number of working days in (start, end]
  (negative if end < start), same provisional flag; ``result.value`` is an int.
- ``is_workday(day: date) -> bool``

How it works: a year is a sorted tuple of the ordinals of its working days. A year with rows in the
work calendar (official from chinese-calendar, or imported by an administrator) uses them; any other year
is computed from the statutory holidays plus weekends (see :mod:`yichuang.workcal.statutory`) and is
*provisional*. Arithmetic is pure (:class:`Calendar`) and runs in O(log n) per year through ``bisect``.

The loaded calendar is cached per process. Every ``WORKCAL_RECHECK_SECONDS`` (default 2 s) one cheap
query (count and latest ``CalendarYear.updated_at``) checks whether any process changed the calendar; the
services of this app also invalidate the cache at once, so an edit is seen immediately in the editing
process and within the recheck interval everywhere else.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max

from yichuang.core.errors import ValidationFailed

from . import statutory
from .models import CalendarDay, CalendarYear

T = TypeVar("T")


@dataclass(frozen=True)
class WorkdayResult(Generic[T]):
    value: T
    provisional: bool = False


@dataclass(frozen=True)
class YearDays:
    """One year of the calendar: the ordinals of its working days, and whether it is provisional."""

    year: int
    work: tuple[int, ...]
    provisional: bool

    def __post_init__(self):
        object.__setattr__(self, "_set", frozenset(self.work))

    def is_workday(self, day: dt.date) -> bool:
        return day.toordinal() in self._set  # type: ignore[attr-defined]


class Calendar:
    """Pure working-day arithmetic over years supplied by ``loader(year) -> YearDays``."""

    def __init__(self, loader: Callable[[int], YearDays]):
        self._loader = loader
        self._years: dict[int, YearDays] = {}

    def year(self, year: int) -> YearDays:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._loader(year)
        return found

    def is_workday(self, day: dt.date) -> bool:
        return self.year(day.year).is_workday(day)

    def add_workdays(self, start: dt.date, n: int) -> WorkdayResult[dt.date]:
        if n == 0:
            return WorkdayResult(start, False)
        ordinal, year = start.toordinal(), start.year
        data = self.year(year)
        provisional = data.provisional
        if n > 0:
            idx, left = bisect_right(data.work, ordinal), n
            while left > len(data.work) - idx:
                left -= len(data.work) - idx
                year += 1
                data = self.year(year)
                provisional = provisional or data.provisional
                idx = 0
            return WorkdayResult(dt.date.fromordinal(data.work[idx + left - 1]), provisional)
        idx, left = bisect_left(data.work, ordinal), -n
        while left > idx:
            left -= idx
            year -= 1
            data = self.year(year)
            provisional = provisional or data.provisional
            idx = len(data.work)
        return WorkdayResult(dt.date.fromordinal(data.work[idx - left]), provisional)

    def workdays_between(self, start: dt.date, end: dt.date) -> WorkdayResult[int]:
        if end < start:
            r = self.workdays_between(end, start)
            return WorkdayResult(-r.value, r.provisional)
        first = self.year(start.year)
        provisional = first.provisional
        if start.year == end.year:
            count = bisect_right(first.work, end.toordinal()) - bisect_right(first.work, start.toordinal())
            return WorkdayResult(count, provisional)
        count = len(first.work) - bisect_right(first.work, start.toordinal())
        for year in range(start.year + 1, end.year):
            data = self.year(year)
            count += len(data.work)
            provisional = provisional or data.provisional
        last = self.year(end.year)
        count += bisect_right(last.work, end.toordinal())
        return WorkdayResult(count, provisional or last.provisional)


# --- the process-wide calendar loaded from the database -------------------------------------------------

MAX_SPAN = 25_000  # about a century of working days
_lock = threading.Lock()
_current: Calendar | None = None
_version: tuple | None = None
_checked_at = 0.0


def _db_version() -> tuple:
    agg = CalendarYear.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return agg["n"], agg["m"]


def _db_loader(year: int) -> YearDays:
    statutory.check_year(year)
    source = CalendarYear.objects.filter(year=year).values_list("source", flat=True).first()
    if source is None:
        days = statutory.provisional_days(year)
        return YearDays(year, tuple(d.date.toordinal() for d in days if d.is_workday), True)
    flags = {d.date: d.is_workday for d in statutory.provisional_days(year)}  # fills any day without a row
    rows = CalendarDay.objects.filter(date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    flags.update(rows.values_list("date", "is_workday"))
    work = tuple(sorted(d.toordinal() for d, w in flags.items() if w))
    return YearDays(year, work, source == "provisional")


def _builtin_loader(year: int) -> YearDays:
    """No calendar tables (database not migrated yet): the schedules chinese-calendar ships, else provisional."""
    statutory.check_year(year)
    official = year in statutory.official_years()
    days = statutory.official_days(year) if official else statutory.provisional_days(year)
    return YearDays(year, tuple(d.date.toordinal() for d in days if d.is_workday), not official)


def _recheck_seconds() -> float:
    return float(getattr(settings, "WORKCAL_RECHECK_SECONDS", 2.0))


def current_calendar() -> Calendar:
    """The cached calendar, reloaded when the database version changed."""
    global _current, _version, _checked_at
    now = time.monotonic()
    cal = _current
    if cal is not None and now - _checked_at < _recheck_seconds():
        return cal
    with _lock:
        try:
            version = _db_version()
        except DatabaseError:  # tables missing: still answer from the built-in schedules, re-check next time
            return Calendar(_builtin_loader)
        if _current is None or version != _version:
            _current, _version = Calendar(_db_loader), version
        _checked_at = now
        return _current


def invalidate() -> None:
    """Drop the cached calendar (called by the services after an edit or import)."""
    global _current, _version
    with _lock:
        _current, _version = None, None


def _guard(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (OverflowError, ValueError) as exc:
            raise ValidationFailed("日期超出工作日历支持的范围", f"Date outside the supported range: {exc}") from exc
    return wrapper


@_guard
def is_workday(day: dt.date) -> bool:
    return current_calendar().is_workday(day)


@_guard
def add_workdays(start: dt.date, n: int) -> WorkdayResult[dt.date]:
    """The n-th working day after ``start`` (``start`` not counted); negative n counts backwards."""
    if abs(n) > MAX_SPAN:
        raise ValidationFailed(f"天数过大：{n}（最多 {MAX_SPAN} 个工作日）", f"n too large: {n}")
    return current_calendar().add_workdays(start, n)


@_guard
def workdays_between(start: dt.date, end: dt.date) -> WorkdayResult[int]:
    """Working days in (start, end]; negative when end < start."""
    return current_calendar().workdays_between(start, end)
