"""REST routes under /api/v1/supervision. Thin: parse, call one service or selector."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from yichuang.accounts.auth import api_auth
from yichuang.accounts.models import Centre, Department
from yichuang.cases.models import Case
from yichuang.catalog.models import Matter
from yichuang.core.errors import NotFound, PermissionDeniedError, ValidationFailed

from . import selectors, services
from .kpi import kpi_dashboard
from .models import Rectification, Zone

router = Router(tags=["supervision 效能监察"])


class RatingIn(Schema):
    level: int = Field(description="1 非常不满意 … 5 非常满意 1 (very dissatisfied) to 5 (very satisfied)")
    case_number: str = ""
    code: str = Field("", description="申请人证件号码或统一社会信用代码后四位 Last 4 of the applicant's ID or credit code")
    ticket_id: int | None = Field(None, description="或评价当天的窗口服务（排队号 id） Or rate today's window service")
    indicators: dict[str, int] = Field({}, description="分项评分 overall/efficiency/quality/attitude → 1..5")
    comment: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "level": 5, "case_number": "500107-20261202-0001", "code": "0018",
        "indicators": {"overall": 5, "efficiency": 5, "quality": 5, "attitude": 5}, "comment": "一次办成，很方便"}]})


@router.post("/ratings", summary="好差评 Rate a case or a window service (public)")
def rate(request, payload: RatingIn):
    from yichuang.hall.models import Ticket

    case = ticket = None
    if payload.case_number:
        case = Case.objects.filter(number=payload.case_number.strip()).first()
        if case is None or len(payload.code) != 4 or case.applicant_identifier[-4:].upper() != payload.code.upper():
            raise NotFound("未找到办件，请核对办件编号和证件号码后四位。", "No case found; check the number and code.")
    elif payload.ticket_id:
        ticket = Ticket.objects.filter(pk=payload.ticket_id, day=timezone.localdate()).first()
        if ticket is None:
            raise NotFound("排队号不存在或已过期。", "No such ticket today.")
    r = services.rating_submit(case=case, ticket=ticket, level=payload.level, indicators=payload.indicators,
                               comment=payload.comment)
    rect = getattr(r, "rectification", None)
    return {"id": r.pk, "level": r.level, "rectification": rect.pk if rect else None,
            "callback_due": rect.callback_due if rect else None, "due": rect.due if rect else None}


@router.get("/kpi", auth=api_auth, summary="指标看板 KPI dashboard")
def kpi(request, start: str | None = None, end: str | None = None, centre: str | None = None):
    selectors.require_reader(request.auth)
    s, e = selectors.parse_range(start, end)
    c = Centre.objects.filter(code=centre).first() if centre else None
    if centre and c is None:
        raise NotFound("中心不存在。", "No such centre.")
    return kpi_dashboard(start=s, end=e, centre_ids=[c.pk] if c else None)


def _rect_out(r: Rectification) -> dict[str, Any]:
    return {"id": r.pk, "state": r.state, "level": r.rating.level, "case": r.rating.case.number if r.rating.case_id
            else None, "department": r.department.name if r.department_id else None, "opened_on": r.opened_on,
            "callback_due": r.callback_due, "due": r.due, "callback_note": r.callback_note, "reply": r.reply,
            "escalated": r.escalated_at is not None}


@router.get("/rectifications", auth=api_auth, summary="差评整改 Open rectifications")
def rectifications(request):
    user = request.auth
    if user.role != "approver":
        selectors.require_reader(user)
    return [_rect_out(r) for r in selectors.rectifications_open(user=user)]


class RectificationNoteIn(Schema):
    text: str = Field("", description="回访记录或整改答复 The callback note or the reply")

    model_config = ConfigDict(json_schema_extra={"examples": [{"text": "已电话回访申请人，说明材料要求并致歉"}]})


@router.post("/rectifications/{pk}/{step}", auth=api_auth, summary="回访 / 答复 / 办结 Callback, reply or close")
def rectification_step(request, pk: int, step: str, payload: RectificationNoteIn):
    rect = selectors.rectification_get(pk=pk, user=request.auth)
    if step == "callback":
        rect = services.rectification_callback(rect=rect, actor=request.auth, note=payload.text)
    elif step == "reply":
        rect = services.rectification_reply(rect=rect, actor=request.auth, reply=payload.text)
    elif step == "close":
        rect = services.rectification_close(rect=rect, actor=request.auth)
    else:
        raise ValidationFailed("步骤应为 callback、reply 或 close。", "Step must be callback, reply or close.",
                               field="step")
    return _rect_out(rect)


class ComplaintIn(Schema):
    kind: str = Field(description="consult 咨询、help 求助、complaint 投诉")
    channel: str = Field(description="window 办不成事反映窗口、hotline 热线电话、online 网上、letter 来信")
    content: str
    name: str = ""
    phone: str = ""
    case_number: str = ""
    matter_code: str = ""
    department_code: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "kind": "complaint", "channel": "window", "content": "办理食品经营许可被要求重复提交营业执照复印件",
        "name": "王建国", "phone": "13800138000"}]})


def _complaint_out(c) -> dict[str, Any]:
    return {"number": c.number, "kind": c.kind, "channel": c.channel, "content": c.content, "state": c.state,
            "department": c.department.name if c.department_id else None, "case_number": c.case_number,
            "opened_on": c.opened_on, "due": c.due, "resolution": c.resolution, "satisfaction": c.satisfaction}


@router.get("/complaints", auth=api_auth, summary="办不成事与热线工单 Tickets")
def complaints(request, state: str | None = None):
    return [_complaint_out(c) for c in selectors.complaints(user=request.auth, state=state)]


@router.post("/complaints", auth=api_auth, summary="登记工单 Open a ticket")
def complaint_open(request, payload: ComplaintIn):
    user = request.auth
    matter = Matter.objects.filter(implementation_code=payload.matter_code).first() if payload.matter_code else None
    if payload.matter_code and matter is None:
        raise ValidationFailed("事项不存在。", "No such matter.", field="matter_code")
    dept = Department.objects.filter(code=payload.department_code).first() if payload.department_code else None
    if payload.department_code and dept is None:
        raise ValidationFailed("部门不存在。", "No such department.", field="department_code")
    centre = user.centre or Centre.objects.order_by("id").first()
    c = services.complaint_open(actor=user, centre=centre, kind=payload.kind, channel=payload.channel,
                                content=payload.content, name=payload.name, phone=payload.phone,
                                case_number=payload.case_number, matter=matter, department=dept)
    return _complaint_out(c)


class ResolveIn(Schema):
    resolution: str
    satisfaction: int | None = Field(None, description="申请人满意度 1..5 The applicant's satisfaction")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "resolution": "已协调市场监管局通过电子证照核验，无需再交复印件", "satisfaction": 5}]})


@router.post("/complaints/{number}/resolve", auth=api_auth, summary="办结工单 Resolve a ticket")
def complaint_resolve(request, number: str, payload: ResolveIn):
    c = selectors.complaint_get(number=number, user=request.auth)
    return _complaint_out(services.complaint_resolve(complaint=c, actor=request.auth, resolution=payload.resolution,
                                                     satisfaction=payload.satisfaction))


class BookingIn(Schema):
    zone_id: int = Field(description="片区 id（GET /supervision/zones） Zone id")
    date: dt.date
    name: str
    phone: str
    address: str
    matter_code: str
    note: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "zone_id": 1, "date": "2026-12-08", "name": "张桂兰", "phone": "13700137000",
        "address": "重庆市九龙坡区石桥铺街道科园四路12号", "matter_code": "11500107MB1A2B3C4M000101001000001",
        "note": "行动不便，上门办理"}]})


def _staff(user) -> None:
    if user.role not in ("supervisor", "admin", "guide", "clerk"):
        raise PermissionDeniedError("您不能办理上门服务预约。", "You may not book door-to-door visits.")


@router.get("/zones", auth=api_auth, summary="入户直通车片区 Door-to-door zones")
def zones(request):
    _staff(request.auth)
    return [{"id": z.pk, "name": z.name, "days": z.days, "capacity": z.capacity,
             "matters": [m.implementation_code for m in z.matters.all()],
             "next_days": services.zone_next_days(zone=z)} for z in Zone.objects.prefetch_related("matters")]


@router.post("/door-bookings", auth=api_auth, summary="上门服务预约 Book a door-to-door visit")
def door_book(request, payload: BookingIn):
    _staff(request.auth)
    zone = Zone.objects.filter(pk=payload.zone_id).first()
    matter = Matter.objects.filter(implementation_code=payload.matter_code).first()
    if zone is None:
        raise ValidationFailed("片区不存在。", "No such zone.", field="zone_id")
    if matter is None:
        raise ValidationFailed("事项不存在。", "No such matter.", field="matter_code")
    b = services.door_book(actor=request.auth, zone=zone, date=payload.date, name=payload.name, phone=payload.phone,
                           address=payload.address, matter=matter, note=payload.note)
    return {"id": b.pk, "zone": zone.name, "date": b.date, "state": b.state}


@router.get("/door-route", auth=api_auth, summary="当日上门路线 The day's route")
def door_route(request, date: dt.date, centre: str | None = None):
    _staff(request.auth)
    c = Centre.objects.filter(code=centre).first() if centre else request.auth.centre
    if c is None:
        raise NotFound("中心不存在。", "No such centre.")
    return [{"id": b.pk, "zone": b.zone.name, "address": b.address, "name": b.name, "phone": b.phone,
             "matter": b.matter.name} for b in services.door_route(centre=c, date=date)]


@router.get("/inbox", auth=api_auth, summary="站内消息 My messages")
def inbox(request, unread: bool = False):
    return [{"id": m.pk, "level": m.level, "title": m.title, "body": m.body, "link": m.link,
             "created_at": m.created_at, "read": m.read_at is not None}
            for m in selectors.inbox_of(user=request.auth, unread_only=unread)]


@router.post("/inbox/read", auth=api_auth, summary="标为已读 Mark read")
def inbox_read(request):
    return {"marked": services.inbox_mark_read(user=request.auth)}
