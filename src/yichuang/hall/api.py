"""Hall API: kiosk ticketing (public), ticket progress (public, ID masked), window calling (staff)."""

from __future__ import annotations

import datetime as dt
import io

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from yichuang.accounts.auth import api_auth
from yichuang.accounts.constants import Role
from yichuang.catalog.models import WindowDomain
from yichuang.core.errors import NotFound, PermissionDeniedError, ValidationFailed
from yichuang.core.validators import mask_id_number, mask_phone

from . import selectors, services
from .constants import PriorityClass, TicketSource
from .models import Appointment, AppointmentSlot, Ticket, Window

router = Router(tags=["hall 大厅排队叫号"])

HALL_ROLES = {Role.CLERK, Role.GUIDE, Role.ISSUER, Role.ADMIN}


def require_staff(user):
    if not getattr(user, "is_authenticated", False) or (user.role not in HALL_ROLES and not user.is_superuser):
        raise PermissionDeniedError("仅窗口、导服、出件人员或管理员可以操作。",
                                    "Only window, guide, issuance staff or administrators may do this.")
    return user


def _staff(request):
    return require_staff(request.auth if getattr(request, "auth", None) is not None else request.user)


_WHAT_EN = {"窗口": "window", "号": "ticket", "办事领域": "service area", "预约时段": "appointment slot"}


def _get(model, pk: int, what: str):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"找不到该{what}。", f"No such {_WHAT_EN.get(what, 'record')}.")
    return obj


def _centre_id(code: str) -> int:
    """The id of the centre with this code (行政区划代码, e.g. 500107); 404 for an unknown one."""
    return selectors.centre_get(code=code).pk


class TicketOut(Schema):
    id: int
    number: str
    centre_id: int
    domain_id: int
    domain: str
    matter_id: int | None
    state: str
    state_label: str
    priority: int
    priority_label: str
    id_number: str
    issued_at: dt.datetime
    called_at: dt.datetime | None
    window: str | None
    recall_count: int
    requeue_count: int
    case_numbers: list[str]
    ahead: int | None = None  # counted up to 999 ("999+" on the slip)
    estimated_wait_minutes: int | None = None
    progress_url: str
    rating_code: str | None = Field(None, description="评价码（仅取号时返回一次，印在凭条上） The one-time rating code, "
                                                      "answered once, at issue, for the slip")


class TicketStatusOut(Schema):
    """排队进度 (public, by a sequential id): what a waiting person needs, the number, the state, the place in the
    queue and the window called; never the linked case numbers or ID digits (the progress lookup and the rating
    take those)."""

    id: int
    number: str
    centre_id: int
    domain_id: int
    domain: str
    state: str
    state_label: str
    issued_at: dt.datetime
    called_at: dt.datetime | None
    window: str | None
    ahead: int | None = None  # counted up to 999 ("999+" on the slip)
    estimated_wait_minutes: int | None = None
    progress_url: str


def _status_out(ticket: Ticket) -> dict:
    full = _out(ticket, with_wait=True)
    return {k: full[k] for k in TicketStatusOut.model_fields}


def _out(ticket: Ticket, *, with_wait: bool = False) -> dict:
    data = {
        "id": ticket.pk, "number": ticket.number, "centre_id": ticket.centre_id, "domain_id": ticket.domain_id,
        "domain": ticket.domain.name, "matter_id": ticket.matter_id, "state": ticket.state,
        "state_label": ticket.get_state_display(), "priority": ticket.priority,
        "priority_label": PriorityClass(ticket.priority).label, "id_number": mask_id_number(ticket.id_number),
        "issued_at": ticket.issued_at, "called_at": ticket.called_at,
        "window": ticket.window.number if ticket.window_id else None, "recall_count": ticket.recall_count,
        "requeue_count": ticket.requeue_count, "case_numbers": ticket.case_numbers,
        "progress_url": f"/api/v1/hall/tickets/{ticket.pk}",
    }
    if with_wait:
        est = services.ticket_estimated_wait(ticket=ticket)
        data["ahead"], data["estimated_wait_minutes"] = est["ahead"], est["minutes"]
    return data


_TICKET_EXAMPLE = {"centre_id": 1, "domain_id": 2, "matter_id": None, "id_number": "500107195001010018"}


class TicketIn(Schema):
    """取号: the centre and the domain by id (``GET /hall/centres/{code}`` lists them), optionally the matter; an ID
    number of someone aged 70+ is served first (免等)."""

    centre_id: int = Field(description="中心 id（见 GET /hall/centres/{centre_code}） Centre id")
    domain_id: int = Field(description="办事领域 id（同上 domains[].id） Domain id")
    matter_id: int | None = None
    id_number: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [_TICKET_EXAMPLE]})


class StaffTicketIn(TicketIn):
    priority_reason: str = Field("", description="优先的理由（残疾人、军人等） Why the ticket is served first")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {**_TICKET_EXAMPLE, "id_number": "", "priority_reason": "残疾人优先"}]})


def _issue(payload: TicketIn, *, source: str, priority_reason: str = "", actor=None) -> dict:
    ticket = services.ticket_issue(centre=payload.centre_id, domain=payload.domain_id, matter=payload.matter_id,
                                   id_number=payload.id_number, source=source, priority_reason=priority_reason,
                                   actor=actor)
    return {**_out(ticket, with_wait=True), "rating_code": getattr(ticket, "rating_code", None)}


@router.post("/tickets", response={201: TicketOut}, auth=None, summary="取号（自助机） Take a ticket (kiosk)")
def ticket_issue(request, payload: TicketIn):
    return Status(201, _issue(payload, source=TicketSource.KIOSK))


@router.post("/tickets/staff", response={201: TicketOut}, auth=api_auth,
             summary="工作人员代取号（可标记优先） Issue by staff")
def ticket_issue_staff(request, payload: StaffTicketIn):
    user = _staff(request)
    return Status(201, _issue(payload, source=TicketSource.STAFF, priority_reason=payload.priority_reason, actor=user))


@router.get("/tickets/{ticket_id}", response=TicketStatusOut, auth=None, summary="排队进度 Ticket progress")
def ticket_status(request, ticket_id: int):
    return _status_out(selectors.ticket_get(ticket_id=ticket_id))


@router.get("/tickets/{ticket_id}/qr.svg", auth=None, summary="进度二维码 Progress QR code")
def ticket_qr(request, ticket_id: int):
    import qrcode
    import qrcode.image.svg

    ticket = selectors.ticket_get(ticket_id=ticket_id)
    # The slip page (a person scanning it wants the page with the queue ahead, not the JSON).
    img = qrcode.make(request.build_absolute_uri(reverse("hall:ticket", args=[ticket.pk])),
                      image_factory=qrcode.image.svg.SvgPathImage)
    buf = io.BytesIO()
    img.save(buf)
    return HttpResponse(buf.getvalue(), content_type="image/svg+xml")


@router.get("/centres/{centre_code}/tickets/{number}", response=TicketStatusOut, auth=None,
            summary="按号码查询（当天） Ticket by number (today)")
def ticket_by_number(request, centre_code: str, number: str):
    return _status_out(selectors.ticket_get(centre_id=_centre_id(centre_code), number=number))


class WindowOut(Schema):
    id: int
    number: str
    area: str
    window_type: str
    type_label: str
    state: str
    state_label: str
    clerk: str | None
    domain_ids: list[int]


def _window_out(w: Window) -> dict:
    return {"id": w.pk, "number": w.number, "area": w.area, "window_type": w.window_type,
            "type_label": w.get_window_type_display(), "state": w.state, "state_label": w.get_state_display(),
            "clerk": str(w.clerk) if w.clerk_id else None, "domain_ids": [d.pk for d in w.domains.all()]}


class CentreBriefOut(Schema):
    id: int
    code: str
    name: str
    level: str
    level_label: str


class CentreDomainOut(Schema):
    id: int
    code: str
    name: str
    ticket_prefix: str
    waiting: int
    open_windows: int = Field(description="此刻能办该领域的开放窗口数（为0时不能取号） Open windows serving it now")


class CentreOut(CentreBriefOut):
    address: str
    phone: str
    opening_hours: str
    domains: list[CentreDomainOut]
    windows: list[WindowOut]


def _centre_brief(c) -> dict:
    return {"id": c.pk, "code": c.code, "name": c.name, "level": c.level, "level_label": c.get_level_display()}


@router.get("/centres", response=list[CentreBriefOut], auth=None, summary="中心列表 Centres")
def centres_list(request):
    return [_centre_brief(c) for c in selectors.centre_list()]


@router.get("/centres/{centre_code}", response=CentreOut, auth=None,
            summary="中心：取号领域（含 id、等候人数、开放窗口数）与窗口 A centre by its code: domains and windows")
def centre_detail(request, centre_code: str):
    """``centre_code``: 行政区划代码, e.g. 500107. ``domains[].id`` and ``id`` are what ``POST /hall/tickets`` takes."""
    centre = selectors.centre_get(code=centre_code)
    return {**_centre_brief(centre), "address": centre.address, "phone": centre.phone,
            "opening_hours": centre.opening_hours, "domains": selectors.centre_domains(centre_id=centre.pk),
            "windows": [_window_out(w) for w in selectors.window_list(centre_id=centre.pk)]}


@router.get("/centres/{centre_code}/windows", response=list[WindowOut], auth=None, summary="窗口列表 Windows")
def windows_list(request, centre_code: str):
    return [_window_out(w) for w in selectors.window_list(centre_id=_centre_id(centre_code))]


@router.get("/centres/{centre_code}/queues", auth=None, summary="各领域等候人数 Queues")
def queues(request, centre_code: str):
    return selectors.queue_overview(centre_id=_centre_id(centre_code))


@router.get("/centres/{centre_code}/board", auth=None, summary="叫号显示屏（最近叫号） Display board: recent calls")
def board(request, centre_code: str, limit: int = 10):
    return selectors.board_recent_calls(centre_id=_centre_id(centre_code), limit=max(1, min(limit, 50)))


@router.get("/centres/{centre_code}/stats", auth=api_auth, summary="统计（按领域/窗口/人员） Stats per day")
def stats(request, centre_code: str, day: dt.date | None = None, by: str = "domain"):
    user = request.auth
    if user.role != Role.SUPERVISOR:  # 效能监察 reads every statistic (and writes nothing)
        _staff(request)
    return selectors.hall_stats(centre_id=_centre_id(centre_code), day=day or timezone.localdate(), by=by)


def _window_for(request, window_id: int):
    user = _staff(request)
    return _get(Window, window_id, "窗口"), user


@router.post("/windows/{window_id}/sign-in", response=WindowOut, auth=api_auth, summary="窗口签到 Sign in")
def window_sign_in(request, window_id: int):
    window, user = _window_for(request, window_id)
    services.clerk_sign_in(window=window, clerk=user)
    return _window_out(_get(Window, window_id, "窗口"))


@router.post("/windows/{window_id}/sign-out", response=WindowOut, auth=api_auth, summary="签退 Sign out")
def window_sign_out(request, window_id: int):
    window, user = _window_for(request, window_id)
    services.clerk_sign_out(window=window, clerk=user)
    return _window_out(_get(Window, window_id, "窗口"))


class WindowStateIn(Schema):
    state: str = Field(description="open 开放、paused 暂停、closed 关闭")

    model_config = ConfigDict(json_schema_extra={"examples": [{"state": "paused"}]})


@router.post("/windows/{window_id}/state", response=WindowOut, auth=api_auth,
             summary="开放/暂停/关闭窗口 Open, pause or close")
def window_state(request, window_id: int, payload: WindowStateIn):
    window, user = _window_for(request, window_id)
    if window.clerk_id != user.pk and user.role != Role.ADMIN:
        raise PermissionDeniedError("只有在该窗口签到的人员或管理员可以改变窗口状态。",
                                    "Only the clerk at the window or an administrator may change its state.")
    return _window_out(services.window_set_state(window=window, actor=user, state=payload.state))


@router.post("/windows/{window_id}/call-next", response=TicketOut, auth=api_auth, summary="叫下一号 Call next")
def call_next(request, window_id: int):
    user = _staff(request)  # the window is checked by the service (one statement on PostgreSQL)
    return _out(services.ticket_call_next(window=window_id, clerk=user))


def _ticket_action(request, window_id: int, ticket_id: int):
    window, user = _window_for(request, window_id)
    return window, user, _get(Ticket, ticket_id, "号")


@router.post("/windows/{window_id}/tickets/{ticket_id}/call", response=TicketOut, auth=api_auth,
             summary="叫指定号 Call a given ticket")
def call_specific(request, window_id: int, ticket_id: int):
    window, user, ticket = _ticket_action(request, window_id, ticket_id)
    return _out(services.ticket_call_specific(window=window, clerk=user, ticket=ticket))


@router.post("/windows/{window_id}/tickets/{ticket_id}/recall", response=TicketOut, auth=api_auth,
             summary="重呼 Recall")
def recall(request, window_id: int, ticket_id: int):
    window, user, ticket = _ticket_action(request, window_id, ticket_id)
    return _out(services.ticket_recall(window=window, clerk=user, ticket=ticket))


class NoShowIn(Schema):
    requeue: bool = Field(True, description="true 过号后重新排队（每号一次）；false 不再排队 "
                                            "true puts the ticket back in the queue (once); false ends it")

    model_config = ConfigDict(json_schema_extra={"examples": [{"requeue": False}]})


@router.post("/windows/{window_id}/tickets/{ticket_id}/no-show", response=TicketOut, auth=api_auth,
             summary="过号 No-show")
def no_show(request, window_id: int, ticket_id: int, payload: NoShowIn | None = None):
    """Without a body the ticket is re-queued once (``requeue`` true)."""
    window, user, ticket = _ticket_action(request, window_id, ticket_id)
    requeue = payload.requeue if payload is not None else True
    return _out(services.ticket_no_show(window=window, clerk=user, ticket=ticket, requeue=requeue))


class TransferIn(Schema):
    domain_id: int | None = Field(None, description="转到的办事领域 id Domain to move the ticket to")
    window_id: int | None = Field(None, description="或指定窗口 id Or a window")

    model_config = ConfigDict(json_schema_extra={"examples": [{"domain_id": 3}]})


@router.post("/windows/{window_id}/tickets/{ticket_id}/transfer", response=TicketOut, auth=api_auth,
             summary="转移 Transfer")
def transfer(request, window_id: int, ticket_id: int, payload: TransferIn):
    window, user, ticket = _ticket_action(request, window_id, ticket_id)
    to_domain = _get(WindowDomain, payload.domain_id, "办事领域") if payload.domain_id else None
    to_window = _get(Window, payload.window_id, "窗口") if payload.window_id else None
    return _out(services.ticket_transfer(window=window, clerk=user, ticket=ticket, to_domain=to_domain,
                                         to_window=to_window))


@router.post("/windows/{window_id}/tickets/{ticket_id}/start", response=TicketOut, auth=api_auth,
             summary="开始办理 Start service")
def start(request, window_id: int, ticket_id: int):
    window, user, ticket = _ticket_action(request, window_id, ticket_id)
    return _out(services.ticket_start_service(window=window, clerk=user, ticket=ticket))


@router.post("/windows/{window_id}/tickets/{ticket_id}/finish", response=TicketOut, auth=api_auth,
             summary="办结 Finish")
def finish(request, window_id: int, ticket_id: int):
    user = _staff(request)
    return _out(services.ticket_finish(window=window_id, clerk=user, ticket=ticket_id))


@router.post("/windows/{window_id}/tickets/{ticket_id}/finish-and-call-next", response=TicketOut, auth=api_auth,
             summary="办结并叫下一号 Finish and call next")
def finish_and_call_next(request, window_id: int, ticket_id: int):
    """Finishes the ticket and answers with the next one called. The finish stands when nobody can be called
    (the answer is then the call-next error)."""
    user = _staff(request)
    return _out(services.ticket_finish_and_call_next(window=window_id, clerk=user, ticket=ticket_id))


class LinkIn(Schema):
    case_number: str

    model_config = ConfigDict(json_schema_extra={"examples": [{"case_number": "500107-20261202-0001"}]})


@router.post("/windows/{window_id}/tickets/{ticket_id}/cases", response=TicketOut, auth=api_auth,
             summary="关联办件 Link a case")
def link_case(request, window_id: int, ticket_id: int, payload: LinkIn):
    window, user, ticket = _ticket_action(request, window_id, ticket_id)
    return _out(services.ticket_link_case(window=window, clerk=user, ticket=ticket, case_number=payload.case_number))


# ---------------------------------------------------------------- appointments


class SlotOut(Schema):
    id: int
    domain_id: int
    date: dt.date
    start: dt.time
    end: dt.time
    capacity: int
    booked: int


@router.get("/centres/{centre_code}/slots", response=list[SlotOut], auth=None, summary="预约时段 Slots")
def slots(request, centre_code: str, domain_id: int | None = None, date: dt.date | None = None):
    qs = selectors.slots_open(centre_id=_centre_id(centre_code), domain_id=domain_id, day=date)
    return [{"id": s.pk, "domain_id": s.domain_id, "date": s.date, "start": s.start, "end": s.end,
             "capacity": s.capacity, "booked": s.booked} for s in qs]


class BookIn(Schema):
    slot_id: int = Field(description="预约时段 id（GET /hall/centres/{centre_code}/slots） Slot id")
    name: str
    id_number: str
    phone: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "slot_id": 1, "name": "李秀英", "id_number": "500107198507120023", "phone": "13900139000"}]})


class AppointmentOut(Schema):
    id: int
    code: str
    slot_id: int
    name: str
    id_number: str
    phone: str
    state: str
    state_label: str
    ticket: TicketOut | None = None


def _appt_out(a: Appointment) -> dict:
    return {"id": a.pk, "code": a.code, "slot_id": a.slot_id, "name": a.name,
            "id_number": mask_id_number(a.id_number), "phone": mask_phone(a.phone), "state": a.state,
            "state_label": a.get_state_display(), "ticket": _out(a.ticket, with_wait=True) if a.ticket_id else None}


def _appointment(code: str, id_number: str) -> Appointment:
    return selectors.appointment_find(code=code, id_number=id_number)


@router.post("/appointments", response={201: AppointmentOut}, auth=None, summary="预约 Book")
def book(request, payload: BookIn):
    slot = _get(AppointmentSlot, payload.slot_id, "预约时段")
    appointment = services.appointment_book(slot=slot, name=payload.name, id_number=payload.id_number,
                                            phone=payload.phone)
    return Status(201, _appt_out(appointment))


class AppointmentKeyIn(Schema):
    code: str = Field(description="预约码 Appointment code")
    id_number: str

    model_config = ConfigDict(json_schema_extra={"examples": [{"code": "3F9A1C2B", "id_number": "500107198507120023"}]})


@router.post("/appointments/cancel", response=AppointmentOut, auth=None, summary="取消预约 Cancel")
def cancel(request, payload: AppointmentKeyIn):
    return _appt_out(services.appointment_cancel(appointment=_appointment(payload.code, payload.id_number)))


@router.post("/appointments/check-in", response=AppointmentOut, auth=None, summary="预约签到取号 Check in")
def check_in(request, payload: AppointmentKeyIn):
    if not payload.code:
        raise ValidationFailed("请填写预约码。", "The appointment code is required.", field="code")
    return _appt_out(services.appointment_check_in(appointment=_appointment(payload.code, payload.id_number)))
