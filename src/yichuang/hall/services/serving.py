"""A called ticket at its window: recall (重呼), no-show (过号), transfer (转移), service start, finish (办结) and
the case numbers linked to it.

A no-show may be re-queued once, at the back of its class (``queued_at`` = now) while ``issued_at`` is kept, so
waits in the statistics still start when the number was taken. A transfer keeps both ``issued_at`` and
``queued_at`` (the applicant does not lose their place).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yichuang.catalog.models import WindowDomain
from yichuang.core.errors import ValidationFailed

from .. import dispatch
from ..constants import ACTIVE_STATES, RECALL_LIMIT, REQUEUE_LIMIT, EventKind, TicketState
from ..eligibility import open_window_views
from ..models import Ticket, Window
from . import events
from .checks import active_ticket, window_obj


def recall_limit() -> int:
    return int(getattr(settings, "HALL_RECALL_LIMIT", RECALL_LIMIT))


@transaction.atomic
def ticket_recall(*, window: Window, clerk, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    ticket = active_ticket(window=window, clerk=clerk, ticket=ticket, states=(TicketState.CALLED,))
    limit = recall_limit()
    if ticket.recall_count >= limit:
        raise ValidationFailed(f"{ticket.number}号已重呼{ticket.recall_count}次，达到上限{limit}次；请标记过号。",
                               f"Ticket already recalled {ticket.recall_count} times (limit {limit}); mark it no-show.",
                               code="recall_limit")
    ticket.recall_count += 1
    ticket.save(update_fields=["recall_count"])
    events.record(ticket, EventKind.RECALLED, now, window=window, clerk=clerk, data={"count": ticket.recall_count})
    return ticket


@transaction.atomic
def ticket_no_show(*, window: Window, clerk, ticket: Ticket, requeue: bool = True,
                   now: dt.datetime | None = None) -> Ticket:
    """过号. The first time (if ``requeue``) the ticket goes back to the end of its class; then it is closed."""
    now = now or timezone.now()
    ticket = active_ticket(window=window, clerk=clerk, ticket=ticket, states=(TicketState.CALLED,))
    events.record(ticket, EventKind.NO_SHOW, now, window=window, clerk=clerk, data={"recalls": ticket.recall_count})
    if requeue and ticket.requeue_count < REQUEUE_LIMIT:
        ticket.state = TicketState.WAITING
        ticket.requeue_count += 1
        ticket.queued_at = now
        ticket.window = None
        ticket.clerk = None
        ticket.called_at = None
        ticket.recall_count = 0
        ticket.save(update_fields=["state", "requeue_count", "queued_at", "window", "clerk", "called_at",
                                   "recall_count"])
        events.record(ticket, EventKind.REQUEUED, now, window=window, clerk=clerk)
    else:
        ticket.state = TicketState.NO_SHOW
        ticket.save(update_fields=["state"])
    return ticket


@transaction.atomic
def ticket_transfer(*, window: Window, clerk, ticket: Ticket, to_domain: WindowDomain | None = None,
                    to_window: Window | None = None, now: dt.datetime | None = None) -> Ticket:
    """转移 to another domain or window. Keeps issue time and queue position; it waits again."""
    now = now or timezone.now()
    if to_domain is None and to_window is None:
        raise ValidationFailed("请指定转往的领域或窗口。", "Give a domain or a window to transfer to.")
    ticket = active_ticket(window=window, clerk=clerk, ticket=ticket)
    if to_window is not None:
        if to_window.centre_id != ticket.centre_id or to_window.pk == window.pk:
            raise ValidationFailed("不能转往该窗口。", "Cannot transfer to that window.", field="to_window")
    domain = to_domain or ticket.domain
    probe = dispatch.TicketView(id=ticket.pk, domain_id=domain.pk,
                                matter_id=ticket.matter_id if domain.pk == ticket.domain_id else None,
                                priority=ticket.priority, queued_at=ticket.queued_at,
                                target_window_id=to_window.pk if to_window else None)
    targets = [v for v in open_window_views(centre_id=ticket.centre_id) if v.id != window.pk]
    if not any(dispatch.can_serve(v, probe) for v in targets):
        raise ValidationFailed(f"当前没有开放的窗口可以接收转来的“{domain.name}”业务。",
                               "No open window can take the transferred ticket.", code="no_open_window")
    before = {"domain": ticket.domain_id, "window": window.pk}
    ticket.domain = domain
    if probe.matter_id is None:
        ticket.matter = None
    ticket.target_window = to_window
    ticket.state = TicketState.WAITING
    ticket.window = None
    ticket.clerk = None
    ticket.recall_count = 0
    ticket.save(update_fields=["domain", "matter", "target_window", "state", "window", "clerk", "recall_count"])
    events.record(ticket, EventKind.TRANSFERRED, now, window=window, clerk=clerk,
                  data={"from": before, "to_domain": domain.pk, "to_window": to_window.pk if to_window else None})
    return ticket


@transaction.atomic
def ticket_start_service(*, window: Window, clerk, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    ticket = active_ticket(window=window, clerk=clerk, ticket=ticket, states=(TicketState.CALLED,))
    ticket.state = TicketState.SERVING
    ticket.started_at = now
    ticket.save(update_fields=["state", "started_at"])
    events.record(ticket, EventKind.STARTED, now, window=window, clerk=clerk)
    return ticket


@transaction.atomic
def ticket_finish(*, window: Window | int, clerk, ticket: Ticket | int, now: dt.datetime | None = None) -> Ticket:
    """办结. From 'called' the service is taken to start at the call. Window and ticket as instances or ids."""
    now = now or timezone.now()
    window = window_obj(window)
    ticket = active_ticket(window=window, clerk=clerk, ticket=ticket)
    steps = []
    if ticket.started_at is None:
        ticket.started_at = ticket.called_at or now
        steps.append((EventKind.STARTED, ticket.started_at, {"implicit": True}))
    ticket.state = TicketState.DONE
    ticket.finished_at = now
    ticket.save(update_fields=["state", "started_at", "finished_at"])
    steps.append((EventKind.FINISHED, now, {"service_seconds": int((now - ticket.started_at).total_seconds())}))
    events.record_all(ticket, steps, window=window, clerk=clerk)
    return ticket


@transaction.atomic
def ticket_link_case(*, window: Window, clerk, ticket: Ticket, case_number: str,
                     now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    case_number = (case_number or "").strip()
    if not case_number:
        raise ValidationFailed("请填写办件编号。", "Give the case number.", field="case_number")
    ticket = active_ticket(window=window, clerk=clerk, ticket=ticket, states=ACTIVE_STATES + (TicketState.DONE,))
    if case_number not in ticket.case_numbers:
        ticket.case_numbers = [*ticket.case_numbers, case_number]
        ticket.save(update_fields=["case_numbers"])
        events.record(ticket, EventKind.CASE_LINKED, now, window=window, clerk=clerk, data={"case": case_number})
    return ticket
