"""Every write of supervision (效能监察). Deadlines are in working days (yichuang.workcal)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre, Department, User
from yichuang.audit.services import audit_record
from yichuang.cases.constants import CaseState as S
from yichuang.cases.constants import Channel, Light
from yichuang.cases.models import Case
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from yichuang.workcal.workdays import add_workdays

from .constants import (
    BAD_LEVELS,
    CALLBACK_WORKDAYS,
    COMPLAINT_WORKDAYS,
    INDICATORS,
    RECTIFY_WORKDAYS,
    REMIND_AFTER_DAYS,
    BookingState,
    ComplaintChannel,
    ComplaintKind,
    ComplaintState,
    NoticeLevel,
    RatingChannel,
    RatingLevel,
    RectificationState,
)
from .models import Complaint, DepartmentLead, DoorBooking, InboxMessage, Rating, RatingInvite, Rectification, Zone

log = logging.getLogger(__name__)
STAFF_WRITE = (Role.SUPERVISOR, Role.ADMIN)


def _today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- in-app inbox and the notification channel


def _send(*, event: str, subject: str, body: str, phone: str = "", email: str = "", case: Case | None = None) -> None:
    """Through the notification channel (SMS adapter / e-mail). The channel records its own failures; anything
    else going wrong there is logged and never breaks the job."""
    from yichuang.notify.backends import Message
    from yichuang.notify.services import notify_send

    try:
        notify_send(message=Message(event=event, subject=subject[:200], body=body, phone=phone or "",
                                    email=email or "", case_number=case.number if case else ""), case=case)
    except Exception:
        log.exception("notification channel failed")


def _external(user: User, title: str, body: str) -> None:
    from yichuang.notify.constants import Event

    _send(event=Event.REMINDER, subject=title, body=f"{title}\n{body}".strip(), phone=user.phone, email=user.email)


def inbox_post(*, user: User, title: str, body: str = "", level: str = NoticeLevel.INFO, link: str = "",
               key: str = "") -> InboxMessage | None:
    """Post one message to a staff member's inbox; with a ``key``, at most once per user and key."""
    if key and InboxMessage.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            msg = InboxMessage.objects.create(user=user, title=title[:200], body=body, level=level, link=link,
                                              key=key)
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _external(user, title, body))
    return msg


def inbox_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = InboxMessage.objects.filter(user=user, read_at__isnull=True)
    if ids:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def supervisors() -> list[User]:
    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))


def _escalation(*, sups: list[User], leads: dict[int, User], department_id: int | None) -> list[User]:
    """Who hears of something late: the supervisors and the department's lead (each once)."""
    people = list(sups)
    if department_id in leads:
        people.append(leads[department_id])
    return list({u.pk: u for u in people}.values())


def _leads() -> dict[int, User]:
    return {lead.department_id: lead.user for lead in DepartmentLead.objects.select_related("user")}


def department_lead_set(*, department: Department, user: User, actor: User | None = None) -> DepartmentLead:
    lead, _ = DepartmentLead.objects.update_or_create(department=department, defaults={"user": user})
    audit_record(actor=actor, action="supervision.lead", obj=lead, after={"department": department.code,
                                                                           "user": user.username})
    return lead


# ---------------------------------------------------------------- deadline watch


def _approvers_of(case: Case) -> list[User]:
    if case.accepted_by_id:
        return [case.accepted_by]
    return list(User.objects.filter(role=Role.APPROVER, department_id=case.matter.department_id, is_active=True,
                                    is_absent=False))


def deadline_watch(*, today: dt.date | None = None) -> dict[str, int]:
    """Turn the lights: remind the responsible approver at yellow, escalate to the department lead and the
    supervisors at red. Each case is reminded once per colour."""
    from yichuang.cases.selectors import case_light

    today = today or _today()
    horizon = today + dt.timedelta(days=60)
    counts = {"yellow": 0, "red": 0}
    sups, leads = supervisors(), _leads()
    qs = (Case.objects.select_related("matter__department", "accepted_by")
          .filter(state__in=(S.ACCEPTED, S.SUSPENDED), due_date__isnull=False, due_date__lte=horizon))
    for case in qs.iterator(chunk_size=500):
        lt = case_light(case=case, today=today)
        if lt not in (Light.YELLOW, Light.RED):
            continue
        link = f"/cases/{case.number}/"
        if lt == Light.YELLOW:
            title = f"黄灯预警：{case.number}（{case.matter.name}）将于{case.due_date:%m月%d日}到期"
            for user in _approvers_of(case):
                if inbox_post(user=user, title=title, level=NoticeLevel.YELLOW, link=link,
                              key=f"yellow:{case.number}"):
                    counts["yellow"] += 1
        else:
            title = f"红灯督办：{case.number}（{case.matter.name}）已超过承诺期限{case.due_date:%m月%d日}"
            people = _approvers_of(case) + _escalation(sups=sups, leads=leads,
                                                       department_id=case.matter.department_id)
            for user in {u.pk: u for u in people}.values():
                if inbox_post(user=user, title=title, level=NoticeLevel.RED, link=link, key=f"red:{case.number}"):
                    counts["red"] += 1
    return counts


# ---------------------------------------------------------------- 好差评


def _check_level(level: Any) -> int:
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
        out[key] = _check_level(value)
    return out


@transaction.atomic
def rating_submit(*, level: Any, case: Case | None = None, ticket=None, indicators: dict | None = None,
                  comment: str = "", channel: str | None = None, now: dt.datetime | None = None) -> Rating:
    """好差评: rate a case (after its decision) or a window service (a finished ticket). A case is rated once;
    a bad rating (不满意, 非常不满意) opens a rectification. A rating given while a rectification waits for its
    follow-up is that follow-up (复评) and closes it."""
    now = now or timezone.now()
    level = _check_level(level)
    if (case is None) == (ticket is None):
        raise ValidationFailed("请指定评价的办件或排队号。", "Rate either a case or a ticket.", field="case")
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
        from yichuang.hall.constants import TicketState

        if ticket.state != TicketState.DONE:
            raise ConflictError("办理结束后才能评价。", "A service can be rated once it is finished.", code="not_done")
        if Rating.objects.filter(ticket=ticket).exists():
            raise ConflictError("本次服务已评价。", "This service has already been rated.", code="rated")
        channel = channel or RatingChannel.OFFLINE
        centre, department, clerk = ticket.centre, None, ticket.clerk
    if channel not in RatingChannel.values:
        raise ValidationFailed("评价渠道应为线上或线下。", "The channel must be online or offline.", field="channel")
    rating = Rating.objects.create(case=case, ticket=ticket, centre=centre, department=department, clerk=clerk,
                                   channel=channel, level=level, indicators=_check_indicators(channel, indicators),
                                   comment=(comment or "").strip()[:2000], followup_of=followup_of, created_at=now)
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
    what = rating.case.number if rating.case_id else f"{rating.ticket.number} 号"
    for user in supervisors():
        inbox_post(user=user, title=f"差评整改：{what}（{RatingLevel(rating.level).label}）",
                   body=rating.comment, level=NoticeLevel.YELLOW, link=f"/supervision/rectifications/{rect.pk}/",
                   key=f"rect:{rect.pk}")
    return rect


def _supervisor(actor: User | None) -> None:
    if actor is None or actor.role not in STAFF_WRITE and actor.role != Role.APPROVER:
        raise PermissionDeniedError("只有效能监察、管理员或承办部门可以处理整改。",
                                    "Only supervisors, administrators or the department may handle this.",
                                    code="role")


def _rect_locked(rect: Rectification, actor: User) -> Rectification:
    _supervisor(actor)
    rect = Rectification.objects.select_for_update().get(pk=rect.pk)
    if actor.role == Role.APPROVER and actor.department_id != rect.department_id:
        raise PermissionDeniedError("该整改不属于您的部门。", "This rectification belongs to another department.",
                                    code="department")
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


def rectification_watch(*, today: dt.date | None = None) -> int:
    """Escalate overdue rectifications (callback or reply late) to the supervisors and the department lead."""
    today = today or _today()
    n = 0
    sups, leads = supervisors(), _leads()
    late = Rectification.objects.filter(escalated_at__isnull=True).exclude(state=RectificationState.CLOSED)
    for rect in late.select_related("rating__case"):
        overdue = (rect.state == RectificationState.OPEN and today > rect.callback_due) or \
                  (rect.state in (RectificationState.OPEN, RectificationState.CALLED_BACK) and today > rect.due)
        if not overdue:
            continue
        what = "回访" if rect.state == RectificationState.OPEN and today <= rect.due else "整改"
        for user in _escalation(sups=sups, leads=leads, department_id=rect.department_id):
            inbox_post(user=user, title=f"整改超期：第{rect.pk}号差评{what}已超期", level=NoticeLevel.RED,
                       link=f"/supervision/rectifications/{rect.pk}/", key=f"rect-late:{rect.pk}")
        Rectification.objects.filter(pk=rect.pk).update(escalated_at=timezone.now())
        audit_record(actor=None, action="rectification.escalated", obj=rect, after={"state": rect.state})
        n += 1
    return n


def rating_invites(*, now: dt.datetime | None = None) -> dict[str, int]:
    """邀评: invite after issuance; remind once after 3 days without a rating."""
    now = now or timezone.now()
    out = {"invited": 0, "reminded": 0}
    new = (Case.objects.select_related("matter", "handling_centre")
           .filter(state__in=(S.ISSUED, S.CLOSED), rating_invite__isnull=True, ratings__isnull=True))
    for case in new.iterator(chunk_size=500):
        RatingInvite.objects.get_or_create(case=case, defaults={"invited_at": now})
        _applicant_message(case, f"您的办件{case.number}已办结，请对本次服务作出评价。")
        out["invited"] += 1
    due = RatingInvite.objects.filter(reminded_at__isnull=True, invited_at__lte=now - dt.timedelta(days=REMIND_AFTER_DAYS),
                                      case__ratings__isnull=True).select_related("case__matter",
                                                                                 "case__handling_centre")
    for inv in due:
        _applicant_message(inv.case, f"您的办件{inv.case.number}尚未评价，欢迎对本次服务作出评价。")
        RatingInvite.objects.filter(pk=inv.pk).update(reminded_at=now)
        out["reminded"] += 1
    return out


def _applicant_message(case: Case, text: str) -> None:
    from yichuang.notify.constants import Event

    _send(event=Event.RATING, subject=f"邀请评价：{case.matter.name}（{case.number}）",
          body=f"【{case.handling_centre.name}】{text}", phone=case.contact_phone, case=case)


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
    if actor is not None and actor.role not in (Role.SUPERVISOR, Role.ADMIN, Role.GUIDE, Role.CLERK):
        raise PermissionDeniedError("您不能登记工单。", "You may not open tickets.", code="role")
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
    if department is not None:
        for user in User.objects.filter(role=Role.APPROVER, department=department, is_active=True):
            inbox_post(user=user, title=f"{ComplaintKind(kind).label}工单 {c.number}", body=content,
                       link=f"/supervision/complaints/{c.number}/", key=f"complaint:{c.number}")
    return c


@transaction.atomic
def complaint_resolve(*, complaint: Complaint, actor: User, resolution: str, satisfaction: Any = None,
                      now: dt.datetime | None = None) -> Complaint:
    if actor is None or actor.role not in (Role.SUPERVISOR, Role.ADMIN, Role.APPROVER, Role.GUIDE):
        raise PermissionDeniedError("您不能办结工单。", "You may not resolve tickets.", code="role")
    c = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if actor.role == Role.APPROVER and actor.department_id != c.department_id:
        raise PermissionDeniedError("该工单不属于您的部门。", "This ticket belongs to another department.",
                                    code="department")
    if c.state == ComplaintState.RESOLVED:
        raise ConflictError("工单已办结。", "The ticket is already resolved.", code="state")
    if not (resolution or "").strip():
        raise ValidationFailed("请填写办理结果。", "The resolution is required.", field="resolution")
    c.state, c.resolution, c.resolved_at = ComplaintState.RESOLVED, resolution.strip(), now or timezone.now()
    if satisfaction not in (None, ""):
        c.satisfaction = _check_level(satisfaction)
    c.save()
    audit_record(actor=actor, action="complaint.resolve", obj=c, after={"satisfaction": c.satisfaction})
    return c


def complaint_watch(*, today: dt.date | None = None) -> int:
    today = today or _today()
    n = 0
    sups = supervisors()
    for c in Complaint.objects.filter(state=ComplaintState.OPEN, due__lt=today, escalated_at__isnull=True):
        for user in sups:
            inbox_post(user=user, title=f"工单超期：{c.number}", level=NoticeLevel.RED,
                       link=f"/supervision/complaints/{c.number}/", key=f"complaint-late:{c.number}")
        Complaint.objects.filter(pk=c.pk).update(escalated_at=timezone.now())
        n += 1
    return n


# ---------------------------------------------------------------- 入户直通车 door-to-door days


def _clean_days(days) -> list[int]:
    try:
        out = sorted({int(d) for d in days})
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("服务日应为每月的日期（1–31）。", "Service days are days of the month (1–31).",
                               field="days") from exc
    if not out or any(d < 1 or d > 31 for d in out):
        raise ValidationFailed("服务日应为每月的日期（1–31）。", "Service days are days of the month (1–31).",
                               field="days")
    return out


@transaction.atomic
def zone_save(*, actor: User | None, centre: Centre, name: str, days, matters=(), capacity: int = 12,
              note: str = "") -> Zone:
    if not (name or "").strip():
        raise ValidationFailed("请填写片区名称。", "The zone name is required.", field="name")
    zone, _ = Zone.objects.update_or_create(centre=centre, name=name.strip(),
                                            defaults={"days": _clean_days(days), "capacity": capacity, "note": note})
    zone.matters.set(matters)
    audit_record(actor=actor, action="zone.save", obj=zone, after={"days": zone.days})
    return zone


def zone_next_days(*, zone: Zone, start: dt.date | None = None, count: int = 6) -> list[dt.date]:
    start = start or _today()
    out, d = [], start
    while len(out) < count and (d - start).days < 400:
        if d.day in zone.days:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


@transaction.atomic
def door_book(*, actor: User | None, zone: Zone, date: dt.date, name: str, phone: str, address: str, matter,
              note: str = "") -> DoorBooking:
    """上门服务预约 (by phone staff or on the page)."""
    if date.day not in zone.days:
        days = "、".join(str(d) for d in zone.days)
        raise ValidationFailed(f"{zone.name}的上门服务日为每月{days}日。",
                               f"This zone is served on days {', '.join(str(d) for d in zone.days)} of the month.",
                               field="date")
    if date < _today():
        raise ValidationFailed("不能预约过去的日期。", "The date is in the past.", field="date")
    if not zone.matters.filter(pk=matter.pk).exists():
        raise ValidationFailed(f"“{matter.name}”不在上门服务事项范围内。", "This matter is not offered door to door.",
                               field="matter")
    for value, field, label in ((name, "name", "姓名"), (phone, "phone", "电话"), (address, "address", "地址")):
        if not (value or "").strip():
            raise ValidationFailed(f"请填写{label}。", f"{field} is required.", field=field)
    Zone.objects.select_for_update().get(pk=zone.pk)
    if DoorBooking.objects.filter(zone=zone, date=date, state=BookingState.BOOKED).count() >= zone.capacity:
        raise ConflictError("当日上门服务已约满，请选择其他服务日。", "That day is fully booked.", code="full")
    b = DoorBooking.objects.create(zone=zone, date=date, name=name.strip(), phone=phone.strip(),
                                   address=address.strip(), matter=matter, note=note, created_by=actor)
    audit_record(actor=actor, action="door.book", obj=b, after={"zone": zone.name, "date": date})
    return b


@transaction.atomic
def door_done(*, booking: DoorBooking, actor: User, case_number: str = "") -> DoorBooking:
    b = DoorBooking.objects.select_for_update().get(pk=booking.pk)
    if b.state != BookingState.BOOKED:
        raise ConflictError("该预约已处理。", "This booking is already handled.", code="state")
    b.state, b.case_number = BookingState.DONE, (case_number or "").strip()
    b.save()
    audit_record(actor=actor, action="door.done", obj=b, after={"case": b.case_number})
    return b


def door_route(*, centre: Centre, date: dt.date) -> list[DoorBooking]:
    """The day's route list, by zone and address."""
    return list(DoorBooking.objects.select_related("zone", "matter")
                .filter(zone__centre=centre, date=date, state=BookingState.BOOKED).order_by("zone__name", "address"))


def tick(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, Any]:
    """One pass of every scheduled job (cron it, or run `yichuang scheduler`)."""
    from yichuang.cases import services as cases

    from .kpi import kpi_open_snapshot, kpi_rollup

    today = today or _today()
    out: dict[str, Any] = {
        "deemed_accepted": len(cases.apply_five_day_rule(today=today)),
        "tolerant_lapsed": len(cases.case_lapse_tolerant(today=today)),
        "lights": deadline_watch(today=today),
        "rectifications_escalated": rectification_watch(today=today),
        "complaints_escalated": complaint_watch(today=today),
        "ratings": rating_invites(now=now),
    }
    out["kpi_rows"] = kpi_rollup(day=today) + kpi_rollup(day=today - dt.timedelta(days=1))
    out["kpi_open_centres"] = kpi_open_snapshot(today=today)
    return out

