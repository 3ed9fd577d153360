"""REST routes under /api/v1/supervision: the KPI dashboard, door-to-door days and the staff inbox (ratings,
rectifications and tickets are feedback's routes, mounted under the same prefix). Thin: parse, call one service or
selector."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema
from pydantic import ConfigDict

from yichuang.accounts.auth import api_auth
from yichuang.accounts.models import Centre
from yichuang.catalog.models import Matter
from yichuang.core.errors import NotFound, PermissionDeniedError, ValidationFailed

from . import selectors, services
from .kpi import kpi_dashboard
from .models import Zone

router = Router(tags=["supervision 效能监察"])


@router.get("/kpi", auth=api_auth, summary="指标看板 KPI dashboard")
def kpi(request, start: str | None = None, end: str | None = None, centre: str | None = None):
    selectors.require_reader(request.auth)
    s, e = selectors.parse_range(start, end)
    c = Centre.objects.filter(code=centre).first() if centre else None
    if centre and c is None:
        raise NotFound("中心不存在。", "No such centre.")
    return kpi_dashboard(start=s, end=e, centre_ids=[c.pk] if c else None)


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
