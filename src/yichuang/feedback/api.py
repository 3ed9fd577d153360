"""REST routes of feedback, mounted under /api/v1/supervision beside supervision's own (the paths, the tag and
the operation ids are those they had before feedback was its own app). Thin: parse, call one service or selector."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from yichuang.accounts.auth import api_auth
from yichuang.accounts.models import Centre, Department
from yichuang.cases.models import Case
from yichuang.catalog.models import Matter
from yichuang.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from yichuang.hall.models import Ticket

from . import selectors, services
from .models import Complaint, Rectification

router = Router(tags=["supervision 效能监察"])


class RatingIn(Schema):
    level: int = Field(description="1 非常不满意 … 5 非常满意 1 (very dissatisfied) to 5 (very satisfied)")
    case_number: str = ""
    code: str = Field("", description="评价码（取号凭条或短信上的8位数字，仅限一次） The one-time rating code (8 digits, "
                                      "on the ticket slip or in the SMS)")
    ticket_id: int | None = Field(None, description="或评价当天的窗口服务（排队号 id） Or rate today's window service")
    indicators: dict[str, int] = Field({}, description="分项评分 overall/efficiency/quality/attitude → 1..5")
    comment: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "level": 5, "case_number": "500107-20261202-0001", "code": "40912376",
        "indicators": {"overall": 5, "efficiency": 5, "quality": 5, "attitude": 5}, "comment": "一次办成，很方便"}]})


@router.post("/ratings", operation_id="supervision_rate", summary="好差评 Rate a case or a window service (public)")
def rate(request, payload: RatingIn):
    case = ticket = None
    if payload.case_number:
        case = Case.objects.filter(number=payload.case_number.strip()).first()
        if case is None:  # answered as a wrong code: the endpoint tells nobody which case numbers exist
            raise PermissionDeniedError("评价码不正确，请核对取号凭条或短信。",
                                        "The rating code is wrong; check the ticket slip or the SMS.", code="bad_code")
    elif payload.ticket_id:
        ticket = Ticket.objects.filter(pk=payload.ticket_id, day=timezone.localdate()).first()
        if ticket is None:
            raise NotFound("排队号不存在或已过期。", "No such ticket today.")
    r = services.rating_submit(case=case, ticket=ticket, level=payload.level, code=payload.code,
                               indicators=payload.indicators, comment=payload.comment)
    rect = getattr(r, "rectification", None)
    return {"id": r.pk, "level": r.level, "rectification": rect.pk if rect else None,
            "callback_due": rect.callback_due if rect else None, "due": rect.due if rect else None}


def _rect_out(r: Rectification) -> dict[str, Any]:
    return {"id": r.pk, "state": r.state, "level": r.rating.level, "case": r.rating.case.number if r.rating.case_id
            else None, "department": r.department.name if r.department_id else None, "opened_on": r.opened_on,
            "callback_due": r.callback_due, "due": r.due, "callback_note": r.callback_note, "reply": r.reply,
            "escalated": r.escalated_at is not None}


@router.get("/rectifications", auth=api_auth, operation_id="supervision_rectifications",
            summary="差评整改 Open rectifications")
def rectifications(request):
    user = request.auth
    if user.role != "approver":
        selectors.require_reader(user)
    return [_rect_out(r) for r in selectors.rectifications_open(user=user)]


class RectificationNoteIn(Schema):
    text: str = Field("", description="回访记录或整改答复 The callback note or the reply")

    model_config = ConfigDict(json_schema_extra={"examples": [{"text": "已电话回访申请人，说明材料要求并致歉"}]})


@router.post("/rectifications/{pk}/{step}", auth=api_auth, operation_id="supervision_rectification_step",
             summary="回访 / 答复 / 办结 Callback, reply or close")
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


def _complaint_out(c: Complaint) -> dict[str, Any]:
    return {"number": c.number, "kind": c.kind, "channel": c.channel, "content": c.content, "state": c.state,
            "department": c.department.name if c.department_id else None, "case_number": c.case_number,
            "opened_on": c.opened_on, "due": c.due, "resolution": c.resolution, "satisfaction": c.satisfaction}


@router.get("/complaints", auth=api_auth, operation_id="supervision_complaints", summary="办不成事与热线工单 Tickets")
def complaints(request, state: str | None = None):
    return [_complaint_out(c) for c in selectors.complaints(user=request.auth, state=state)]


@router.post("/complaints", auth=api_auth, operation_id="supervision_complaint_open", summary="登记工单 Open a ticket")
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


@router.post("/complaints/{number}/resolve", auth=api_auth, operation_id="supervision_complaint_resolve",
             summary="办结工单 Resolve a ticket")
def complaint_resolve(request, number: str, payload: ResolveIn):
    c = selectors.complaint_get(number=number, user=request.auth)
    return _complaint_out(services.complaint_resolve(complaint=c, actor=request.auth, resolution=payload.resolution,
                                                     satisfaction=payload.satisfaction))


# ---------------------------------------------------------------- 申诉复核 and the public disclosure


def _appeal_out(a) -> dict[str, Any]:
    return {"id": a.pk, "rating": a.rating_id, "level": a.rating.level, "state": a.state,
            "state_label": a.get_state_display(), "reason": a.reason, "filed_at": a.filed_at,
            "decided_at": a.decided_at, "decision_note": a.decision_note, "excluded": a.rating.excluded_at is not None}


class AppealIn(Schema):
    reason: str = Field(description="申诉理由 Why the bad rating is wrong or malicious")

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "评价人当天未到本窗口办理，系误评"}]})


@router.post("/ratings/{pk}/appeal", auth=api_auth, operation_id="supervision_rating_appeal",
             summary="差评申诉 Appeal a bad rating (rated clerk or department)")
def rating_appeal(request, pk: int, payload: AppealIn):
    rating = selectors.rating_get(pk=pk)
    return _appeal_out(services.appeal_file(rating=rating, actor=request.auth, reason=payload.reason))


@router.get("/appeals", auth=api_auth, operation_id="supervision_appeals", summary="申诉复核 Appeals")
def appeals(request):
    return [_appeal_out(a) for a in selectors.appeals(user=request.auth)]


class AppealDecideIn(Schema):
    uphold: bool = Field(description="true 申诉成立（评价不计入、整改办结）；false 申诉不成立 Uphold or reject")
    note: str = Field(description="复核意见 The reason for the decision")

    model_config = ConfigDict(json_schema_extra={"examples": [{"uphold": True, "note": "经调取录像核实，评价人当天未办理"}]})


@router.post("/appeals/{pk}/decide", auth=api_auth, operation_id="supervision_appeal_decide",
             summary="复核申诉 Decide an appeal (supervisor)")
def appeal_decide(request, pk: int, payload: AppealDecideIn):
    appeal = selectors.appeal_get(pk=pk, user=request.auth)
    return _appeal_out(services.appeal_decide(appeal=appeal, actor=request.auth, uphold=payload.uphold,
                                              note=payload.note))


@router.get("/disclosure/{month}", operation_id="supervision_disclosure",
            summary="好差评月度公开 Monthly disclosure (public)")
def disclosure(request, month: str):
    return selectors.disclosure_month(**_month(month))


def _month(text: str) -> dict[str, int]:
    try:
        year, month = (int(x) for x in text.split("-"))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        raise ValidationFailed("月份格式应为 YYYY-MM。", "The month must be YYYY-MM.", field="month") from None
    return {"year": year, "month": month}
