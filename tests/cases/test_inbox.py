"""The department inbox: the handling department copied onto the case, the light filters (narrowed in SQL) against
the light of every row, and the number of queries per step (no timings here: see bench/)."""

from __future__ import annotations

import datetime as dt

import pytest

from yichuang.cases import selectors as sel
from yichuang.cases import services as cs
from yichuang.cases.models import Case
from yichuang.catalog import services as cat
from yichuang.workcal.workdays import add_workdays

from .conftest import accepted_case, receive

pytestmark = pytest.mark.django_db

BASE = dt.date(2026, 9, 1)  # the weeks before 国庆 (a long run of days off) and the adjusted working days


def test_department_is_copied_at_receipt_and_forwarding(world):
    case = receive(world)
    assert case.department_id == world.dept.pk
    # The matter moves to another department before forwarding: the case follows it to that back office.
    cat.matter_save(spec={"department": "ZJ", "domain": "enterprise", "matter_type": "licensing",
                          "implementation_code": "M-FOOD", "name": "食品经营许可", "legal_limit_days": 20,
                          "promised_limit_days": 10})
    case = cs.case_forward(case=case, actor=world.clerk)
    assert Case.objects.get(pk=case.pk).department_id == world.dept2.pk
    assert [r["number"] for r in sel.case_inbox(user=world.other_approver)] == [case.number]
    assert sel.case_inbox(user=world.approver) == []


def _lights_world(w):
    """Accepted cases over several weeks (limits 10 and 10 + extension), some suspended at various dates."""
    cases = []
    for i in range(24):
        accepted_on = BASE + dt.timedelta(days=2 * i)
        case = accepted_case(w, today=accepted_on, seq=i + 1)
        if i % 5 == 1:
            case = cs.case_extend(case=case, actor=w.approver, days=10, approved_by=w.supervisor, reason="复杂")
        if i % 4 == 2:
            case = cs.case_suspend(case=case, actor=w.approver, reason="site_inspection",
                                   today=accepted_on + dt.timedelta(days=i % 9))
        cases.append(case)
    return cases


@pytest.mark.parametrize("light", ["red", "yellow", "green"])
def test_light_filter_matches_the_light_of_every_row(world, light):
    _lights_world(world)
    for offset_days in range(0, 70, 3):
        today = BASE + dt.timedelta(days=offset_days)
        everything = sel.case_inbox(user=world.approver, today=today, limit=200)
        expected = [r["number"] for r in everything if r["light"] == light]
        # The same light as the detail computes (open suspension read without the inbox annotation).
        for r in everything:
            lt = sel.case_light(case=sel.case_get(number=r["number"]), today=today)
            assert (lt.value if lt else None) == r["light"]
        got = [r["number"] for r in sel.case_inbox(user=world.approver, today=today, light_filter=light, limit=200)]
        assert got == expected, (today, light)
        # Pages of 5 give the same rows in the same order.
        paged, page = [], 0
        while True:
            rows = sel.case_inbox(user=world.approver, today=today, light_filter=light, limit=5, offset=5 * page)
            paged += [r["number"] for r in rows]
            if len(rows) < 5:
                break
            page += 1
        assert paged == expected
        # With a state filter, only that state's rows.
        suspended = [r["number"] for r in everything if r["light"] == light and r["state"] == "suspended"]
        got = sel.case_inbox(user=world.approver, today=today, light_filter=light, state="suspended", limit=200)
        assert [r["number"] for r in got] == suspended


def test_inbox_unfiltered_and_by_state_in_due_order(world):
    cases = _lights_world(world)
    fresh = cs.case_forward(case=receive(world, seq=900), actor=world.clerk)
    rows = sel.case_inbox(user=world.approver, today=BASE + dt.timedelta(days=30), limit=200)
    assert rows[-1]["number"] == fresh.number  # no due date: last
    dues = [r["due_date"] for r in rows[:-1]]
    assert dues == sorted(dues) and len(rows) == len(cases) + 1
    assert [r["number"] for r in sel.case_inbox(user=world.approver, state="forwarded")] == [fresh.number]
    assert sel.case_inbox(user=world.other_approver) == []


def test_queries_per_step(world, django_assert_max_num_queries, settings):
    """Each step reads and writes a bounded number of rows (the benchmark depends on it). The counts include the
    two statements that open and close the step's transaction (a savepoint inside the test's transaction)."""
    settings.WORKCAL_RECHECK_SECONDS = 3600
    receive(world, seq=1)  # the daily counter row exists
    add_workdays(BASE, 1)  # the work calendar is loaded (once per process)
    with django_assert_max_num_queries(12):  # + the applicant's valid e-licences (免提交)
        case = receive(world, seq=2)
    with django_assert_max_num_queries(9):
        case = cs.case_forward(case=case, actor=world.clerk)
    with django_assert_max_num_queries(15):
        case = cs.case_accept(case=case, actor=world.approver)
    # + the version snapshot (result e-licence), + one-thing membership, + the 决定书's 文号 (documents.numbering: its
    # row looked up, the department's yearly counter drawn, the department's settings and centre read, the number
    # written in a savepoint of its own)
    with django_assert_max_num_queries(22):
        cs.case_approve(case=case, actor=world.approver)
