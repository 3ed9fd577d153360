"""Statutory holidays of 《全国年节及纪念日放假办法》 (2025 revision) and the official schedules we ship.

Two sources of days, both pure (no database):

- :func:`official_days` — the State Council schedule for the years the ``chinese-calendar`` package
  knows (holidays, 调休 weekend working days, weekday rest days given in lieu);
- :func:`provisional_days` — for a year without a published schedule: weekends plus the statutory
  holidays of the current 办法 (fixed dates, lunar dates through ``lunardate``, 清明 as the solar term),
  without 调休, because the State Council only publishes the swaps each autumn for the next year.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import chinese_calendar
from chinese_calendar import constants as cc_constants
from lunardate import LunarDate

from yichuang.core.errors import ValidationFailed

from .models import DayKind

ONE_DAY = dt.timedelta(days=1)
#: lunardate covers lunar years 1900–2099; the solar-term formula 1900–2100.
MIN_YEAR, MAX_YEAR = 1901, 2099

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class DaySpec(NamedTuple):
    date: dt.date
    is_workday: bool
    kind: str
    name: str = ""


def official_years() -> list[int]:
    """Years whose schedule chinese-calendar ships (every holiday year it lists)."""
    return sorted({d.year for d in cc_constants.holidays})


def _year_dates(year: int):
    day, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    while day <= end:
        yield day
        day += ONE_DAY


def _zh(name) -> str:
    value = getattr(name, "value", name) or ""
    return HOLIDAY_NAMES_ZH.get(value, value)


def official_days(year: int) -> list[DaySpec]:
    if year not in official_years():
        raise ValidationFailed(f"内置日历不含 {year} 年的官方安排", f"No built-in official schedule for {year}")
    holidays, workdays, in_lieu = cc_constants.holidays, cc_constants.workdays, cc_constants.in_lieu_days
    out = []
    for day in _year_dates(year):
        if day in workdays:
            out.append(DaySpec(day, True, DayKind.ADJUSTED_WORKDAY, _zh(workdays[day])))
        elif day in in_lieu:
            out.append(DaySpec(day, False, DayKind.ADJUSTED_REST, _zh(in_lieu[day])))
        elif day in holidays:
            out.append(DaySpec(day, False, DayKind.HOLIDAY, _zh(holidays[day])))
        elif day.weekday() >= 5:
            out.append(DaySpec(day, False, DayKind.WEEKEND))
        else:
            out.append(DaySpec(day, True, DayKind.WORKDAY))
    return out


def check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(f"日期超出工作日历支持的范围（{MIN_YEAR}–{MAX_YEAR} 年）：{year}",
                               f"Year {year} outside the supported range {MIN_YEAR}-{MAX_YEAR}")


def spring_festival(year: int) -> dt.date:
    """正月初一 of the lunar year that starts in Gregorian ``year``."""
    return LunarDate(year, 1, 1).to_solar_date()


def qingming(year: int) -> dt.date:
    """清明: the day of the 清明 solar term (4 or 5 April)."""
    for day, term in chinese_calendar.get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30)):
        if term == "清明":
            return day
    raise AssertionError(f"no 清明 in {year}")  # pragma: no cover


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The statutory holiday dates in Gregorian ``year`` under the 2025 revision of the 办法."""
    check_year(year)
    found: dict[dt.date, str] = {dt.date(year, 1, 1): "元旦"}
    for lunar_year in (year - 1, year):
        if lunar_year + 1 > MAX_YEAR or lunar_year < MIN_YEAR - 1:
            continue
        # 春节 4 days: 除夕 (the last day of the 12th lunar month, 29th or 30th) to 正月初三.
        first = LunarDate(lunar_year + 1, 1, 1).to_solar_date()
        for offset in range(-1, 3):
            day = first + dt.timedelta(days=offset)
            if day.year == year:
                found[day] = "春节"
    found[qingming(year)] = "清明节"
    found[dt.date(year, 5, 1)] = found[dt.date(year, 5, 2)] = "劳动节"
    found[LunarDate(year, 5, 5).to_solar_date()] = "端午节"
    found[LunarDate(year, 8, 15).to_solar_date()] = "中秋节"
    for d in (1, 2, 3):
        found[dt.date(year, 10, d)] = "国庆节"
    return found


def provisional_days(year: int) -> list[DaySpec]:
    holidays = statutory_holidays(year)
    out = []
    for day in _year_dates(year):
        if day in holidays:
            out.append(DaySpec(day, False, DayKind.HOLIDAY, holidays[day]))
        elif day.weekday() >= 5:
            out.append(DaySpec(day, False, DayKind.WEEKEND))
        else:
            out.append(DaySpec(day, True, DayKind.WORKDAY))
    return out


def seed_missing_official_years(*, year_model, day_model, using: str = "default") -> list[int]:
    """Bulk-insert the official years that have no row yet (used by the data migration and after a flush).

    Takes the model classes so the migration can pass its historical models. A year that is present
    (official, imported or edited) is never touched.
    """
    present = set(year_model.objects.using(using).values_list("year", flat=True))
    missing = [y for y in official_years() if y not in present]
    if not missing:
        return []
    days = [day_model(date=d.date, is_workday=d.is_workday, kind=str(d.kind), name=d.name)
            for y in missing for d in official_days(y)]
    # a stray day row (e.g. left by a partial delete) must not break the insert
    dates = [d.date for d in days]
    day_model.objects.using(using).filter(date__range=(min(dates), max(dates)),
                                          date__year__in=missing).delete()
    year_model.objects.using(using).bulk_create([year_model(year=y, source="official") for y in missing])
    day_model.objects.using(using).bulk_create(days, batch_size=1000)
    return missing
