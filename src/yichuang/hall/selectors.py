"""Reads of the hall: queues, windows, ticket lookup and statistics from ticket events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone

from yichuang.core.errors import NotFound

from .constants import EventKind, TicketState
from .models import Appointment, AppointmentSlot, Ticket, TicketEvent, Window


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


def hall_stats(*, centre_id: int, day: dt.date, by: str = "domain") -> list[dict]:
    """Per domain, window or clerk for one day, from events: tickets called, mean wait (call − issue),
    mean service time, no-shows and the no-show rate."""
    if by not in {"domain", "window", "clerk"}:
        by = "domain"
    events = (TicketEvent.objects.filter(ticket__centre_id=centre_id, ticket__day=day,
                                         kind__in=[EventKind.CALLED, EventKind.FINISHED, EventKind.NO_SHOW])
              .values_list("kind", "data", "ticket__domain__name", "window__number", "clerk__username"))
    acc: dict[str, dict] = defaultdict(lambda: {"called": 0, "wait": [], "service": [], "no_show": 0})
    for kind, data, domain, window, clerk in events:
        key = {"domain": domain, "window": window, "clerk": clerk}[by] or "—"
        row = acc[key]
        data = data or {}
        if kind == EventKind.CALLED:
            row["called"] += 1
            if data.get("wait_seconds") is not None:
                row["wait"].append(data["wait_seconds"])
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


def board_recent_calls(*, centre_id: int, limit: int = 10) -> list[dict]:
    """The display board: the latest calls and recalls (number → window), newest first."""
    rows = (TicketEvent.objects.filter(ticket__centre_id=centre_id, kind__in=[EventKind.CALLED, EventKind.RECALLED])
            .order_by("-at", "-id").values("ticket__number", "window__number", "kind", "at")[:limit])
    return [{"number": r["ticket__number"], "window": r["window__number"], "kind": r["kind"], "at": r["at"]}
            for r in rows]


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
    from yichuang.accounts.models import Centre

    return Centre.objects.filter(is_active=True).order_by("code")


def centre_get(*, code: str):
    """A centre by its code (行政区划代码, e.g. 500107); NotFound for an unknown or inactive one."""
    from yichuang.accounts.models import Centre

    centre = Centre.objects.filter(code=(code or "").strip(), is_active=True).first()
    if centre is None:
        raise NotFound("没有这个中心，请核对中心编码。", "No such centre; check the centre code.")
    return centre


def centre_domains(*, centre_id: int) -> list[dict]:
    """The domains a ticket can be taken for at a centre (the kiosk's), with their ids, the people waiting and the
    open windows able to serve each now (the kiosk's own rule, ``hall.services.windows_able_count``: a ticket is
    refused while it is 0)."""
    from .services import windows_able_count

    waiting = {q["domain_id"]: q["waiting"] for q in queue_overview(centre_id=centre_id)}
    return [{"id": d.pk, "code": d.code, "name": d.name, "ticket_prefix": d.ticket_prefix,
             "waiting": waiting.get(d.pk, 0), "open_windows": windows_able_count(centre_id=centre_id, domain_id=d.pk)}
            for d in WindowDomain.objects.exclude(code="issuance").order_by("order", "code")]  # as the kiosk
