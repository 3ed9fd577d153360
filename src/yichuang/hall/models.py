"""The hall: windows, the clerks at them, tickets and their events, appointments.

Every ticket event is a row (``TicketEvent``) so waits, service times and no-show rates are computed from
events. ``Ticket.queued_at`` is the queue position (reset when a no-show is re-queued at the back);
``issued_at`` never changes, so waits are always measured from the moment the applicant took the number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yichuang.core.fields import EncryptedCharField

from .constants import (AppointmentState, EventKind, PriorityClass, SkillLevel, TicketSource, TicketState,
                        WindowState, WindowType)


class Window(models.Model):
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="windows",
                               verbose_name="中心 Centre")
    number = models.CharField("窗口号 Number", max_length=10)
    area = models.CharField("区域 Area", max_length=40, blank=True)
    window_type = models.CharField("窗口类型 Type", max_length=16, choices=WindowType.choices,
                                   default=WindowType.GENERAL)
    domains = models.ManyToManyField("catalog.WindowDomain", blank=True, related_name="windows",
                                     verbose_name="可办领域 Domains")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="windows", verbose_name="专业窗口部门 Department")
    state = models.CharField("状态 State", max_length=8, choices=WindowState.choices, default=WindowState.CLOSED)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="hall_windows", verbose_name="当前人员 Clerk")

    class Meta:
        verbose_name = "窗口 Window"
        verbose_name_plural = "窗口 Windows"
        ordering = ["centre", "number"]
        constraints = [models.UniqueConstraint(fields=["centre", "number"], name="hall_window_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}号窗口"


class ClerkSkill(models.Model):
    """业务技能: what a clerk may serve (domains and/or single matters) and the certification level."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hall_skill")
    domains = models.ManyToManyField("catalog.WindowDomain", blank=True, related_name="+")
    matters = models.ManyToManyField("catalog.Matter", blank=True, related_name="+")
    level = models.CharField("等级 Level", max_length=16, choices=SkillLevel.choices, default=SkillLevel.JUNIOR)

    class Meta:
        verbose_name = "人员技能 Clerk skill"
        verbose_name_plural = "人员技能 Clerk skills"


class WindowSession(models.Model):
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="sessions")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hall_sessions")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["window"], condition=models.Q(ended_at__isnull=True),
                                               name="hall_one_open_session_per_window")]


class DailySequence(models.Model):
    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey("catalog.WindowDomain", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "domain", "day"], name="hall_sequence_unique")]


class AppointmentSlot(models.Model):
    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="appointment_slots")
    domain = models.ForeignKey("catalog.WindowDomain", on_delete=models.PROTECT, related_name="+")
    date = models.DateField("日期 Date")
    start = models.TimeField("开始 Start")
    end = models.TimeField("结束 End")
    capacity = models.PositiveSmallIntegerField("容量 Capacity", default=1)

    class Meta:
        verbose_name = "预约时段 Appointment slot"
        verbose_name_plural = "预约时段 Appointment slots"
        ordering = ["date", "start", "domain"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "domain", "date", "start"], name="hall_slot_unique"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="hall_slot_end_after_start"),
        ]


class Ticket(models.Model):
    # Every index costs each call (a call changes the indexed state, so every index gets a new entry): the
    # foreign keys below lean on the composite indexes in Meta (centre; window through the partial unique index
    # of open tickets) or on none at all (deleting a domain, matter, window or user, which centres do not do,
    # then scans the table).
    centre = models.ForeignKey("accounts.Centre", on_delete=models.PROTECT, related_name="tickets", db_index=False)
    domain = models.ForeignKey("catalog.WindowDomain", on_delete=models.PROTECT, related_name="tickets",
                               db_index=False)
    matter = models.ForeignKey("catalog.Matter", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               db_index=False)
    day = models.DateField()
    seq = models.PositiveIntegerField()
    number = models.CharField("号码 Number", max_length=8)
    priority = models.PositiveSmallIntegerField("优先类别 Priority", choices=PriorityClass.choices,
                                                default=PriorityClass.NORMAL)
    priority_reason = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=12, choices=TicketSource.choices, default=TicketSource.KIOSK)
    id_number = EncryptedCharField(kind="id_number", max_length=18, blank=True)
    state = models.CharField(max_length=12, choices=TicketState.choices, default=TicketState.WAITING)
    issued_at = models.DateTimeField()
    queued_at = models.DateTimeField()
    called_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets",
                               db_index=False)
    target_window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      help_text="转到指定窗口 Transferred to this window only", db_index=False)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False)
    recall_count = models.PositiveSmallIntegerField(default=0)
    requeue_count = models.PositiveSmallIntegerField(default=0)
    case_numbers = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = "排队号 Ticket"
        verbose_name_plural = "排队号 Tickets"
        ordering = ["priority", "queued_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "domain", "day", "seq"], name="hall_ticket_unique"),
            # A window serves one ticket at a time; two calls racing at one window cannot both succeed.
            models.UniqueConstraint(fields=["window"], condition=models.Q(state__in=["called", "serving"]),
                                    name="hall_one_active_ticket_per_window"),
        ]
        indexes = [
            # The claim: only waiting rows are indexed, so a call costs the same with 100 or 100,000 tickets.
            models.Index(fields=["centre", "priority", "queued_at", "id"], name="hall_ticket_waiting",
                         condition=models.Q(state="waiting")),
            models.Index(fields=["centre", "day", "number"], name="hall_ticket_number"),
            # No (window, state) index: a window's open ticket is found through the partial unique index above,
            # which holds only called and serving tickets. A (window, state) index took a new entry at every
            # call and finish, and its entries for finished tickets made the planner's choice between the two
            # depend on when VACUUM last ran (0.8 against 1.9 ms of PostgreSQL CPU a call, measured).
        ]

    def __str__(self) -> str:
        return self.number


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    # The ticket's centre, copied when the event is written (a ticket never changes centre), so that a display
    # board reads its centre's latest calls from one small index range (hall_event_centre_calls) instead of
    # every call of the day in every centre joined to its ticket. No constraint of its own: the ticket's holds.
    centre = models.ForeignKey("accounts.Centre", on_delete=models.DO_NOTHING, related_name="+", db_index=False,
                               db_constraint=False)
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    at = models.DateTimeField()
    # Read by kind and time (hall_event_kind_at), by ticket, or a centre's calls by time; no other index (see Ticket).
    window = models.ForeignKey(Window, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               db_index=False)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["kind", "at"], name="hall_event_kind_at"),
                   models.Index(fields=["centre", "at"], name="hall_event_centre_calls",
                                condition=models.Q(kind__in=["called", "recalled"]))]


class Appointment(models.Model):
    slot = models.ForeignKey(AppointmentSlot, on_delete=models.PROTECT, related_name="appointments")
    name = models.CharField("姓名 Name", max_length=60)
    id_number = EncryptedCharField("身份证号 ID number", kind="id_number", max_length=18)
    phone = EncryptedCharField("手机 Phone", kind="phone", max_length=20, blank=True)
    state = models.CharField(max_length=12, choices=AppointmentState.choices, default=AppointmentState.BOOKED)
    code = models.CharField("预约码 Code", max_length=12, unique=True)
    ticket = models.OneToOneField(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointment")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "预约 Appointment"
        verbose_name_plural = "预约 Appointments"
        ordering = ["slot", "id"]
