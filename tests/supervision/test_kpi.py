"""KPI values on a small data set computed by hand."""

import datetime as dt

from django.utils import timezone

from tests.cases.conftest import accepted_case
from yichuang.cases import services as cs
from yichuang.cases.models import Case
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.feedback import services as fb
from yichuang.feedback.models import Rating, Rectification
from yichuang.hall import services as hall
from yichuang.hall.models import Ticket, TicketEvent
from yichuang.supervision.kpi import kpi_dashboard, kpi_rollup

D = dt.date(2026, 11, 2)


def at(day_offset, h, m=0):
    return timezone.make_aware(dt.datetime.combine(D + dt.timedelta(days=day_offset), dt.time(h, m)))


def _ticket(w, domain, seq, issued, called, *, service_s=None, no_show=False):
    t = Ticket.objects.create(centre=w.centre, domain=domain, day=D, seq=seq, number=f"Q{seq:03d}",
                              issued_at=issued, queued_at=issued, state="done")
    TicketEvent.objects.create(ticket=t, centre_id=t.centre_id, kind="called", at=called, clerk=w.clerk)
    if service_s is not None:
        TicketEvent.objects.create(ticket=t, centre_id=t.centre_id, kind="finished", at=called + dt.timedelta(seconds=service_s),
                                   clerk=w.clerk, data={"service_seconds": service_s})
    if no_show:
        TicketEvent.objects.create(ticket=t, centre_id=t.centre_id, kind="no_show", at=called + dt.timedelta(minutes=5), clerk=w.clerk)
    return t


def build(w):
    domain = WindowDomain.objects.get(code="enterprise")
    hall.window_create(actor=None, centre=w.centre, number="1")
    hall.window_create(actor=None, centre=w.centre, number="2", window_type="department", department=w.dept)
    # waits 10, 30 (9 o'clock), 5, 15 (10 o'clock) minutes; services 10 and 20 minutes; one no-show
    _ticket(w, domain, 1, at(0, 9), at(0, 9, 10), service_s=600)
    _ticket(w, domain, 2, at(0, 9, 5), at(0, 9, 35), service_s=1200)
    _ticket(w, domain, 3, at(0, 10), at(0, 10, 5))
    _ticket(w, domain, 4, at(0, 10), at(0, 10, 15), no_show=True)
    # case A: 3 days, on time, 1 visit, rated 非常满意; case B: 20 days, overdue, 2 visits, rated 非常不满意
    a = cs.case_approve(case=accepted_case(w, seq=1), actor=w.approver)
    b = cs.case_approve(case=accepted_case(w, seq=2), actor=w.approver)
    Case.objects.filter(pk=a.pk).update(received_at=at(0, 9), decided_at=at(3, 9), due_date=D + dt.timedelta(14),
                                        visits=1)
    Case.objects.filter(pk=b.pk).update(received_at=at(0, 10), decided_at=at(20, 10), due_date=D + dt.timedelta(10),
                                        visits=2)
    ra = fb.rating_submit(case=a, level=5, code=fb.rating_code_issue(case=a))
    rb = fb.rating_submit(case=b, level=1, code=fb.rating_code_issue(case=b))
    Rating.objects.filter(pk=ra.pk).update(created_at=at(3, 12))
    Rating.objects.filter(pk=rb.pk).update(created_at=at(20, 12))
    Rectification.objects.filter(rating=rb).update(state="closed", closed_at=at(20, 16))
    for i in range(21):
        kpi_rollup(day=D + dt.timedelta(days=i))


def test_kpis_match_the_hand_computed_values(world):
    build(world)
    k = kpi_dashboard(start=D, end=D + dt.timedelta(days=20))
    assert k["tickets"] == 4 and k["served"] == 2
    assert k["wait_mean"] == 15.0                     # (10 + 30 + 5 + 15) / 4
    assert k["wait_p90"] == 30.0                      # the 4th of 4 waits falls in the ≤30 min bucket
    assert k["mean_service_minutes"] == 15.0          # (10 + 20) / 2
    assert k["no_show_rate"] == 0.25                  # 1 of 4 called
    assert [(r["hour"], r["mean"]) for r in k["wait_by_hour"]] == [(9, 20.0), (10, 10.0)]
    assert k["cases_received"] == 2 and k["cases_decided"] == 2
    assert k["mean_handling_days"] == 11.5            # (3 + 20) / 2
    assert k["overdue_rate"] == 0.5                   # B decided after its due date
    assert k["visits_per_case"] == 1.5                # (1 + 2) / 2
    assert k["satisfaction_rate"] == 0.5              # 非常满意 of 2 ratings
    assert k["rectification_rate"] == 1.0             # the one bad rating was rectified
    assert k["comprehensive_share"] == 0.5            # 1 general of 2 windows
    assert k["tongban_rate"] == 1.0                   # a general window serves every matter
    legal = sum(Matter.objects.values_list("legal_limit_days", flat=True))
    promised = sum(Matter.objects.filter(legal_limit_days__gt=0).values_list("promised_limit_days", flat=True))
    assert k["compression"] == round(1 - promised / legal, 4) == 0.6   # 1 − (10 + 0) / (20 + 5)
    assert k["departments"][0]["department"] == world.dept.name and k["departments"][0]["overdue_rate"] == 0.5
    assert k["clerks"][0]["served"] == 2
    # a range holding only the first day sees the tickets and receipts, not the decisions
    first = kpi_dashboard(start=D, end=D)
    assert (first["tickets"], first["cases_received"], first["cases_decided"]) == (4, 2, 0)


def test_rollup_is_idempotent(world):
    build(world)
    before = kpi_dashboard(start=D, end=D + dt.timedelta(days=20))
    kpi_rollup(day=D)
    kpi_rollup(day=D)
    assert kpi_dashboard(start=D, end=D + dt.timedelta(days=20)) == before


def test_open_overdue_comes_from_the_snapshot_tick_keeps(world):
    from yichuang.supervision.kpi import kpi_open_snapshot

    case = accepted_case(world, today=D)          # promised 10 working days from 2 Nov 2026 → 16 Nov
    accepted_case(world, seq=2)                   # accepted today: not overdue
    assert kpi_dashboard(start=D, end=D)["open_overdue"] == 0   # nothing counted yet
    kpi_open_snapshot(today=dt.date(2026, 11, 17))
    assert case.due_date == dt.date(2026, 11, 16)
    assert kpi_dashboard(start=D, end=D)["open_overdue"] == 1
    assert kpi_dashboard(start=D, end=D, centre_ids=[world.other_centre.pk])["open_overdue"] == 0
