"""Supervision (效能监察): department leads, the staff inbox, door-to-door days, KPI rollups. Thin models; every
write goes through ``supervision.services``. Ratings, rectifications and tickets are in ``yichuang.feedback``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .constants import BookingState, NoticeLevel


class DepartmentLead(models.Model):
    """部门负责人: who is told when a case of the department turns red."""

    department = models.OneToOneField("accounts.Department", on_delete=models.CASCADE, related_name="lead")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "部门负责人 Department lead"


class InboxMessage(models.Model):
    """站内消息: reminders and escalations for staff (also sent through the notification channel)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages")
    level = models.CharField(max_length=10, choices=NoticeLevel.choices, default=NoticeLevel.INFO)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True)
    key = models.CharField(max_length=120, blank=True, help_text="dedupe: one message per key and user")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""),
                                               name="inbox_message_once_per_key")]
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_user_unread")]


class Zone(models.Model):
    """入户直通车 service zone: fixed days of the month, bookable matters."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    days = models.JSONField(default=list, help_text="days of the month, e.g. [7, 15, 21, 28]")
    matters = models.ManyToManyField("catalog.Matter", blank=True, related_name="+")
    capacity = models.PositiveSmallIntegerField(default=12)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DoorBooking(models.Model):
    """上门服务预约."""

    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField()
    name = models.CharField(max_length=60)
    phone = models.CharField(max_length=20)
    address = models.CharField(max_length=200)
    matter = models.ForeignKey("catalog.Matter", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=BookingState.choices, default=BookingState.BOOKED)
    case_number = models.CharField(max_length=32, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "zone", "address", "id"]


# ---------------------------------------------------------------- KPI rollups (kept current by `yichuang tick`)

WAIT_BUCKETS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 18, 20, 25, 30, 35, 40, 50, 60, 75, 90, 120, 180, 240)  # minutes, upper bounds; last = more


class KpiTicketHour(models.Model):
    """Calls per centre, day, hour and domain: counts, wait sum and a wait histogram (for p90)."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hour = models.PositiveSmallIntegerField()
    domain = models.ForeignKey("catalog.WindowDomain", on_delete=models.CASCADE, related_name="+")
    called = models.PositiveIntegerField(default=0)
    wait_sum = models.FloatField(default=0)  # minutes
    # b0 … b23: the wait histogram (calls with a wait ≤ WAIT_BUCKETS[i] minutes; the last: longer), one column a
    # bucket so that the database sums them for any date range.
    for _i in range(len(WAIT_BUCKETS) + 1):
        locals()[f"b{_i}"] = models.PositiveIntegerField(default=0)
    del _i
    served = models.PositiveIntegerField(default=0)
    service_sum = models.FloatField(default=0)  # minutes
    no_show = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "day", "hour", "domain"], name="kpi_ticket_hour")]
        indexes = [models.Index(fields=["day", "centre"], name="kpi_ticket_day")]


class KpiCaseDay(models.Model):
    """Cases per centre (handling), day and department."""

    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    department = models.ForeignKey("accounts.Department", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    online = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    handling_days_sum = models.FloatField(default=0)  # calendar days from receipt to decision
    immediate = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)   # decided after the due date
    visits_sum = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    bad = models.PositiveIntegerField(default=0)
    rectified = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "day", "department"], name="kpi_case_day")]
        indexes = [models.Index(fields=["day", "centre"], name="kpi_case_day_idx")]


class KpiClerkDay(models.Model):
    centre = models.ForeignKey("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    served = models.PositiveIntegerField(default=0)
    service_sum = models.FloatField(default=0)
    ratings = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "day", "clerk"], name="kpi_clerk_day")]


class KpiOpenSnapshot(models.Model):
    """Open and overdue cases per handling centre, counted by `yichuang tick` (a "now" figure, not a daily one),
    so the dashboard never counts the case table itself."""

    centre = models.OneToOneField("accounts.Centre", on_delete=models.CASCADE, related_name="+")
    counted_at = models.DateTimeField()
    open_clock = models.PositiveIntegerField(default=0)   # accepted or suspended
    overdue = models.PositiveIntegerField(default=0)      # of those, past the promised due date
