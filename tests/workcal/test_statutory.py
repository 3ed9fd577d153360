"""Statutory holidays (pure, no database)."""

import datetime as dt

import pytest

from yichuang.core.errors import ValidationFailed
from yichuang.workcal import statutory
from yichuang.workcal.models import DayKind

D = dt.date


def test_lunar_dates_2030():
    holidays = statutory.statutory_holidays(2030)
    assert statutory.spring_festival(2030) == D(2030, 2, 3)
    assert holidays[D(2030, 2, 2)] == "春节"  # 除夕
    assert [d for d, n in sorted(holidays.items()) if n == "春节"] == [D(2030, 2, d) for d in (2, 3, 4, 5)]
    assert holidays[D(2030, 9, 12)] == "中秋节"
    assert holidays[D(2030, 6, 5)] == "端午节"
    assert holidays[D(2030, 4, 5)] == "清明节"


def test_provisional_year_has_the_eleven_statutory_days_plus_chuxi():
    days = statutory.provisional_days(2030)
    assert len(days) == 365
    holidays = [d for d in days if d.kind == DayKind.HOLIDAY]
    assert len(holidays) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3 (2025 revision)
    assert not any(d.kind in (DayKind.ADJUSTED_WORKDAY, DayKind.ADJUSTED_REST) for d in days)  # no 调休
    assert all(not d.is_workday for d in days if d.date.weekday() >= 5)


@pytest.mark.parametrize("year,day", [(2024, 4), (2025, 4), (2026, 5), (2027, 5), (2028, 4), (2030, 5)])
def test_qingming_solar_term(year, day):
    assert statutory.qingming(year) == D(year, 4, day)


def test_qingming_matches_official_schedules():
    for year in (2019, 2020, 2023, 2024, 2025):
        official = {d.date: d.name for d in statutory.official_days(year)}
        assert official[statutory.qingming(year)] == "清明节"


def test_chuxi_is_last_day_of_twelfth_month_even_when_it_is_the_29th():
    # 2025: lunar 12th month of 2024 has 29 days; 除夕 = 2025-01-28, 春节 = 01-29
    assert [d for d, n in statutory.statutory_holidays(2025).items() if n == "春节"][0] == D(2025, 1, 28)


def test_official_2026_kinds_in_chinese():
    days = {d.date: d for d in statutory.official_days(2026)}
    assert days[D(2026, 10, 1)].kind == DayKind.HOLIDAY and days[D(2026, 10, 1)].name == "国庆节"
    assert days[D(2026, 10, 10)].kind == DayKind.ADJUSTED_WORKDAY and days[D(2026, 10, 10)].is_workday
    assert days[D(2026, 2, 14)].name == "春节" and days[D(2026, 2, 14)].is_workday
    assert days[D(2026, 10, 6)].kind == DayKind.ADJUSTED_REST
    assert 2026 in statutory.official_years() and 2004 in statutory.official_years()


def test_out_of_range_year_is_a_domain_error():
    with pytest.raises(ValidationFailed):
        statutory.statutory_holidays(2100)


def test_mid_autumn_on_national_day_overlaps_without_extra_day():
    holidays = statutory.statutory_holidays(2031)  # 中秋 2031 falls on 1 October
    assert len(holidays) == 12
