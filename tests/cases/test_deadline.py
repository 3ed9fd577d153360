"""Deadline arithmetic and lights. Tests that cross holidays compute expectations through add_workdays so
they hold once the real work calendar (国庆/春节, 调休) replaces the weekend stub."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yichuang.cases.constants import Light
from yichuang.cases.deadline import due_dates, light, light_for, remaining_workdays
from yichuang.workcal.workdays import add_workdays

# The real work calendar may read the database; keep each example's span short.
pytestmark = pytest.mark.django_db
dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))
offsets = st.integers(min_value=-60, max_value=60)


def test_due_date_across_a_weekend_hard_coded():
    # Accepted Thursday 2026-11-19; 3 working days: Fri 20, Mon 23, Tue 24.
    d = due_dates(start=dt.date(2026, 11, 19), promised_days=3, legal_days=20)
    assert d.due_date == dt.date(2026, 11, 24)


def test_due_date_across_national_day_via_calendar():
    # CALENDAR-DEPENDENT: 国庆 2026; the expectation follows add_workdays (real calendar once merged).
    start = dt.date(2026, 9, 28)
    d = due_dates(start=start, promised_days=10, legal_days=20, suspended_workdays=2, extension_days=3)
    assert d.due_date == add_workdays(start, 15).value
    assert d.legal_due_date == add_workdays(start, 25).value


def test_due_date_across_spring_festival_via_calendar():
    # CALENDAR-DEPENDENT: 春节 2027.
    start = dt.date(2027, 2, 1)
    assert due_dates(start=start, promised_days=20, legal_days=20).due_date == add_workdays(start, 20).value


@settings(max_examples=60, deadline=None)
@given(due=dates, offset=offsets, limit=st.integers(min_value=0, max_value=60))
def test_red_iff_overdue(due, offset, limit):
    today = due + dt.timedelta(days=offset)
    assert (light(due_date=due, today=today, limit_days=limit) == Light.RED) == (today > due)


@given(remaining=st.integers(min_value=0, max_value=100), limit=st.integers(min_value=0, max_value=100))
def test_yellow_thresholds(remaining, limit):
    got = light_for(remaining=remaining, limit_days=limit, overdue=False)
    expected_yellow = remaining <= 2 or remaining <= limit / 3
    assert got == (Light.YELLOW if expected_yellow else Light.GREEN)


@given(remaining=st.integers(min_value=-50, max_value=100), limit=st.integers(min_value=0, max_value=100))
def test_overdue_is_always_red(remaining, limit):
    assert light_for(remaining=remaining, limit_days=limit, overdue=True) == Light.RED


@settings(max_examples=60, deadline=None)
@given(start=dates, n=st.integers(min_value=0, max_value=40))
def test_remaining_on_due_date_is_zero_and_counts_down(start, n):
    due = add_workdays(start, n).value
    assert remaining_workdays(due_date=due, today=due) == 0
    assert remaining_workdays(due_date=due, today=start) == n


def test_light_examples():
    due = dt.date(2026, 11, 30)  # Monday
    assert light(due_date=due, today=dt.date(2026, 11, 16), limit_days=20) == Light.GREEN   # 10 left
    assert light(due_date=due, today=dt.date(2026, 11, 24), limit_days=20) == Light.YELLOW  # 4 left ≤ 20/3
    assert light(due_date=due, today=dt.date(2026, 11, 27), limit_days=60) == Light.YELLOW  # 1 left
    assert light(due_date=due, today=dt.date(2026, 12, 1), limit_days=20) == Light.RED
