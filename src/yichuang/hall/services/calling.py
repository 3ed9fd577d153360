"""Calling a ticket to a window (叫号): the next one by the dispatch policy, or a named one.

The next ticket is chosen by ``dispatch.rank`` — the very function the simulator runs — over a snapshot of the
waiting tickets this window may serve (best class and oldest first, at most ``CANDIDATE_LIMIT``) with the
centre's scarcity counts and the window's dispatch view (``scarcity``'s cache entry, or read live). Then one small statement claims the best-ranked ticket if it is still
waiting and not being claimed by another window at this moment (``select_for_update(skip_locked=True)`` on its
id); if it is taken, the same statement tries the next ranked id: two windows calling at once never get the same
ticket and never wait for each other; the loser takes its next choice. If every ranked ticket was taken meanwhile, it looks further down the queue. The same
code runs on SQLite, whose IMMEDIATE transactions (settings) serialise writers, so there ``FOR UPDATE`` (which
SQLite lacks, and Django leaves out) is not needed. The window row is locked first (a pause or sign-out waits for
the call); a double click at one window waits for the first call, then is refused by the partial unique index that
allows one open ticket per window.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yichuang.core.errors import ConflictError, NotFound, ValidationFailed, label_zh

from .. import dispatch, scarcity
from ..constants import CANDIDATE_LIMIT, EventKind, TicketState
from ..eligibility import window_view
from ..models import Ticket, Window
from . import events
from .checks import lock_window, require_clerk_at, require_no_active, require_open, ticket_locked, window_obj
from .serving import ticket_finish

# How often a call looks further down the queue when every ticket it ranked was taken by other windows meanwhile.
CLAIM_ROUNDS = 5


def dispatch_policy() -> dispatch.Policy:
    return dispatch.Policy(starvation_minutes=float(getattr(settings, "HALL_STARVATION_MINUTES", 30)))


def candidate_snapshot(*, window: Window, view: dispatch.WindowView,
                       excluded: set[int] = frozenset()) -> tuple[dispatch.TicketView, ...]:
    """The bounded candidate set: waiting tickets this window may serve, best class and oldest first."""
    cond = Q(domain_id__in=view.clerk_domains) | Q(matter_id__in=view.clerk_matters)
    if not view.all_domains:
        cond &= Q(domain_id__in=view.domains) | Q(matter_id__in=view.matters)
    rows = (Ticket.objects.filter(centre_id=window.centre_id, state=TicketState.WAITING)
            .filter(cond).filter(Q(target_window__isnull=True) | Q(target_window_id=window.pk))
            .exclude(id__in=excluded)
            .order_by("priority", "queued_at", "id")
            .values_list("id", "domain_id", "matter_id", "priority", "queued_at", "target_window_id")[:CANDIDATE_LIMIT])
    return tuple(dispatch.TicketView(id=i, domain_id=d, matter_id=m, priority=p, queued_at=q, target_window_id=tw)
                 for i, d, m, p, q, tw in rows)


def claim_first(ranked: list[int]) -> Ticket | None:
    """Lock and return the first ticket of ``ranked`` that is still waiting and not locked by another call: one
    small ``SELECT … WHERE id = %s AND state = 'waiting' FOR UPDATE OF <ticket> SKIP LOCKED`` per id (with the
    ticket's domain, which the answer names), in rank order, until one is had (without contention the first is)."""
    for ticket_id in ranked:
        ticket = next(iter(Ticket.objects.select_for_update(skip_locked=True, of=("self",)).select_related("domain")
                           .filter(pk=ticket_id, state=TicketState.WAITING).order_by()), None)
        if ticket is not None:
            return ticket
    return None


def _mark_called(ticket: Ticket, *, window: Window, clerk, now: dt.datetime, how: str) -> Ticket:
    ticket.state = TicketState.CALLED
    ticket.called_at = now
    ticket.window = window
    ticket.clerk = clerk
    ticket.recall_count = 0
    ticket.save(update_fields=["state", "called_at", "window", "clerk", "recall_count"])
    events.record(ticket, EventKind.CALLED, now, window=window, clerk=clerk,
                  data={"how": how, "wait_seconds": int((now - ticket.issued_at).total_seconds())})
    return ticket


def ticket_call_next(*, window: Window | int, clerk, now: dt.datetime | None = None,
                     policy: dispatch.Policy | None = None) -> Ticket:
    """Call the next ticket for this window by the dispatch policy; atomic against other windows.

    A window with a ticket still open is refused by the partial unique index of open tickets (one per window), not
    by a query of its own at every call: the call then says which ticket is open."""
    try:
        return _call_next(window=window, clerk=clerk, now=now or timezone.now(), policy=policy or dispatch_policy())
    except IntegrityError:
        require_no_active(window_obj(window))
        raise


@transaction.atomic
def _call_next(*, window: Window | int, clerk, now: dt.datetime, policy: dispatch.Policy) -> Ticket:
    window = lock_window(window)
    require_clerk_at(window, clerk)
    require_open(window)
    table = scarcity.for_centre(window.centre_id)
    view = table.view_of(window) or window_view(window)
    excluded: set[int] = set(policy.exclude)
    for _round in range(CLAIM_ROUNDS):
        tickets = candidate_snapshot(window=window, view=view, excluded=excluded)
        ranked = dispatch.rank(dispatch.Snapshot(tickets=tickets, able=table.able(tickets)), view, now, policy)
        if not ranked:
            break
        ticket = claim_first(ranked)
        if ticket is not None:
            return _mark_called(ticket, window=window, clerk=clerk, now=now, how="next")
        excluded.update(ranked)  # all taken by other windows meanwhile: look further down the queue
    require_no_active(window)
    _raise_nothing_to_call(window=window, view=view)
    raise AssertionError("unreachable")


def ticket_finish_and_call_next(*, window: Window | int, clerk, ticket: Ticket | int,
                                now: dt.datetime | None = None, policy: dispatch.Policy | None = None) -> Ticket:
    """办结并叫下一号: finish the ticket being served, then call the next one (the clerk's usual click).

    The finish stands even when nobody can be called; the call-next error then says why. A finish that is
    refused calls nobody."""
    now = now or timezone.now()
    ticket_finish(window=window, clerk=clerk, ticket=ticket, now=now)
    return ticket_call_next(window=window, clerk=clerk, now=now, policy=policy)


def _raise_nothing_to_call(*, window: Window, view: dispatch.WindowView) -> None:
    waiting = set(Ticket.objects.filter(centre_id=window.centre_id, state=TicketState.WAITING)
                  .values_list("domain_id", "domain__name").distinct())
    servable = any(dispatch.window_allows(view, domain_id=d, matter_id=None)
                   and dispatch.clerk_allows(view, domain_id=d, matter_id=None) for d, _ in waiting)
    if waiting and not servable and not view.clerk_matters:
        names = sorted({n for _, n in waiting})
        raise ValidationFailed(
            f"本窗口（含签到人员的业务技能）不能办理任何正在等候的领域（{'、'.join(names)}），"
            "请联系管理员调整技能或窗口。",
            "This window and its clerk have no skill for any domain with waiting tickets.",
            code="no_skill_for_waiting")
    raise NotFound("当前没有您可办理的等候号。", "There is no waiting ticket you can serve.", code="queue_empty")


@transaction.atomic
def ticket_call_specific(*, window: Window, clerk, ticket: Ticket, now: dt.datetime | None = None) -> Ticket:
    now = now or timezone.now()
    window = lock_window(window)
    require_clerk_at(window, clerk)
    require_open(window)
    require_no_active(window)
    ticket = ticket_locked(ticket)
    if ticket.state != TicketState.WAITING or ticket.centre_id != window.centre_id:
        raise ConflictError(f"{ticket.number}号不在等候中（{label_zh(ticket.get_state_display())}），不能叫号。",
                            "The ticket is not waiting.")
    if not dispatch.can_serve(window_view(window), dispatch.TicketView(
            id=ticket.pk, domain_id=ticket.domain_id, matter_id=ticket.matter_id, priority=ticket.priority,
            queued_at=ticket.queued_at, target_window_id=ticket.target_window_id)):
        raise ValidationFailed(f"本窗口（含签到人员技能）不能办理{ticket.number}号的“{ticket.domain.name}”业务。",
                               "This window may not serve that ticket.", code="not_eligible")
    return _mark_called(ticket, window=window, clerk=clerk, now=now, how="specific")
