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


# ---- through the services, with hand-computed dates (official 2026 schedule) ----


def test_national_day_2026_with_a_suspension_hand_computed(world):
    """Accepted Mon 28 Sep 2026, promised 10, legal 20 working days. 国庆 1–7 Oct is off, Sat 10 Oct is a
    make-up working day. Promised: 29, 30 Sep, 8, 9, 10, 12, 13, 14, 15, 16 Oct → 16 Oct.
    Suspended 30 Sep → resumed 9 Oct: the working days 8 and 9 Oct (2) → 19, 20 Oct.
    Legal: 20 working days → 30 Oct, +2 → 3 Nov."""
    from yichuang.cases import services as cs

    from .conftest import accepted_case

    case = accepted_case(world, today=dt.date(2026, 9, 28))
    assert case.due_date == dt.date(2026, 10, 16)
    case = cs.case_suspend(case=case, actor=world.approver, reason="site_inspection", today=dt.date(2026, 9, 30))
    case = cs.case_resume(case=case, actor=world.approver, today=dt.date(2026, 10, 9))
    assert case.suspended_workdays == 2
    assert case.due_date == dt.date(2026, 10, 20)
    assert case.legal_due_date == dt.date(2026, 11, 3)
    assert not case.provisional


def test_spring_festival_2026_with_two_suspensions_hand_computed(world):
    """Accepted Tue 10 Feb 2026, promised 10. 春节 15–23 Feb is off; Sat 14 and Sat 28 Feb are make-up
    working days. Promised: 11, 12, 13, 14, 24, 25, 26, 27, 28 Feb, 2 Mar → 2 Mar.
    Suspended 12 → 25 Feb: 13, 14, 24, 25 Feb (4) → 6 Mar. Suspended again 2 → 4 Mar (3, 4 Mar: 2) → 10 Mar."""
    from yichuang.cases import services as cs

    from .conftest import accepted_case

    case = accepted_case(world, today=dt.date(2026, 2, 10))
    assert case.due_date == dt.date(2026, 3, 2)
    case = cs.case_suspend(case=case, actor=world.approver, reason="expert_review", today=dt.date(2026, 2, 12))
    case = cs.case_resume(case=case, actor=world.approver, today=dt.date(2026, 2, 25))
    assert (case.suspended_workdays, case.due_date) == (4, dt.date(2026, 3, 6))
    case = cs.case_suspend(case=case, actor=world.approver, reason="publicity", today=dt.date(2026, 3, 2))
    case = cs.case_resume(case=case, actor=world.approver, today=dt.date(2026, 3, 4))
    assert (case.suspended_workdays, case.due_date) == (6, dt.date(2026, 3, 10))
