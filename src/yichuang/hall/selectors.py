"""Reads of the hall: queues, windows, ticket lookup and statistics from ticket events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from yichuang.accounts.models import Centre
from yichuang.catalog.models import WindowDomain
from yichuang.core.errors import NotFound
from yichuang.workcal.workdays import is_workday
from yichuang.core.replica import reading_from_replica

from . import scarcity
from .constants import EventKind, TicketState
from .models import Appointment, AppointmentSlot, Ticket, TicketEvent, Window

# The domain of the unified issuance window: results are collected there, no number is taken for it at the kiosk.
ISSUANCE_DOMAIN = "issuance"


def ticket_get(*, ticket_id: int | None = None, centre_id: int | None = None, number: str = "",
               day: dt.date | None = None) -> Ticket:
    qs = Ticket.objects.select_related("domain", "window")
    if ticket_id is not None:
        ticket = qs.filter(pk=ticket_id).first()
    else:
        ticket = qs.filter(centre_id=centre_id, day=day or timezone.localdate(), number=number.strip().upper()).first()
    if ticket is None:
        raise NotFound("找不到该号。", "Ticket not found.")
    return ticket


def queue_overview(*, centre_id: int) -> list[dict]:
    """Waiting count per domain (with the oldest queued time)."""
    rows = (Ticket.objects.filter(centre_id=centre_id, state=TicketState.WAITING)
            .values("domain_id", "domain__name", "domain__ticket_prefix").annotate(waiting=Count("id"))
            .order_by("domain__ticket_prefix"))
    return [{"domain_id": r["domain_id"], "domain": r["domain__name"], "prefix": r["domain__ticket_prefix"],
             "waiting": r["waiting"]} for r in rows]


def window_list(*, centre_id: int) -> list[Window]:
    return list(Window.objects.filter(centre_id=centre_id).select_related("clerk").prefetch_related("domains"))


@reading_from_replica()  # a report: may be read from the replica
def hall_stats(*, centre_id: int, day: dt.date, by: str = "domain") -> list[dict]:
    """Per domain, window or clerk for one day, from events: tickets called, mean wait (call − issue),
    mean service time, no-shows and the no-show rate."""
    if by not in {"domain", "window", "clerk"}:
        by = "domain"
    events = (TicketEvent.objects.filter(ticket__centre_id=centre_id, ticket__day=day,
                                         kind__in=[EventKind.CALLED, EventKind.FINISHED, EventKind.NO_SHOW])
              .values_list("kind", "data", "ticket__domain__name", "window__number", "clerk__display_name",
                           "clerk__username", "at", "ticket__issued_at"))
    acc: dict[str, dict] = defaultdict(lambda: {"called": 0, "wait": [], "service": [], "no_show": 0})
    for kind, data, domain, window, clerk_name, clerk, at, issued_at in events:
        # rows read by people: a window by its number (号窗口 added by the page), a clerk by name
        key = {"domain": domain, "window": window, "clerk": clerk_name or clerk}[by] or "—"
        row = acc[key]
        data = data or {}
        if kind == EventKind.CALLED:
            row["called"] += 1
            if data.get("wait_seconds") is not None:
                row["wait"].append(data["wait_seconds"])
            elif at and issued_at:  # a call recorded without its wait (imported history): call − issue
                row["wait"].append(max((at - issued_at).total_seconds(), 0))
        elif kind == EventKind.FINISHED and data.get("service_seconds") is not None:
            row["service"].append(data["service_seconds"])
        elif kind == EventKind.NO_SHOW:
            row["no_show"] += 1

    def mean_min(xs: list) -> float | None:
        return round(sum(xs) / len(xs) / 60.0, 1) if xs else None

    return [{"key": k, "called": r["called"], "finished": len(r["service"]), "mean_wait_minutes": mean_min(r["wait"]),
             "mean_service_minutes": mean_min(r["service"]), "no_show": r["no_show"],
             "no_show_rate": round(r["no_show"] / r["called"], 3) if r["called"] else None}
            for k, r in sorted(acc.items())]


def day_bounds(day: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The start and end of ``day`` (today by default) in the centre's time zone (settings.TIME_ZONE)."""
    day = day or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return start, end


def call_text(number: str, window: str) -> str:
    """The words of a call, shown on the board and spoken by it."""
    return f"请 {number} 号到 {window} 号窗口办理"


def board_recent_calls(*, centre_id: int, limit: int = 10, day: dt.date | None = None) -> list[dict]:
    """The display board: the day's calls and recalls (number → window), newest first, one row per event.

    Only events of ``day`` (today in the centre's time zone): yesterday's calls are not on today's board. A call
    recorded without a window or a number (imported history) is left out rather than shown as "None"."""
    start, end = day_bounds(day)
    rows = (TicketEvent.objects.filter(centre_id=centre_id, kind__in=[EventKind.CALLED, EventKind.RECALLED],
                                       at__gte=start, at__lt=end, window__isnull=False)
            .order_by("-at", "-id").values("id", "ticket_id", "ticket__number", "window__number", "kind", "at")[:limit])
    labels = dict(EventKind.choices)
    return [{"id": r["id"], "ticket_id": r["ticket_id"], "number": r["ticket__number"], "window": r["window__number"],
             "kind": r["kind"], "kind_label": labels[r["kind"]].split(" ")[0], "at": r["at"],
             "text": call_text(r["ticket__number"], r["window__number"])}
            for r in rows if r["ticket__number"] and r["window__number"]]


def queue_board(*, centre_id: int) -> list[dict]:
    """Waiting count for every domain a ticket can be taken for (the kiosk's), 0 included, so a board or a
    kiosk says 暂无等候 instead of leaving the domain out."""
    counts = {q["domain_id"]: q["waiting"] for q in queue_overview(centre_id=centre_id)}
    return [{"domain_id": d.pk, "code": d.code, "domain": d.name, "prefix": d.ticket_prefix,
             "waiting": counts.get(d.pk, 0)} for d in WindowDomain.objects.exclude(code=ISSUANCE_DOMAIN).order_by("order", "code")]


def board_snapshot(*, centre_id: int, limit: int = 8) -> dict:
    """What a display board shows: the newest call (the one announced), the latest call of each ticket (a ticket
    recalled three times is one row, marked 重呼), and every queue."""
    events = board_recent_calls(centre_id=centre_id, limit=limit * 4)
    calls, seen = [], set()
    for e in events:
        if e["ticket_id"] in seen:
            continue
        seen.add(e["ticket_id"])
        calls.append({k: e[k] for k in ("id", "number", "window", "kind", "kind_label", "text")})
        if len(calls) == limit:
            break
    return {"day": timezone.localdate().isoformat(), "latest": calls[0] if calls else None, "calls": calls,
            "queues": queue_board(centre_id=centre_id)}


def board_version(*, centre_id: int) -> tuple:
    """Changes whenever a board's content may have changed: the centre's newest ticket event, and the day."""
    newest = (TicketEvent.objects.filter(centre_id=centre_id).order_by("-id")
              .values_list("id", flat=True).first() or 0)
    return newest, timezone.localdate()


def slots_open(*, centre_id: int, domain_id: int | None = None, day: dt.date | None = None):
    """Appointment slots from today (or on ``day``), each annotated with ``booked``."""
    qs = AppointmentSlot.objects.filter(centre_id=centre_id, date__gte=day or timezone.localdate())
    if domain_id:
        qs = qs.filter(domain_id=domain_id)
    if day:
        qs = qs.filter(date=day)
    return qs.select_related("domain").annotate(
        booked=Count("appointments", filter=~Q(appointments__state="cancelled")))[:500]


def appointment_find(*, code: str, id_number: str):
    """An appointment by its code and the booker's ID number (both must match; one message for either miss)."""
    a = Appointment.objects.filter(code=(code or "").strip().upper()).select_related("slot").first()
    if a is None or a.id_number != (id_number or "").strip().upper():
        raise NotFound("预约码或身份证号不正确。", "Wrong appointment code or ID number.")
    return a


def centre_list():
    """The active centres, by code (the API's way into the hall)."""
    return Centre.objects.filter(is_active=True).order_by("code")


def centre_get(*, code: str):
    """A centre by its code (行政区划代码, e.g. 500107); NotFound for an unknown or inactive one."""
    centre = Centre.objects.filter(code=(code or "").strip(), is_active=True).first()
    if centre is None:
        raise NotFound("没有这个中心，请核对中心编码。", "No such centre; check the centre code.")
    return centre


def centre_domains(*, centre_id: int) -> list[dict]:
    """The domains a ticket can be taken for at a centre (the kiosk's), with their ids, the people waiting and the
    open windows able to serve each now (the kiosk's own rule, ``hall.scarcity.windows_able``: a ticket is
    refused while it is 0)."""
    waiting = {q["domain_id"]: q["waiting"] for q in queue_overview(centre_id=centre_id)}
    return [{"id": d.pk, "code": d.code, "name": d.name, "ticket_prefix": d.ticket_prefix,
             "waiting": waiting.get(d.pk, 0),
             "open_windows": scarcity.windows_able(centre_id=centre_id, domain_id=d.pk)}
            for d in WindowDomain.objects.exclude(code="issuance").order_by("order", "code")]  # as the kiosk


def appointment_horizon(*, today: dt.date | None = None, days: int | None = None) -> list[dt.date]:
    """The days one may book: today (when it is a working day) and the next ``days`` working days
    (settings.HALL_APPOINTMENT_DAYS, 5 by default), from the work calendar."""
    today = today or timezone.localdate()
    days = days if days is not None else int(getattr(settings, "HALL_APPOINTMENT_DAYS", 5))
    out = [today] if is_workday(today) else []
    target = len(out) + days
    d = today
    while len(out) < target and d < today + dt.timedelta(days=60):
        d += dt.timedelta(days=1)
        if is_workday(d):
            out.append(d)
    return out


def appointment_days(*, centre_id: int, domain_id: int, now: dt.datetime | None = None,
                     days: int | None = None) -> list[dict]:
    """Per bookable day for one domain: the places left in slots not yet begun, and how many such slots there are.
    Slots an administrator opened on a rest day inside the horizon (周末延时服务) are included too."""
    now = timezone.localtime(now or timezone.now())
    horizon = appointment_horizon(today=now.date(), days=days)
    if not horizon:
        return []
    slots = appointment_slots(centre_id=centre_id, domain_id=domain_id, start=horizon[0], end=horizon[-1], now=now)
    by_day: dict[dt.date, dict] = {d: {"date": d, "remaining": 0, "slots": 0} for d in horizon}
    for s in slots:
        row = by_day.setdefault(s.date, {"date": s.date, "remaining": 0, "slots": 0})
        if not s.past:
            row["slots"] += 1
            row["remaining"] += s.remaining
    return [by_day[d] for d in sorted(by_day)]


def appointment_slots(*, centre_id: int, domain_id: int, start: dt.date, end: dt.date | None = None,
                      now: dt.datetime | None = None) -> list[AppointmentSlot]:
    """One domain's slots from ``start`` to ``end`` (one day when ``end`` is None), in time order, each with
    ``booked`` (not cancelled), ``remaining`` and ``past`` (begun already, cannot be booked)."""
    now = timezone.localtime(now or timezone.now())
    qs = (AppointmentSlot.objects.filter(centre_id=centre_id, domain_id=domain_id, date__gte=start,
                                         date__lte=end or start)
          .annotate(booked=Count("appointments", filter=~Q(appointments__state="cancelled")))
          .order_by("date", "start"))
    slots = list(qs)
    for s in slots:
        s.remaining = max(s.capacity - s.booked, 0)
        s.past = (s.date, s.start) <= (now.date(), now.time().replace(tzinfo=None))
    return slots
