"""Locks and checks shared by the hall's services: the window and ticket rows they lock, and the refusals."""

from __future__ import annotations

from yichuang.core.errors import ConflictError, NotFound, PermissionDeniedError, label_zh

from ..constants import ACTIVE_STATES, WindowState
from ..models import Ticket, Window


def pk(obj) -> int:
    """The id of a model instance, or the id itself (the services take either)."""
    return obj if isinstance(obj, int) else obj.pk


def _one(qs):
    """The row of a query that finds at most one (by id, or a window's one open ticket), or None: without
    ``first()``'s ORDER BY, which such a query does not need."""
    return next(iter(qs.order_by()[:1]), None)


def lock_window(window: Window | int) -> Window:
    """The window's row, locked until the transaction ends (sign-in, sign-out, pause and calls at one window
    wait for each other)."""
    found = _one(Window.objects.select_for_update().filter(pk=pk(window)))
    if found is None:
        raise NotFound("找不到该窗口。", "Window not found.")
    return found


def window_obj(window: Window | int) -> Window:
    if isinstance(window, Window):
        return window
    found = _one(Window.objects.filter(pk=window))
    if found is None:
        raise NotFound("找不到该窗口。", "Window not found.")
    return found


def require_clerk_at(window: Window, clerk) -> None:
    if window.clerk_id != clerk.pk:
        raise PermissionDeniedError(f"您未在{window}签到，不能在此叫号。", "You are not signed in at this window.")


def require_open(window: Window) -> None:
    if window.state != WindowState.OPEN:
        raise ConflictError(f"{window}未开放（{label_zh(window.get_state_display())}），不能叫号。",
                            "The window is not open.")


def require_no_active(window: Window) -> None:
    number = _one(Ticket.objects.filter(window=window, state__in=ACTIVE_STATES).values_list("number", flat=True))
    if number is not None:
        raise ConflictError(f"本窗口仍有未结束的号（{number}），请先办结、过号或转移。",
                            f"Ticket {number} is still open at this window; finish, mark no-show or transfer it.")


def ticket_locked(ticket: Ticket | int) -> Ticket:
    """The ticket's row, locked, with its domain (read in the same statement: every answer names it)."""
    found = _one(Ticket.objects.select_for_update(of=("self",)).select_related("domain").filter(pk=pk(ticket)))
    if found is None:
        raise NotFound("找不到该号。", "Ticket not found.")
    return found


def active_ticket(*, window: Window, clerk, ticket: Ticket | int, states=ACTIVE_STATES) -> Ticket:
    """The ticket, locked, if it is the one this clerk's window has called (in one of ``states``)."""
    require_clerk_at(window, clerk)
    ticket = ticket_locked(ticket)
    if ticket.window_id != window.pk or ticket.state not in states:
        raise ConflictError(f"{ticket.number}号不是本窗口当前叫到的号。",
                            "The ticket is not the one currently called at this window.")
    ticket.window = window  # the same row, already read
    return ticket
