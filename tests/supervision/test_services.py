"""督办 (the deadline watch, late rectifications and tickets, the inbox feedback's hooks ask for), door-to-door
days and the scheduled jobs: rules with hand-computed dates. Ratings, rectifications and tickets themselves:
tests/feedback."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.conftest import accepted_case, receive
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role
from yichuang.cases import services as cs
from yichuang.core.errors import ConflictError, ValidationFailed
from yichuang.feedback import services as fb
from yichuang.supervision import services as sv
from yichuang.supervision.models import DepartmentLead, InboxMessage


def _at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def decided_case(w, **kw):
    case = accepted_case(w, **kw)
    return cs.case_approve(case=case, actor=w.approver, opinion="符合条件")


def test_overdue_rectification_escalates_once(world):
    case = decided_case(world)
    rect = fb.rating_submit(case=case, level=2, code=fb.rating_code_issue(case=case), now=_at(2026, 9, 30)).rectification
    assert sv.rectification_watch(today=dt.date(2026, 10, 8)) == 0     # callback due that day
    assert sv.rectification_watch(today=dt.date(2026, 10, 9)) == 1     # one working day late
    assert sv.rectification_watch(today=dt.date(2026, 10, 12)) == 0    # once
    rect.refresh_from_db()
    assert rect.escalated_at is not None
    assert InboxMessage.objects.filter(user=world.supervisor, key=f"rect-late:{rect.pk}").count() == 1


def test_deadline_watch_reminds_at_yellow_and_escalates_at_red_once(world):
    DepartmentLead.objects.create(department=world.dept, user=world.approver_b)
    case = accepted_case(world, today=dt.date(2026, 11, 2))   # promised 10 → due 16 Nov 2026
    assert case.due_date == dt.date(2026, 11, 16)
    assert sv.deadline_watch(today=dt.date(2026, 11, 3)) == {"yellow": 0, "red": 0}
    yellow = sv.deadline_watch(today=dt.date(2026, 11, 12))   # 2 working days left → yellow
    assert yellow["yellow"] == 1
    assert InboxMessage.objects.filter(user=world.approver, key=f"yellow:{case.number}").exists()
    assert sv.deadline_watch(today=dt.date(2026, 11, 13))["yellow"] == 0   # once
    red = sv.deadline_watch(today=dt.date(2026, 11, 17))
    assert red["red"] == 3   # the approver, the supervisor, the department lead
    assert set(InboxMessage.objects.filter(key=f"red:{case.number}").values_list("user__username", flat=True)) == \
        {"approver", "super", "approver_b"}


def test_a_bad_rating_tells_the_supervisors_through_feedbacks_hook(world):
    c1 = decided_case(world)
    rect = fb.rating_submit(case=c1, level=2, code=fb.rating_code_issue(case=c1), comment="等了很久").rectification
    msg = InboxMessage.objects.get(user=world.supervisor, key=f"rect:{rect.pk}")
    assert msg.title == f"差评整改：{rect.rating.case.number}（不满意）" and msg.body == "等了很久"
    assert msg.link == f"/supervision/rectifications/{rect.pk}/" and msg.level == "yellow"
    c2 = decided_case(world)
    fb.rating_submit(case=c2, level=5, code=fb.rating_code_issue(case=c2))
    assert InboxMessage.objects.filter(key__startswith="rect:").count() == 1   # a good rating tells no one


def test_an_overdue_ticket_is_escalated_once_and_its_department_told_when_opened(world):
    c = fb.complaint_open(actor=world.clerk, centre=world.centre, kind="complaint", channel="hotline",
                          content="窗口让我跑了三次", case_number=receive(world).number, today=dt.date(2026, 9, 29))
    assert c.due == dt.date(2026, 10, 12)
    msg = InboxMessage.objects.get(user=world.approver, key=f"complaint:{c.number}")
    assert msg.title == f"投诉工单 {c.number}" and msg.link == f"/supervision/complaints/{c.number}/"
    assert not InboxMessage.objects.filter(user=world.other_approver).exists()   # another department
    assert sv.complaint_watch(today=dt.date(2026, 10, 12)) == 0
    assert sv.complaint_watch(today=dt.date(2026, 10, 13)) == 1
    assert sv.complaint_watch(today=dt.date(2026, 10, 14)) == 0    # once
    c.refresh_from_db()
    assert c.escalated_at is not None
    assert InboxMessage.objects.filter(user=world.supervisor, key=f"complaint-late:{c.number}").count() == 1
    fb.complaint_resolve(complaint=c, actor=world.approver, resolution="已致歉并当场办结")
    late = fb.complaint_open(actor=world.clerk, centre=world.centre, kind="consult", channel="hotline",
                             content="咨询", today=dt.date(2026, 9, 29))
    guide = acc.user_create(username="guide", password="secret-pass-1", role=Role.GUIDE, centre=world.centre)
    fb.complaint_resolve(complaint=late, actor=guide, resolution="已答复")
    assert sv.complaint_watch(today=dt.date(2026, 12, 1)) == 0    # a resolved ticket is never late


def test_door_to_door_booking_rules(world):
    zone = sv.zone_save(actor=None, centre=world.centre, name="石桥铺片区", days=[7, 15, 21, 28],
                        matters=[world.matter], capacity=1)
    today = timezone.localdate()
    day = sv.zone_next_days(zone=zone, start=today + dt.timedelta(days=1), count=1)[0]
    assert day.day in (7, 15, 21, 28)
    wrong = day + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="上门服务日"):
        sv.door_book(actor=world.clerk, zone=zone, date=wrong, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.matter)
    with pytest.raises(ValidationFailed):
        sv.door_book(actor=world.clerk, zone=zone, date=day, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.immediate)
    b = sv.door_book(actor=world.clerk, zone=zone, date=day, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.matter)
    with pytest.raises(ConflictError):
        sv.door_book(actor=world.clerk, zone=zone, date=day, name="李奶奶", phone="13900000000",
                     address="石桥铺2号", matter=world.matter)
    assert sv.door_route(centre=world.centre, date=day) == [b]
    with pytest.raises(ValidationFailed):
        sv.zone_save(actor=None, centre=world.centre, name="x", days=[0, 32])


def test_tick_runs_every_job(world):
    out = sv.tick()
    assert set(out) >= {"deemed_accepted", "tolerant_lapsed", "lights", "rectifications_escalated",
                        "complaints_escalated", "ratings", "kpi_rows"}
