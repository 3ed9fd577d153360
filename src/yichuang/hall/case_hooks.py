"""The hall joins the case hooks (``yichuang.cases.hooks``): the receive page opens from today's queue ticket,
and the case received is linked to it (the ticket's window and clerk)."""

from __future__ import annotations

from django.utils import timezone

from yichuang.cases import hooks

from .models import Ticket
from .services import ticket_link_case


def front_desk_ticket(*, user, number: str) -> Ticket | None:
    return (Ticket.objects.select_related("domain", "matter", "window")
            .filter(centre_id=user.centre_id, day=timezone.localdate(), number=number.strip().upper()).first())


def case_received_for_ticket(*, case, actor, ticket) -> None:
    if ticket is not None and ticket.window_id:
        ticket_link_case(window=ticket.window, clerk=actor, ticket=ticket, case_number=case.number)


def register() -> None:
    hooks.front_desk_ticket.register(front_desk_ticket)
    hooks.on_case_received_for_ticket.register(case_received_for_ticket)
