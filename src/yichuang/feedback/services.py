"""Every write of feedback: 好差评, 差评整改 and 办不成事 / hotline tickets. Deadlines are in working days
(yichuang.workcal). Who is told inside the house (the staff inbox) is for the apps above: they join
``feedback.hooks``; the applicant is invited to rate through the notification channel."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre, Department, User
from yichuang.accounts.selectors import centre_in_jurisdiction
from yichuang.audit.services import audit_record
from yichuang.cases.constants import CaseState as S
from yichuang.cases.constants import Channel
from yichuang.cases.models import Case
from yichuang.cases.selectors import cases_of_applicant
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from yichuang.hall.constants import TicketState
from yichuang.hall.models import Ticket
from yichuang.notify.backends import Message
from yichuang.notify.constants import Event
from yichuang.notify.services import notify_send
from yichuang.workcal.workdays import add_workdays

from . import hooks
from .constants import (
    BAD_LEVELS,
    CALLBACK_WORKDAYS,
    COMPLAINT_WORKDAYS,
    INDICATORS,
    RECTIFY_WORKDAYS,
    REMIND_AFTER_DAYS,
    AppealState,
    ComplaintChannel,
    ComplaintKind,
    ComplaintState,
    RatingChannel,
    RatingLevel,
    RectificationState,
)
from .models import Complaint, Rating, RatingAppeal, RatingCode, RatingInvite, Rectification

log = logging.getLogger(__name__)
# Who writes (deny by default). Supervisors (效能监察) watch ratings, rectifications and tickets and escalate the
# late ones (督办, supervision's jobs) but never write them: the department rectifies and answers, the front office
# and administrators register and resolve tickets.
RECT_WRITE = (Role.ADMIN, Role.APPROVER)
COMPLAINT_OPEN = (Role.ADMIN, Role.GUIDE, Role.CLERK)
COMPLAINT_RESOLVE = (Role.ADMIN, Role.APPROVER, Role.GUIDE)


def _outside() -> PermissionDeniedError:
    return PermissionDeniedError("该事项不属于您所在中心的管辖范围。", "This belongs to a centre outside your jurisdiction.",
                                 code="jurisdiction")


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- 好差评


def check_level(level: Any) -> int:
    """A rating level 1..5 (a form's string or the API's number), or a refusal naming the field."""
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in RatingLevel.values:
        raise ValidationFailed("评价等级应为1（非常不满意）至5（非常满意）。", "The level must be 1 to 5.", field="level")
    return level


def _check_indicators(channel: str, indicators: dict | None) -> dict:
    allowed = INDICATORS[channel]
    out = {}
    for key, value in (indicators or {}).items():
        if key not in allowed:
            raise ValidationFailed(f"未知评价指标“{key}”。", f"Unknown indicator {key!r}.", field="indicators")
        out[key] = check_level(value)
    return out


# ---------------------------------------------------------------- 评价码 (one-time rating codes)

CODE_DIGITS = 8  # 10^8 codes per ticket or case: typed on a rating pad, not guessed


def _code_hash(*, case: Case | None, ticket: Ticket | None, code: str) -> str:
    """A keyed hash (HMAC with the secret key) of the code and what it rates: a copy of the table alone gives
    no code, and one code never rates another ticket or case."""
    target = f"case:{case.pk}" if case is not None else f"ticket:{ticket.pk}"
    return salted_hmac("yichuang.feedback.rating_code", f"{target}:{code}", algorithm="sha256").hexdigest()


def rating_code_issue(*, case: Case | None = None, ticket: Ticket | None = None,
                      now: dt.datetime | None = None) -> str:
    """A new one-time code for rating this ticket or case; only its hash is kept, the code is returned to be
    printed (slip) or sent (SMS). Earlier unused codes stay valid; a rating uses one and there is one rating."""
    if (case is None) == (ticket is None):
        raise ValidationFailed("请指定评价的办件或排队号。", "A code is for either a case or a ticket.", field="case")
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    RatingCode.objects.create(case=case, ticket=ticket, code_hash=_code_hash(case=case, ticket=ticket, code=code),
                              created_at=now or timezone.now())
    return code


def ticket_issued(*, ticket: Ticket) -> str:
    """The hall's ``ticket_issued`` hook: the slip's code."""
    return rating_code_issue(ticket=ticket, now=ticket.issued_at)


def _code_use(*, case: Case | None, ticket: Ticket | None, code: Any, now: dt.datetime) -> None:
    """Take the code (locked, so two submissions of one code cannot both take it), or refuse."""
    code = "".join(str(code or "").split())
    if not code:
        raise ValidationFailed("请输入评价码（取号凭条或短信上的8位数字）。",
                               "Enter the rating code (8 digits, on the ticket slip or in the SMS).",
                               code="code_required", field="code")
    row = (RatingCode.objects.select_for_update()
           .filter(case=case, ticket=ticket, code_hash=_code_hash(case=case, ticket=ticket, code=code)).first())
    if row is None:
        raise PermissionDeniedError("评价码不正确，请核对取号凭条或短信。",
                                    "The rating code is wrong; check the ticket slip or the SMS.", code="bad_code")
    if row.used_at is not None:
        raise ConflictError("评价码已使用，每个评价码只能评价一次。", "This rating code has already been used.",
                            code="code_used")
    row.used_at = now
    row.save(update_fields=["used_at"])


def _already_rated(*, ticket: Ticket) -> bool:
    return Rating.objects.filter(ticket=ticket).exists()


def _owner(applicant: User | None, case: Case | None) -> bool:
    """A signed-in applicant rating a case of their own proves who they are by the sign-in: no code needed."""
    if case is None or applicant is None or not getattr(applicant, "is_authenticated", False) \
            or applicant.role != Role.APPLICANT:
        return False
    return any(c.pk == case.pk for c in cases_of_applicant(user=applicant))


def rating_code_waived(*, applicant: User | None, case: Case | None) -> bool:
    """Whether the rating page can go without the code field (a signed-in applicant's own case)."""
    return _owner(applicant, case)


RATED = ("本次服务已评价。", "This service has already been rated.")


@transaction.atomic
def rating_submit(*, level: Any, case: Case | None = None, ticket: Ticket | None = None, code: Any = "",
                  applicant: User | None = None, indicators: dict | None = None, comment: str = "",
                  channel: str | None = None, now: dt.datetime | None = None) -> Rating:
    """好差评: rate a case (after its decision) or a window service (a finished ticket), with its one-time code
    (评价码: the slip's, the SMS's) or, for a case, signed in as its applicant. A case is rated once, a ticket
    once (the database holds it); a bad rating (不满意, 非常不满意) opens a rectification. A rating given while a
    rectification waits for its follow-up is that follow-up (复评) and closes it."""
    now = now or timezone.now()
    level = check_level(level)
    if (case is None) == (ticket is None):
        raise ValidationFailed("请指定评价的办件或排队号。", "Rate either a case or a ticket.", field="case")
    if not _owner(applicant, case):
        _code_use(case=case, ticket=ticket, code=code, now=now)
    followup_of = None
    if case is not None:
        case = Case.objects.select_for_update().select_related("matter__department").get(pk=case.pk)
        if case.state not in (S.APPROVED, S.DENIED, S.READY, S.ISSUED, S.CLOSED, S.NOT_ACCEPTED):
            raise ConflictError("办件办结后才能评价。", "A case can be rated once it is decided.", code="not_done")
        channel = channel or (RatingChannel.ONLINE if case.channel == Channel.ONLINE else RatingChannel.OFFLINE)
        centre, department, clerk = case.handling_centre, case.matter.department, case.received_by
        earlier = list(Rating.objects.filter(case=case).select_related("rectification"))
        waiting = [r.rectification for r in earlier if hasattr(r, "rectification")
                   and r.rectification.state == RectificationState.REPLIED]
        if waiting:
            followup_of = waiting[0]
        elif earlier:
            raise ConflictError("该办件已评价。", "This case has already been rated.", code="rated")
    else:
        if ticket.state != TicketState.DONE:
            raise ConflictError("办理结束后才能评价。", "A service can be rated once it is finished.", code="not_done")
        if _already_rated(ticket=ticket):
            raise ConflictError(*RATED, code="rated")
        channel = channel or RatingChannel.OFFLINE
        centre, department, clerk = ticket.centre, None, ticket.clerk
    if channel not in RatingChannel.values:
        raise ValidationFailed("评价渠道应为线上或线下。", "The channel must be online or offline.", field="channel")
    indicators = _check_indicators(channel, indicators)
    try:
        with transaction.atomic():  # a savepoint: the unique constraints refuse a second rating that raced here
            rating = Rating.objects.create(case=case, ticket=ticket, centre=centre, department=department,
                                           clerk=clerk, channel=channel, level=level, indicators=indicators,
                                           comment=(comment or "").strip()[:2000], followup_of=followup_of,
                                           created_at=now)
    except IntegrityError:
        raise ConflictError(*RATED, code="rated") from None
    audit_record(actor=None, action="rating.submit", obj=rating,
                 after={"level": level, "case": case.number if case else None, "ticket": getattr(ticket, "pk", None)})
    if followup_of is not None:
        followup_of.state, followup_of.closed_at = RectificationState.CLOSED, now
        followup_of.save(update_fields=["state", "closed_at"])
        audit_record(actor=None, action="rectification.closed", obj=followup_of, after={"followup_level": level})
    elif level in BAD_LEVELS:
        _rectification_open(rating, today=timezone.localdate(now))
    return rating


def _rectification_open(rating: Rating, *, today: dt.date) -> Rectification:
    rect = Rectification.objects.create(
        rating=rating, centre=rating.centre, department=rating.department, opened_on=today,
        callback_due=add_workdays(today, CALLBACK_WORKDAYS).value, due=add_workdays(today, RECTIFY_WORKDAYS).value)
    audit_record(actor=None, action="rectification.open", obj=rect,
                 after={"callback_due": rect.callback_due, "due": rect.due})
    hooks.rectification_opened(rect)
    return rect


def rating_invites(*, now: dt.datetime | None = None) -> dict[str, int]:
    """邀评: invite after issuance; remind once after 3 days without a rating."""
    now = now or timezone.now()
    out = {"invited": 0, "reminded": 0}
    new = (Case.objects.select_related("matter", "handling_centre")
           .filter(state__in=(S.ISSUED, S.CLOSED), rating_invite__isnull=True, ratings__isnull=True))
    for case in new.iterator(chunk_size=500):
        RatingInvite.objects.get_or_create(case=case, defaults={"invited_at": now})
        _applicant_message(case, f"您的办件{case.number}已办结，请对本次服务作出评价，评价码{rating_code_issue(case=case, now=now)}"
                                 "（仅限一次）。")
        out["invited"] += 1
    due = RatingInvite.objects.filter(reminded_at__isnull=True, invited_at__lte=now - dt.timedelta(days=REMIND_AFTER_DAYS),
                                      case__ratings__isnull=True).select_related("case__matter",
                                                                                 "case__handling_centre")
    for inv in due:
        _applicant_message(inv.case, f"您的办件{inv.case.number}尚未评价，欢迎对本次服务作出评价，评价码"
                                     f"{rating_code_issue(case=inv.case, now=now)}（仅限一次）。")
        RatingInvite.objects.filter(pk=inv.pk).update(reminded_at=now)
        out["reminded"] += 1
    return out


def _applicant_message(case: Case, text: str) -> None:
    """Through the notification channel (SMS adapter / e-mail). The channel records its own failures; anything
    else going wrong there is logged and never breaks the job."""
    try:
        notify_send(message=Message(event=Event.RATING, subject=f"邀请评价：{case.matter.name}（{case.number}）"[:200],
                                    body=f"【{case.handling_centre.name}】{text}", phone=case.contact_phone or "",
                                    email="", case_number=case.number), case=case)
    except Exception:
        log.exception("notification channel failed")


# ---------------------------------------------------------------- 差评整改


def rectification_check_writer(*, rect: Rectification, actor: User | None) -> None:
    """Refuse anyone but the department's approvers and the administrators of its centre (a supervisor only
    watches)."""
    if actor is None or actor.role not in RECT_WRITE:
        raise PermissionDeniedError("只有承办部门或管理员可以处理整改（效能监察只督办，不代办）。",
                                    "Only the department or an administrator may handle this; supervisors watch.",
                                    code="role")
    if actor.role == Role.APPROVER and actor.department_id != rect.department_id:
        raise PermissionDeniedError("该整改不属于您的部门。", "This rectification belongs to another department.",
                                    code="department")
    if actor.role == Role.ADMIN and not centre_in_jurisdiction(user=actor, centre_id=rect.centre_id):
        raise _outside()


def rectification_may_write(*, rect: Rectification, user: User | None) -> bool:
    """For the page: whether it offers ``user`` the steps (the service decides)."""
    try:
        rectification_check_writer(rect=rect, actor=user)
    except PermissionDeniedError:
        return False
    return True


def _rect_locked(rect: Rectification, actor: User | None) -> Rectification:
    if actor is None or actor.role not in RECT_WRITE:  # refused before anything is locked
        rectification_check_writer(rect=rect, actor=actor)
    rect = Rectification.objects.select_for_update().get(pk=rect.pk)
    rectification_check_writer(rect=rect, actor=actor)
    return rect


@transaction.atomic
def rectification_callback(*, rect: Rectification, actor: User, note: str, now: dt.datetime | None = None
                           ) -> Rectification:
    """回访 (within 1 working day)."""
    rect = _rect_locked(rect, actor)
    if rect.state != RectificationState.OPEN:
        raise ConflictError("已回访。", "The callback was already made.", code="state")
    if not (note or "").strip():
        raise ValidationFailed("请记录回访情况。", "Record what the callback found.", field="note")
    rect.state, rect.called_back_at, rect.callback_note = RectificationState.CALLED_BACK, now or timezone.now(), \
        note.strip()
    rect.save()
    audit_record(actor=actor, action="rectification.callback", obj=rect, after={"note": rect.callback_note})
    return rect


@transaction.atomic
def rectification_reply(*, rect: Rectification, actor: User, reply: str, now: dt.datetime | None = None
                        ) -> Rectification:
    """整改答复 (within 15 working days); the applicant may then rate once more (复评)."""
    rect = _rect_locked(rect, actor)
    if rect.state != RectificationState.CALLED_BACK:
        raise ConflictError("请先回访，再答复整改结果。", "Make the callback before replying.", code="state")
    if not (reply or "").strip():
        raise ValidationFailed("请填写整改情况。", "Describe the rectification.", field="reply")
    rect.state, rect.reply, rect.replied_at = RectificationState.REPLIED, reply.strip(), now or timezone.now()
    rect.save()
    audit_record(actor=actor, action="rectification.reply", obj=rect, after={"reply": rect.reply})
    case = rect.rating.case
    if case is not None:  # 复评: the applicant is asked to rate again, with a new code
        _applicant_message(case, f"您对办件{case.number}的评价已整改答复：{rect.reply[:60]}。欢迎再次评价，评价码"
                                 f"{rating_code_issue(case=case, now=rect.replied_at)}（仅限一次）。")
    return rect


@transaction.atomic
def rectification_close(*, rect: Rectification, actor: User, now: dt.datetime | None = None) -> Rectification:
    """Close after a reply when the applicant gives no follow-up rating."""
    rect = _rect_locked(rect, actor)
    if rect.state != RectificationState.REPLIED:
        raise ConflictError("整改答复后才能办结。", "Reply before closing.", code="state")
    rect.state, rect.closed_at = RectificationState.CLOSED, now or timezone.now()
    rect.save()
    audit_record(actor=actor, action="rectification.closed", obj=rect, after={})
    return rect


def rectification_escalated(*, rect: Rectification, now: dt.datetime | None = None) -> None:
    """Mark a late rectification as escalated (督办 posts the messages: ``supervision``), once."""
    Rectification.objects.filter(pk=rect.pk).update(escalated_at=now or timezone.now())
    audit_record(actor=None, action="rectification.escalated", obj=rect, after={"state": rect.state})


# ---------------------------------------------------------------- 办不成事 and hotline


def _complaint_number(centre: Centre, day: dt.date) -> str:
    prefix = f"TS{centre.code}{day:%Y%m%d}"
    last = Complaint.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    seq = int(last[0][-4:]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


@transaction.atomic
def complaint_open(*, actor: User | None, centre: Centre, kind: str, channel: str, content: str, name: str = "",
                   phone: str = "", case_number: str = "", matter=None, department: Department | None = None,
                   today: dt.date | None = None) -> Complaint:
    """登记 a 办不成事 / hotline ticket with its working-day deadline."""
    if actor is not None and actor.role not in COMPLAINT_OPEN:
        raise PermissionDeniedError("只有综窗受理员、帮办代办员或管理员可以登记工单。",
                                    "Only window clerks, guides and administrators open tickets.", code="role")
    if actor is not None and not centre_in_jurisdiction(user=actor, centre_id=getattr(centre, "pk", None)):
        raise _outside()
    if kind not in ComplaintKind.values:
        raise ValidationFailed("类型应为咨询、求助或投诉。", "Kind must be consult, help or complaint.", field="kind")
    if channel not in ComplaintChannel.values:
        raise ValidationFailed("渠道无效。", "Unknown channel.", field="channel")
    content = (content or "").strip()
    if not content:
        raise ValidationFailed("请填写反映内容。", "The content is required.", field="content")
    case_number = (case_number or "").strip()
    if case_number:
        case = Case.objects.select_related("matter__department").filter(number=case_number).first()
        if case is None:
            raise ValidationFailed(f"办件“{case_number}”不存在。", "No such case.", field="case_number")
        matter = matter or case.matter
        department = department or case.matter.department
    if matter is not None and department is None:
        department = matter.department
    today = today or _today()
    c = Complaint.objects.create(number=_complaint_number(centre, today), centre=centre, kind=kind, channel=channel,
                                 content=content, name=name.strip(), phone=phone.strip(), case_number=case_number,
                                 matter=matter, department=department, opened_on=today,
                                 due=add_workdays(today, COMPLAINT_WORKDAYS[kind]).value, created_by=actor)
    audit_record(actor=actor, action="complaint.open", obj=c, after={"number": c.number, "kind": kind})
    hooks.complaint_opened(c)
    return c


def complaint_check_resolver(*, complaint: Complaint, actor: User | None) -> None:
    """Refuse anyone but the department the ticket is about, a guide or an administrator of its centre. A
    supervisor escalates a late ticket (督办) but does not resolve a department's complaint."""
    if actor is None or actor.role not in COMPLAINT_RESOLVE:
        raise PermissionDeniedError("只有承办部门、帮办代办员或管理员可以办结工单（效能监察只督办，不代办）。",
                                    "Only the department, a guide or an administrator may resolve tickets; "
                                    "supervisors watch.", code="role")
    if actor.role == Role.APPROVER and actor.department_id != complaint.department_id:
        raise PermissionDeniedError("该工单不属于您的部门。", "This ticket belongs to another department.",
                                    code="department")
    if actor.role != Role.APPROVER and not centre_in_jurisdiction(user=actor, centre_id=complaint.centre_id):
        raise _outside()


def complaint_may_resolve(*, complaint: Complaint, user: User | None) -> bool:
    """For the page: whether it offers ``user`` to resolve the ticket (the service decides)."""
    try:
        complaint_check_resolver(complaint=complaint, actor=user)
    except PermissionDeniedError:
        return False
    return True


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, actor: User, resolution: str, satisfaction: Any = None,
                      now: dt.datetime | None = None) -> Complaint:
    if actor is None or actor.role not in COMPLAINT_RESOLVE:  # refused before anything is locked
        complaint_check_resolver(complaint=complaint, actor=actor)
    c = Complaint.objects.select_for_update().get(pk=complaint.pk)
    complaint_check_resolver(complaint=c, actor=actor)
    if c.state == ComplaintState.RESOLVED:
        raise ConflictError("工单已办结。", "The ticket is already resolved.", code="state")
    if not (resolution or "").strip():
        raise ValidationFailed("请填写办理结果。", "The resolution is required.", field="resolution")
    c.state, c.resolution, c.resolved_at = ComplaintState.RESOLVED, resolution.strip(), now or timezone.now()
    if satisfaction not in (None, ""):
        c.satisfaction = check_level(satisfaction)
    c.save()
    audit_record(actor=actor, action="complaint.resolve", obj=c, after={"satisfaction": c.satisfaction})
    return c


def complaint_escalated(*, complaint: Complaint, now: dt.datetime | None = None) -> None:
    """Mark a late ticket as escalated (督办 posts the messages: ``supervision``), once."""
    Complaint.objects.filter(pk=complaint.pk).update(escalated_at=now or timezone.now())


# ---------------------------------------------------------------- 申诉复核 (appeal of a bad rating)

APPEAL_DECIDERS = (Role.SUPERVISOR,)


def appeal_may_file(*, rating: Rating, actor: User | None) -> bool:
    """The rated clerk, or an approver of the rated department."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.role == Role.CLERK:
        return rating.clerk_id is not None and rating.clerk_id == actor.pk
    if actor.role == Role.APPROVER:
        return rating.department_id is not None and rating.department_id == actor.department_id
    return False


@transaction.atomic
def appeal_file(*, rating: Rating, actor: User, reason: str, now: dt.datetime | None = None) -> RatingAppeal:
    """申诉: a wrong or malicious bad rating is disputed by the clerk or the department it blames, once."""
    now = now or timezone.now()
    rating = Rating.objects.select_for_update().get(pk=rating.pk)
    if not appeal_may_file(rating=rating, actor=actor):
        raise PermissionDeniedError("只有被评价的窗口人员或承办部门可以申诉。",
                                    "Only the rated clerk or department may appeal.", code="role")
    if rating.level not in BAD_LEVELS:
        raise ConflictError("只有差评可以申诉。", "Only a bad rating can be appealed.", code="not_bad")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("请写明申诉理由。", "Give the reason for the appeal.", field="reason")
    try:
        with transaction.atomic():
            appeal = RatingAppeal.objects.create(rating=rating, reason=reason[:4000], filed_by=actor, filed_at=now)
    except IntegrityError:
        raise ConflictError("该评价已申诉。", "This rating has already been appealed.", code="appealed") from None
    audit_record(actor=actor, action="rating.appeal", obj=appeal, after={"rating": rating.pk, "reason": reason})
    return appeal


@transaction.atomic
def appeal_decide(*, appeal: RatingAppeal, actor: User, uphold: bool, note: str,
                  now: dt.datetime | None = None) -> RatingAppeal:
    """复核 by a supervisor: upheld, the rating leaves every figure and its rectification closes; rejected, it
    stands. Decided once."""
    now = now or timezone.now()
    if actor is None or actor.role not in APPEAL_DECIDERS:
        raise PermissionDeniedError("只有效能监察可以复核申诉。", "Only a supervisor may decide an appeal.", code="role")
    appeal = RatingAppeal.objects.select_for_update().select_related("rating").get(pk=appeal.pk)
    if appeal.state != AppealState.PENDING:
        raise ConflictError("该申诉已复核。", "This appeal has already been decided.", code="state")
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("请写明复核意见。", "Give the reason for the decision.", field="note")
    appeal.state = AppealState.UPHELD if uphold else AppealState.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision_note = actor, now, note[:4000]
    appeal.save()
    audit_record(actor=actor, action="rating.appeal_decided", obj=appeal,
                 after={"state": appeal.state, "note": appeal.decision_note})
    if uphold:
        Rating.objects.filter(pk=appeal.rating_id).update(excluded_at=now)
        rect = Rectification.objects.select_for_update().filter(rating_id=appeal.rating_id).first()
        if rect is not None and rect.state != RectificationState.CLOSED:
            rect.state, rect.closed_at = RectificationState.CLOSED, now
            rect.save(update_fields=["state", "closed_at"])
            audit_record(actor=actor, action="rectification.closed", obj=rect, after={"appeal_upheld": appeal.pk})
    return appeal
