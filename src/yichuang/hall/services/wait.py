"""The wait a ticket slip shows: people ahead ÷ open windows able to serve it × the recent mean service time."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q

from .. import dispatch, scarcity
from ..constants import AHEAD_COUNT_CAP, DEFAULT_SERVICE_MINUTES, EventKind, TicketState
from ..eligibility import open_window_views
from ..models import Ticket, TicketEvent


def windows_able_count(*, centre_id: int, domain_id: int, matter_id: int | None = None) -> int:
    """How many open, signed-in windows of the centre may serve a ticket of this domain and matter."""
    return scarcity.windows_able(centre_id=centre_id, domain_id=domain_id, matter_id=matter_id)


def mean_service_minutes(*, centre_id: int, recent: int = 50) -> float:
    """Mean service time of the centre's last ``recent`` finished tickets, kept in Django's cache for
    ``HALL_SERVICE_MEAN_SECONDS`` (every ticket slip asks for it; it moves slowly)."""
    key = f"hall:service_mean:{int(centre_id)}:{int(recent)}"
    seconds = float(settings.HALL_SERVICE_MEAN_SECONDS)
    mean = cache.get(key) if seconds > 0 else None
    if mean is None:
        rows = list(TicketEvent.objects.filter(kind=EventKind.FINISHED, ticket__centre_id=centre_id)
                    .order_by("-at").values_list("data", flat=True)[:recent])
        secs = [r.get("service_seconds") for r in rows
                if isinstance(r, dict) and r.get("service_seconds") is not None]
        mean = (sum(secs) / len(secs) / 60.0) if secs else DEFAULT_SERVICE_MINUTES
        if seconds > 0:
            cache.set(key, mean, seconds)
    return mean


def people_ahead(ticket: Ticket, *, cap: int | None = None) -> int:
    """Waiting tickets of the same domain called before this one by class and queue time, at most ``cap``
    (default ``AHEAD_COUNT_CAP``), read from the head of the waiting queue's index, so a long queue costs no more
    than ``cap`` rows."""
    return (Ticket.objects.filter(centre_id=ticket.centre_id, state=TicketState.WAITING, domain_id=ticket.domain_id)
            .filter(Q(priority__lt=ticket.priority) | Q(priority=ticket.priority, queued_at__lt=ticket.queued_at))
            .order_by("priority", "queued_at", "id")[:cap or AHEAD_COUNT_CAP].count())


def ticket_estimated_wait(*, ticket: Ticket) -> dict:
    """Queue ahead ÷ eligible open windows × recent mean service time (minutes)."""
    if ticket.state != TicketState.WAITING:
        return {"ahead": 0, "ahead_label": "0", "windows": 0, "minutes": 0}
    ahead = people_ahead(ticket)
    windows = getattr(ticket, "windows_able", None)  # counted when the ticket was issued
    if windows is None:
        if ticket.target_window_id:
            windows = dispatch.windows_able(open_window_views(centre_id=ticket.centre_id), dispatch.TicketView(
                id=ticket.pk, domain_id=ticket.domain_id, matter_id=ticket.matter_id, priority=ticket.priority,
                queued_at=ticket.queued_at, target_window_id=ticket.target_window_id))
        else:
            windows = windows_able_count(centre_id=ticket.centre_id, domain_id=ticket.domain_id,
                                         matter_id=ticket.matter_id)
    minutes = round(ahead / max(windows, 1) * mean_service_minutes(centre_id=ticket.centre_id))
    label = f"{ahead}+" if ahead >= AHEAD_COUNT_CAP else str(ahead)
    return {"ahead": ahead, "ahead_label": label, "windows": windows, "minutes": int(minutes)}
