"""Working-day arithmetic over the seeded calendar, with hypothesis properties."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from yichuang.workcal import workdays
from yichuang.workcal.models import CalendarDay, CalendarYear
from yichuang.workcal.workdays import add_workdays, is_workday, workdays_between

D = dt.date
pytestmark = pytest.mark.django_db


def test_must_show_example_through_the_command():
    out = StringIO()
    call_command("workdays", "add", "2026-09-24", "5", stdout=out)
    assert out.getvalue().strip() == "2026-10-09"


def test_national_day_2026():
    assert add_workdays(D(2026, 9, 30), 1) == workdays.WorkdayResult(D(2026, 10, 8), False)
    assert workdays_between(D(2026, 9, 30), D(2026, 10, 8)).value == 1
    assert not is_workday(D(2026, 10, 5))


def test_spring_festival_2026_and_tiaoxiu_saturday():
    assert is_workday(D(2026, 2, 14))  # Saturday, 调休上班
    assert add_workdays(D(2026, 2, 13), 1).value == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 14), 1).value == D(2026, 2, 24)
    assert is_workday(D(2026, 10, 10))  # Saturday after 国庆
    assert add_workdays(D(2026, 10, 9), 1).value == D(2026, 10, 10)


def test_spring_festival_2025_official():
    assert add_workdays(D(2025, 1, 27), 1).value == D(2025, 2, 5)
    assert is_workday(D(2025, 1, 26))  # Sunday 调休上班


def test_provisional_beyond_the_official_schedule():
    r = add_workdays(D(2030, 9, 24), 5)
    assert r.provisional
    # 2030: 中秋 9-12; 国庆 10-01..03 (Tue-Thu), no 调休: 25,26,27,30 Sep, 4 Oct
    assert r.value == D(2030, 10, 4)
    assert not is_workday(D(2030, 2, 2)) and not is_workday(D(2030, 2, 5))  # 除夕 .. 初三
    assert not is_workday(D(2030, 9, 12))  # 中秋
    assert workdays_between(D(2026, 12, 1), D(2027, 1, 10)).provisional
    assert not workdays_between(D(2026, 1, 1), D(2026, 12, 31)).provisional


def test_result_depending_on_provisional_year_printed_provisional():
    out = StringIO()
    call_command("workdays", "add", "2026-12-30", "3", stdout=out)
    assert out.getvalue().strip() == "2027-01-05 provisional"  # 2027-01-01 元旦 (Fri)


def test_zero_and_negative():
    assert add_workdays(D(2026, 10, 3), 0).value == D(2026, 10, 3)
    assert add_workdays(D(2026, 10, 8), -1).value == D(2026, 9, 30)
    assert workdays_between(D(2026, 10, 8), D(2026, 9, 30)).value == -1


def test_cache_sees_an_edit_made_elsewhere(settings):
    settings.WORKCAL_RECHECK_SECONDS = 0
    assert is_workday(D(2026, 3, 3))
    # another process edits the day and touches its year (what the services do)
    CalendarDay.objects.filter(date=D(2026, 3, 3)).update(is_workday=False, kind="holiday")
    CalendarYear.objects.get(year=2026).save()
    assert not is_workday(D(2026, 3, 3))


dates = st.dates(min_value=D(2004, 1, 1), max_value=D(2035, 12, 31))
steps = st.integers(min_value=0, max_value=400)
prop = hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@prop
@given(dates, st.integers(min_value=1, max_value=400))
def test_result_is_a_workday(d, n):
    assert is_workday(add_workdays(d, n).value)
    assert is_workday(add_workdays(d, -n).value)


@prop
@given(dates, steps)
def test_between_inverts_add(d, n):
    r = add_workdays(d, n)
    assert workdays_between(d, r.value).value == n
    assert r.value >= d


@prop
@given(dates, steps)
def test_monotonic_in_n(d, n):
    assert add_workdays(d, n).value < add_workdays(d, n + 1).value


@prop
@given(dates, steps)
def test_add_then_subtract(d, n):
    there = add_workdays(d, n).value
    back = add_workdays(there, -n).value
    if n == 0:
        assert back == d
    else:  # lands on the last working day not after d (d itself when d is a working day)
        assert back <= d and is_workday(back)
        assert workdays_between(back, d).value == 0


@prop
@given(dates, dates)
def test_between_is_antisymmetric_and_additive(a, b):
    assert workdays_between(a, b).value == -workdays_between(b, a).value
    mid = min(a, b) + (max(a, b) - min(a, b)) / 2
    lo, hi = min(a, b), max(a, b)
    assert workdays_between(lo, hi).value == workdays_between(lo, mid).value + workdays_between(mid, hi).value


@prop
@given(dates, steps)
def test_provisional_iff_a_consulted_year_is_not_official(d, n):
    r = add_workdays(d, n)
    expected = n > 0 and any(y > 2026 for y in range(d.year, r.value.year + 1))
    assert r.provisional == expected


@prop
@given(dates, st.integers(min_value=-120, max_value=120))
def test_matches_a_naive_day_by_day_walk(d, n):
    day, step, left = d, (1 if n >= 0 else -1), abs(n)
    while left:
        day += dt.timedelta(days=step)
        left -= is_workday(day)
    assert add_workdays(d, n).value == day


def test_pure_calendar_without_database():
    from yichuang.workcal.workdays import Calendar, _builtin_loader

    cal = Calendar(_builtin_loader)
    assert cal.add_workdays(D(2026, 9, 24), 5) == workdays.WorkdayResult(D(2026, 10, 9), False)
    assert cal.add_workdays(D(2030, 9, 24), 5) == workdays.WorkdayResult(D(2030, 10, 4), True)


def test_console_script_bad_date_exit_1_without_traceback(capsys):
    from yichuang.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["yichuang", "workdays", "add", "2026-13-01", "5"])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "日期无效" in err and "Traceback" not in err


def test_console_script_must_show(capsys):
    from yichuang.cli import main

    main(["yichuang", "workdays", "add", "2026-09-24", "5"])
    assert capsys.readouterr().out.strip() == "2026-10-09"
