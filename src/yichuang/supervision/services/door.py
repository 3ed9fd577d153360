"""入户直通车: door-to-door service zones (fixed days of the month) and the bookings of a day's route."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre, User
from yichuang.accounts.selectors import centre_in_jurisdiction
from yichuang.audit.services import audit_record
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed

from ..constants import BookingState
from ..models import DoorBooking, Zone


# Who writes (deny by default): the front office books and serves the visits, administrators set the zones.
# Supervisors (效能监察) see the routes and the zones and write nothing.
DOOR_WRITE = (Role.CLERK, Role.GUIDE, Role.ADMIN)


def _today() -> dt.date:
    return timezone.localdate()


def door_check_writer(*, actor: User | None, centre_id: int | None, roles=DOOR_WRITE) -> None:
    """Refuse a door-to-door write by anyone but ``roles`` of the zone's centre (or a centre above it). ``actor``
    None: the demo loader and the scheduled jobs."""
    if actor is None:
        return
    if actor.role not in roles and not (actor.is_superuser and Role.ADMIN in roles):
        raise PermissionDeniedError("只有综窗受理员、帮办代办员或管理员可以办理上门服务（效能监察只查看）。",
                                    "Only window clerks, guides and administrators handle door-to-door visits; "
                                    "supervisors watch.", code="role")
    if not centre_in_jurisdiction(user=actor, centre_id=centre_id):
        raise PermissionDeniedError("该片区不属于您所在中心的管辖范围。", "This zone belongs to a centre outside your "
                                    "jurisdiction.", code="jurisdiction")


def door_may_write(*, user: User | None, centre_id: int | None) -> bool:
    """For the page: whether it offers ``user`` to book and to mark visits done (the service decides)."""
    try:
        door_check_writer(actor=user, centre_id=centre_id)
    except PermissionDeniedError:
        return False
    return user is not None


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
    door_check_writer(actor=actor, centre_id=centre.pk, roles=(Role.ADMIN,))
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
    door_check_writer(actor=actor, centre_id=zone.centre_id)
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
    b = DoorBooking.objects.select_for_update().select_related("zone").get(pk=booking.pk)
    if actor is None:
        raise PermissionDeniedError("上门办理须由工作人员登记。", "A staff member records the visit.", code="role")
    door_check_writer(actor=actor, centre_id=b.zone.centre_id)
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
