"""Ticket events: one ``TicketEvent`` row per step of a ticket (the statistics and the simulator's replay read
them), and the display boards told of the steps they show."""

from __future__ import annotations

import datetime as dt

from .. import live
from ..constants import EventKind
from ..models import Ticket, TicketEvent, Window

# Events that change what a display board shows (latest calls, waiting counts); the others are not pushed.
BOARD_EVENTS = frozenset({EventKind.ISSUED, EventKind.CALLED, EventKind.RECALLED, EventKind.NO_SHOW,
                          EventKind.REQUEUED, EventKind.TRANSFERRED, EventKind.CANCELLED, EventKind.CLOSED})


def record(ticket: Ticket, kind: str, at: dt.datetime, *, window: Window | None = None, clerk=None,
           data: dict | None = None) -> TicketEvent:
    """Write the event row and, for a board event, announce it once the transaction commits."""
    event = TicketEvent.objects.create(ticket=ticket, centre_id=ticket.centre_id, kind=kind, at=at, window=window,
                                       clerk=clerk, data=data or {})
    if kind in BOARD_EVENTS:
        live.publish(ticket.centre_id, {"kind": str(kind), "number": ticket.number,
                                        "window": window.number if window is not None else None})
    return event


def record_all(ticket: Ticket, steps: list[tuple[str, dt.datetime, dict]], *, window: Window | None = None,
               clerk=None) -> None:
    """Several steps of one ticket at once (kind, time, data each), in one INSERT; announced as ``record`` does."""
    TicketEvent.objects.bulk_create([TicketEvent(ticket=ticket, centre_id=ticket.centre_id, kind=kind, at=at,
                                                 window=window, clerk=clerk, data=data) for kind, at, data in steps])
    for kind, _at, _data in steps:
        if kind in BOARD_EVENTS:
            live.publish(ticket.centre_id, {"kind": str(kind), "number": ticket.number,
                                            "window": window.number if window is not None else None})
