"""好差评 and rectification, deadline watch, 办不成事 tickets, door-to-door days: rules with hand-computed dates."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.conftest import accepted_case, receive
from yichuang.cases import services as cs
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from yichuang.supervision import services as sv
from yichuang.supervision.constants import RectificationState
from yichuang.supervision.models import InboxMessage, Rectification


def _at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def decided_case(w, **kw):
    case = accepted_case(w, **kw)
    return cs.case_approve(case=case, actor=w.approver, opinion="符合条件")


def test_bad_rating_opens_a_rectification_with_working_day_deadlines(world):
    """Rated 不满意 on Wed 30 Sep 2026: callback within 1 working day → Thu 8 Oct (国庆 1–7 Oct);
    rectify within 15 → 8, 9, 10 (make-up Sat), 12–16, 19–23, 26, 27 Oct → 27 Oct."""
    case = decided_case(world)
    rating = sv.rating_submit(case=case, level=2, comment="等了很久", indicators={"attitude": 2},
                              now=_at(2026, 9, 30))
    rect = rating.rectification
    assert rect.state == RectificationState.OPEN
    assert rect.callback_due == dt.date(2026, 10, 8)
    assert rect.due == dt.date(2026, 10, 27)
    assert InboxMessage.objects.filter(user=world.supervisor, key=f"rect:{rect.pk}").exists()


def test_good_rating_opens_nothing_and_a_case_is_rated_once(world):
    case = decided_case(world)
    sv.rating_submit(case=case, level=5)
    assert not Rectification.objects.exists()
    with pytest.raises(ConflictError):
        sv.rating_submit(case=case, level=4)


@pytest.mark.parametrize("level", [0, 6, "x", None])
def test_rating_level_is_checked(world, level):
    case = decided_case(world)
    with pytest.raises(ValidationFailed):
        sv.rating_submit(case=case, level=level)


def test_an_undecided_case_cannot_be_rated(world):
    with pytest.raises(ConflictError):
        sv.rating_submit(case=receive(world), level=5)


def test_rectification_callback_reply_and_follow_up_rating(world):
    case = decided_case(world)
    rect = sv.rating_submit(case=case, level=1).rectification
    with pytest.raises(ConflictError):
        sv.rectification_reply(rect=rect, actor=world.supervisor, reply="已整改")
    with pytest.raises(PermissionDeniedError):
        sv.rectification_callback(rect=rect, actor=world.clerk, note="x")
    with pytest.raises(PermissionDeniedError):  # another department's approver
        sv.rectification_callback(rect=rect, actor=world.other_approver, note="x")
    sv.rectification_callback(rect=rect, actor=world.approver, note="已电话回访")
    sv.rectification_reply(rect=rect, actor=world.supervisor, reply="已对窗口人员批评教育并优化流程")
    follow = sv.rating_submit(case=case, level=4)
    rect.refresh_from_db()
    assert follow.followup_of == rect and rect.state == RectificationState.CLOSED


def test_overdue_rectification_escalates_once(world):
    case = decided_case(world)
    rect = sv.rating_submit(case=case, level=2, now=_at(2026, 9, 30)).rectification
    assert sv.rectification_watch(today=dt.date(2026, 10, 8)) == 0     # callback due that day
    assert sv.rectification_watch(today=dt.date(2026, 10, 9)) == 1     # one working day late
    assert sv.rectification_watch(today=dt.date(2026, 10, 12)) == 0    # once
    rect.refresh_from_db()
    assert rect.escalated_at is not None
    assert InboxMessage.objects.filter(user=world.supervisor, key=f"rect-late:{rect.pk}").count() == 1


def test_deadline_watch_reminds_at_yellow_and_escalates_at_red_once(world):
    from yichuang.supervision.models import DepartmentLead

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


def test_complaint_deadline_in_working_days_and_escalation(world):
    c = sv.complaint_open(actor=world.supervisor, centre=world.centre, kind="complaint", channel="hotline",
                          content="窗口让我跑了三次", case_number=receive(world).number, today=dt.date(2026, 9, 29))
    # 投诉: 5 working days from Tue 29 Sep 2026: 30 Sep, 8, 9, 10 (make-up Sat), 12 Oct
    assert c.due == dt.date(2026, 10, 12) and c.department == world.dept
    assert InboxMessage.objects.filter(user=world.approver, key=f"complaint:{c.number}").exists()
    assert sv.complaint_watch(today=dt.date(2026, 10, 12)) == 0
    assert sv.complaint_watch(today=dt.date(2026, 10, 13)) == 1
    with pytest.raises(PermissionDeniedError):
        sv.complaint_resolve(complaint=c, actor=world.other_approver, resolution="x")
    sv.complaint_resolve(complaint=c, actor=world.approver, resolution="已致歉并当场办结", satisfaction=4)
    c.refresh_from_db()
    assert c.state == "resolved" and c.satisfaction == 4
    with pytest.raises(ValidationFailed):
        sv.complaint_open(actor=world.supervisor, centre=world.centre, kind="rant", channel="hotline", content="x")
    with pytest.raises(ValidationFailed):
        sv.complaint_open(actor=world.supervisor, centre=world.centre, kind="help", channel="hotline", content=" ")


def test_door_to_door_booking_rules(world):
    zone = sv.zone_save(actor=world.supervisor, centre=world.centre, name="石桥铺片区", days=[7, 15, 21, 28],
                        matters=[world.matter], capacity=1)
    today = timezone.localdate()
    day = sv.zone_next_days(zone=zone, start=today + dt.timedelta(days=1), count=1)[0]
    assert day.day in (7, 15, 21, 28)
    wrong = day + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed, match="上门服务日"):
        sv.door_book(actor=world.supervisor, zone=zone, date=wrong, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.matter)
    with pytest.raises(ValidationFailed):
        sv.door_book(actor=world.supervisor, zone=zone, date=day, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.immediate)
    b = sv.door_book(actor=world.supervisor, zone=zone, date=day, name="王大爷", phone="13800000000",
                     address="石桥铺1号", matter=world.matter)
    with pytest.raises(ConflictError):
        sv.door_book(actor=world.supervisor, zone=zone, date=day, name="李奶奶", phone="13900000000",
                     address="石桥铺2号", matter=world.matter)
    assert sv.door_route(centre=world.centre, date=day) == [b]
    with pytest.raises(ValidationFailed):
        sv.zone_save(actor=None, centre=world.centre, name="x", days=[0, 32])


def test_rating_invites_after_issuance_and_again_after_three_days(world):
    case = decided_case(world)
    case = cs.case_mark_ready(case=case, actor=world.issuer)
    cs.case_issue(case=case, actor=world.issuer, method="window", signed_by="张三")
    now = timezone.now()
    assert sv.rating_invites(now=now) == {"invited": 1, "reminded": 0}
    assert sv.rating_invites(now=now + dt.timedelta(days=1)) == {"invited": 0, "reminded": 0}
    assert sv.rating_invites(now=now + dt.timedelta(days=3, minutes=1)) == {"invited": 0, "reminded": 1}
    assert sv.rating_invites(now=now + dt.timedelta(days=5)) == {"invited": 0, "reminded": 0}


def test_tick_runs_every_job(world):
    out = sv.tick()
    assert set(out) >= {"deemed_accepted", "tolerant_lapsed", "lights", "rectifications_escalated",
                        "complaints_escalated", "ratings", "kpi_rows"}
