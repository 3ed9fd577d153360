"""好差评, rectification and 办不成事 tickets: rules with hand-computed dates (working days, 国庆 2026)."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.conftest import accepted_case, receive
from yichuang.audit.models import AuditEvent
from yichuang.cases import services as cs
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from yichuang.feedback import hooks
from yichuang.feedback import services as fb
from yichuang.feedback.constants import RectificationState
from yichuang.feedback.models import Complaint, Rating, RatingInvite, Rectification


def _at(y, m, d, h=10):
    return timezone.make_aware(dt.datetime(y, m, d, h))


def decided_case(w, **kw):
    case = accepted_case(w, **kw)
    return cs.case_approve(case=case, actor=w.approver, opinion="符合条件")


def test_the_models_keep_the_tables_they_had_in_supervision():
    """The move to feedback changed no table: the rows written before it are the rows read after it."""
    assert [m._meta.db_table for m in (Rating, RatingInvite, Rectification, Complaint)] == [
        "supervision_rating", "supervision_ratinginvite", "supervision_rectification", "supervision_complaint"]
    assert all(m._meta.app_label == "feedback" for m in (Rating, RatingInvite, Rectification, Complaint))


def test_bad_rating_opens_a_rectification_with_working_day_deadlines(world):
    """Rated 不满意 on Wed 30 Sep 2026: callback within 1 working day → Thu 8 Oct (国庆 1–7 Oct);
    rectify within 15 → 8, 9, 10 (make-up Sat), 12–16, 19–23, 26, 27 Oct → 27 Oct."""
    case = decided_case(world)
    rating = fb.rating_submit(case=case, code=fb.rating_code_issue(case=case), level=2, comment="等了很久",
                              indicators={"attitude": 2},
                              now=_at(2026, 9, 30))
    rect = rating.rectification
    assert rect.state == RectificationState.OPEN
    assert rect.callback_due == dt.date(2026, 10, 8)
    assert rect.due == dt.date(2026, 10, 27)
    assert AuditEvent.objects.filter(action="rectification.open", object_id=str(rect.pk)).exists()


def test_good_rating_opens_nothing_and_a_case_is_rated_once(world):
    case = decided_case(world)
    fb.rating_submit(case=case, code=fb.rating_code_issue(case=case), level=5)
    assert not Rectification.objects.exists()
    with pytest.raises(ConflictError):
        fb.rating_submit(case=case, code=fb.rating_code_issue(case=case), level=4)


@pytest.mark.parametrize("level", [0, 6, "x", None])
def test_rating_level_is_checked(world, level):
    case = decided_case(world)
    with pytest.raises(ValidationFailed):
        fb.rating_submit(case=case, code=fb.rating_code_issue(case=case), level=level)


def test_an_undecided_case_cannot_be_rated(world):
    with pytest.raises(ConflictError):
        c = receive(world)
        fb.rating_submit(case=c, level=5, code=fb.rating_code_issue(case=c))


def test_rectification_callback_reply_and_follow_up_rating(world):
    case = decided_case(world)
    rect = fb.rating_submit(case=case, code=fb.rating_code_issue(case=case), level=1).rectification
    with pytest.raises(ConflictError):
        fb.rectification_reply(rect=rect, actor=world.approver, reply="已整改")
    with pytest.raises(PermissionDeniedError):
        fb.rectification_callback(rect=rect, actor=world.clerk, note="x")
    with pytest.raises(PermissionDeniedError):  # another department's approver
        fb.rectification_callback(rect=rect, actor=world.other_approver, note="x")
    with pytest.raises(PermissionDeniedError) as exc:  # a supervisor watches (督办) and writes nothing
        fb.rectification_callback(rect=rect, actor=world.supervisor, note="x")
    assert exc.value.code == "role"
    fb.rectification_callback(rect=rect, actor=world.approver, note="已电话回访")
    with pytest.raises(PermissionDeniedError):
        fb.rectification_reply(rect=rect, actor=world.supervisor, reply="x")
    fb.rectification_reply(rect=rect, actor=world.approver, reply="已对窗口人员批评教育并优化流程")
    follow = fb.rating_submit(case=case, code=fb.rating_code_issue(case=case), level=4)
    rect.refresh_from_db()
    assert follow.followup_of == rect and rect.state == RectificationState.CLOSED


def test_complaint_deadline_in_working_days_and_resolution(world):
    c = fb.complaint_open(actor=world.clerk, centre=world.centre, kind="complaint", channel="hotline",
                          content="窗口让我跑了三次", case_number=receive(world).number, today=dt.date(2026, 9, 29))
    # 投诉: 5 working days from Tue 29 Sep 2026: 30 Sep, 8, 9, 10 (make-up Sat), 12 Oct
    assert c.due == dt.date(2026, 10, 12) and c.department == world.dept
    with pytest.raises(PermissionDeniedError):
        fb.complaint_resolve(complaint=c, actor=world.other_approver, resolution="x")
    fb.complaint_resolve(complaint=c, actor=world.approver, resolution="已致歉并当场办结", satisfaction=4)
    c.refresh_from_db()
    assert c.state == "resolved" and c.satisfaction == 4
    with pytest.raises(ConflictError):
        fb.complaint_resolve(complaint=c, actor=world.approver, resolution="again")
    with pytest.raises(ValidationFailed):
        fb.complaint_open(actor=world.clerk, centre=world.centre, kind="rant", channel="hotline", content="x")
    with pytest.raises(ValidationFailed):
        fb.complaint_open(actor=world.clerk, centre=world.centre, kind="help", channel="hotline", content=" ")


def test_the_hooks_hear_each_rectification_and_ticket_opened(world):
    """Feedback tells the apps above it through ``feedback.hooks`` (supervision's inbox is one of them)."""
    heard = []
    hear = heard.append
    hooks.on_rectification_opened(hear)
    hooks.on_complaint_opened(hear)
    try:
        c1 = decided_case(world)
        rect = fb.rating_submit(case=c1, level=1, code=fb.rating_code_issue(case=c1)).rectification
        c2 = decided_case(world)
        fb.rating_submit(case=c2, level=5, code=fb.rating_code_issue(case=c2))    # a good rating opens nothing
        c = fb.complaint_open(actor=world.clerk, centre=world.centre, kind="consult", channel="hotline",
                              content="新生儿落户要带什么？")
    finally:
        hooks._rectification_opened.remove(hear)
        hooks._complaint_opened.remove(hear)
    assert heard == [rect, c]


def test_rating_invites_after_issuance_and_again_after_three_days(world):
    case = decided_case(world)
    case = cs.case_mark_ready(case=case, actor=world.issuer)
    cs.case_issue(case=case, actor=world.issuer, method="window", signed_by="张三")
    now = timezone.now()
    assert fb.rating_invites(now=now) == {"invited": 1, "reminded": 0}
    assert fb.rating_invites(now=now + dt.timedelta(days=1)) == {"invited": 0, "reminded": 0}
    assert fb.rating_invites(now=now + dt.timedelta(days=3, minutes=1)) == {"invited": 0, "reminded": 1}
    assert fb.rating_invites(now=now + dt.timedelta(days=5)) == {"invited": 0, "reminded": 0}
