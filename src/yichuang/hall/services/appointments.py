"""Appointments (预约): slots, booking, cancelling, and check-in, which takes a number."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from yichuang.audit.services import audit_record
from yichuang.catalog.models import WindowDomain
from yichuang.core.errors import ConflictError, ValidationFailed
from yichuang.core.validators import validate_id_number

from ..constants import CHECKIN_EARLY_MINUTES, CHECKIN_GRACE_MINUTES, AppointmentState, TicketSource
from ..models import Appointment, AppointmentSlot
from .tickets import ticket_issue


@transaction.atomic
def slot_create(*, centre, domain: WindowDomain, date: dt.date, start: dt.time, end: dt.time,
                capacity: int) -> AppointmentSlot:
    if end <= start:
        raise ValidationFailed("结束时间须晚于开始时间。", "The end must be after the start.", field="end")
    if capacity < 1:
        raise ValidationFailed("容量至少为1。", "Capacity must be at least 1.", field="capacity")
    return AppointmentSlot.objects.create(centre=centre, domain=domain, date=date, start=start, end=end,
                                          capacity=capacity)


_PHONE_SEPARATORS = str.maketrans("", "", " -()（）")


def validate_phone(value: str, *, required: bool = False, field: str = "phone") -> str:
    """A mainland mobile number (11 digits, 1[3-9]…, an optional +86/0086 in front) or a landline with its area
    code (0 + 2–3 digits, then 7–8 digits); returned without separators. Blank is allowed unless ``required``."""
    raw = (value or "").strip().translate(_PHONE_SEPARATORS)
    if not raw:
        if required:
            raise ValidationFailed("请填写手机号码。", "The phone number is required.", field=field)
        return ""
    for prefix in ("+86", "0086"):
        if raw.startswith(prefix) and len(raw) == len(prefix) + 11:
            raw = raw[len(prefix):]
    if not raw.isdigit():
        raise ValidationFailed("电话号码只能包含数字。", "A phone number has digits only.", field=field)
    if len(raw) == 11 and raw[0] == "1" and raw[1] in "3456789":
        return raw
    if raw[0] == "0" and 10 <= len(raw) <= 12:
        return raw
    raise ValidationFailed(f"电话号码“{value.strip()}”格式不正确：手机号码应为以1开头的11位数字，固定电话请加区号。",
                           "The phone number is not valid: a mobile number has 11 digits starting with 1; "
                           "a landline needs its area code.", field=field)


@transaction.atomic
def appointment_book(*, slot: AppointmentSlot, name: str, id_number: str, phone: str = "",
                     now: dt.datetime | None = None) -> Appointment:
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise ValidationFailed("请填写姓名。", "The name is required.", field="name")
    id_number = validate_id_number(id_number, today=timezone.localdate(now))
    phone = validate_phone(phone)
    slot = AppointmentSlot.objects.select_for_update().get(pk=slot.pk)
    start = timezone.make_aware(dt.datetime.combine(slot.date, slot.start))
    if start < now:
        raise ValidationFailed("该时段已过，不能预约。", "This slot is in the past.", field="slot")
    live = slot.appointments.exclude(state=AppointmentState.CANCELLED)
    if live.filter(id_number=id_number).exists():
        raise ConflictError("您已预约该时段。", "You already booked this slot.")
    if live.count() >= slot.capacity:
        raise ConflictError("该时段已约满，请选择其他时段。", "This slot is full; choose another.", code="slot_full")
    appointment = Appointment.objects.create(slot=slot, name=name, id_number=id_number, phone=phone,
                                             code=secrets.token_hex(4).upper())
    audit_record(actor=None, action="hall.appointment_book", obj=appointment,
                 after={"slot": slot.pk, "state": appointment.state})
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.state != AppointmentState.BOOKED:
        raise ConflictError("该预约已签到或已取消，不能再取消。", "The appointment was already checked in or cancelled.")
    appointment.state = AppointmentState.CANCELLED
    appointment.save(update_fields=["state"])
    audit_record(actor=None, action="hall.appointment_cancel", obj=appointment,
                 before={"state": AppointmentState.BOOKED}, after={"state": appointment.state})
    return appointment


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, now: dt.datetime | None = None) -> Appointment:
    """签到: within the grace window → an appointment-priority ticket; later → late, a normal ticket."""
    now = now or timezone.now()
    appointment = Appointment.objects.select_for_update().select_related("slot", "slot__domain", "slot__centre"
                                                                         ).get(pk=appointment.pk)
    if appointment.state != AppointmentState.BOOKED:
        raise ConflictError("该预约已签到或已取消。", "The appointment was already checked in or cancelled.")
    slot = appointment.slot
    if timezone.localdate(now) != slot.date:
        raise ValidationFailed(f"预约日期为{slot.date:%Y-%m-%d}，只能当天签到。",
                               "Check in on the day of the appointment.")
    start = timezone.make_aware(dt.datetime.combine(slot.date, slot.start))
    if now < start - dt.timedelta(minutes=CHECKIN_EARLY_MINUTES):
        raise ValidationFailed(f"签到过早，请于{CHECKIN_EARLY_MINUTES}分钟内再签到。",
                               "Too early to check in.")
    due = now <= start + dt.timedelta(minutes=CHECKIN_GRACE_MINUTES)
    ticket = ticket_issue(centre=slot.centre, domain=slot.domain, id_number=appointment.id_number,
                          source=TicketSource.APPOINTMENT, appointment_due=due, now=now)
    appointment.ticket = ticket
    appointment.state = AppointmentState.CHECKED_IN if due else AppointmentState.LATE
    appointment.save(update_fields=["ticket", "state"])
    audit_record(actor=None, action="hall.appointment_check_in", obj=appointment,
                 before={"state": AppointmentState.BOOKED}, after={"state": appointment.state, "ticket": ticket.pk})
    return appointment
