"""The dispatch policy: a pure function from a snapshot of the queue to the ticket a window calls next.

No database, no clock: the caller passes ``now``. Rules, in order:

1. Eligibility: a window serves a ticket only if the window's type allows it (无差别综窗 everything;
   other windows their listed domains and, for 专业窗口, their department's matters) AND the clerk signed
   in has the skill (the ticket's domain, or its matter). A ticket transferred to a named window is
   served only there.
2. Class: 70+ (免等) before 优先 (disabled, military) before due appointments before normal.
3. Starvation bound: within the best class, a ticket queued longer than ``policy.starvation_minutes``
   goes first (oldest first), before any newer ticket of its class.
4. Score: ``wait_minutes * wait_weight + scarcity_weight / windows_able`` — the fewer open windows can
   serve a ticket, the sooner a window that can should take it. Highest score wins.
5. FIFO tie-break on (queued_at, id).

``Policy(fifo=True)`` is plain FIFO within class (for the simulator, as a baseline).

``rank`` orders every ticket a window may serve by these rules; ``choose`` is its first. The live hall
(``hall.services.calling``) and the simulator (``yichuang.sim.engine``) both call this module: it is the only copy
of the policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TicketView:
    id: int
    domain_id: int
    priority: int
    queued_at: dt.datetime
    matter_id: int | None = None
    target_window_id: int | None = None


@dataclass(frozen=True)
class WindowView:
    id: int
    all_domains: bool = False
    domains: frozenset[int] = frozenset()
    matters: frozenset[int] = frozenset()
    clerk_domains: frozenset[int] = frozenset()
    clerk_matters: frozenset[int] = frozenset()


TicketKey = tuple[int, "int | None", "int | None"]


@dataclass(frozen=True)
class Snapshot:
    tickets: tuple[TicketView, ...]
    windows: tuple[WindowView, ...] = ()  # the open windows of the centre, the calling one included (for scarcity)
    # Optional ``scarcity_table(windows, …)``: how many of ``windows`` can serve each ticket key. A caller whose
    # window set stays fixed between shift changes (the hall simulator) passes it so each call does not recount;
    # keys missing from it are counted as usual.
    able: Mapping[TicketKey, int] | None = None


@dataclass(frozen=True)
class Policy:
    starvation_minutes: float = 30.0
    wait_weight: float = 1.0
    scarcity_weight: float = 10.0
    fifo: bool = False
    exclude: frozenset[int] = field(default_factory=frozenset)  # ids already taken by another window


def window_allows(window: WindowView, *, domain_id: int, matter_id: int | None) -> bool:
    if window.all_domains or domain_id in window.domains:
        return True
    return matter_id is not None and matter_id in window.matters


def clerk_allows(window: WindowView, *, domain_id: int, matter_id: int | None) -> bool:
    if domain_id in window.clerk_domains:
        return True
    return matter_id is not None and matter_id in window.clerk_matters


def can_serve(window: WindowView, ticket: TicketView) -> bool:
    if ticket.target_window_id is not None and ticket.target_window_id != window.id:
        return False
    return (window_allows(window, domain_id=ticket.domain_id, matter_id=ticket.matter_id)
            and clerk_allows(window, domain_id=ticket.domain_id, matter_id=ticket.matter_id))


def _fifo_key(t: TicketView) -> tuple:
    return (t.queued_at, t.id)


def windows_able(windows: Iterable[WindowView], ticket: TicketView) -> int:
    return sum(1 for w in windows if can_serve(w, ticket))


def ticket_key(ticket: TicketView) -> TicketKey:
    """Everything ``can_serve`` looks at in a ticket: tickets with the same key have the same scarcity."""
    return (ticket.domain_id, ticket.matter_id, ticket.target_window_id)


def scarcity_table(windows: Iterable[WindowView], tickets: Iterable[TicketView]) -> dict[TicketKey, int]:
    """``windows_able`` for each distinct key among ``tickets`` (for ``Snapshot.able``)."""
    windows = tuple(windows)
    table: dict[TicketKey, int] = {}
    for t in tickets:
        key = ticket_key(t)
        if key not in table:
            table[key] = windows_able(windows, t)
    return table


def scarcity_by_domain(windows: Iterable[WindowView], domain_ids: Iterable[int],
                       matter_domains: Mapping[int, int]) -> tuple[dict[int, int], dict[int, int]]:
    """``windows_able`` for every ticket that names no window, in two small tables: per domain for a ticket with no
    matter, and per matter only where it differs from its domain's count.

    A matter changes the count only through a window's or a clerk's list of matters (``window_allows``,
    ``clerk_allows``), so only the matters in those lists (``matter_domains``: each with its domain) are
    counted; for any other matter a ticket counts as its domain. ``scarcity_of`` reads the tables back."""
    windows = tuple(windows)
    by_domain = {d: windows_able(windows, TicketView(id=0, domain_id=d, priority=0, queued_at=EPOCH))
                 for d in domain_ids}
    by_matter = {}
    for m, d in matter_domains.items():
        n = windows_able(windows, TicketView(id=0, domain_id=d, matter_id=m, priority=0, queued_at=EPOCH))
        if n != by_domain.get(d, 0):
            by_matter[m] = n
    return by_domain, by_matter


def scarcity_of(ticket: TicketView, by_domain: Mapping[int, int], by_matter: Mapping[int, int]) -> int:
    """``windows_able`` of a ticket from ``scarcity_by_domain``'s tables (a ticket sent to one window: 1)."""
    if ticket.target_window_id is not None:
        return 1
    if ticket.matter_id is not None and ticket.matter_id in by_matter:
        return by_matter[ticket.matter_id]
    return by_domain.get(ticket.domain_id, 0)


EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def rank(snapshot: Snapshot, window: WindowView, now: dt.datetime, policy: Policy = Policy()) -> list[int]:
    """The ids of the tickets ``window`` may serve, in the order it should call them: the first is the one to call
    next, and each next one is what ``choose`` would pick were the ones before it taken by other windows (the live
    claim tries them in this order). A ticket's place depends on the ticket alone (its class, whether it starves,
    its score), so a taken ticket leaves the order of the others as it was."""
    eligible = [t for t in snapshot.tickets if t.id not in policy.exclude and can_serve(window, t)]
    if not eligible:
        return []
    bound = dt.timedelta(minutes=policy.starvation_minutes)
    known = snapshot.able or {}
    counted: dict[TicketKey, int] = {}  # scarcity depends on the key only: count each key once per call
    others: tuple[WindowView, ...] | None = None

    def able(t: TicketView) -> int:
        nonlocal others
        key = ticket_key(t)
        n = known.get(key)
        if n is None:
            n = counted.get(key)
        if n is None:
            if others is None:
                others = tuple(w for w in snapshot.windows if w.id != window.id) + (window,)
            n = counted[key] = windows_able(others, t)
        return n

    def place(t: TicketView) -> tuple:
        # Class first; within it the starving tickets (oldest first), then the highest score, then FIFO.
        if policy.fifo or now - t.queued_at > bound:
            return (t.priority, 0, 0.0) + _fifo_key(t)
        wait = max((now - t.queued_at).total_seconds() / 60.0, 0.0)
        score = wait * policy.wait_weight + policy.scarcity_weight / max(able(t), 1)
        return (t.priority, 1, -score) + _fifo_key(t)

    return [t.id for t in sorted(eligible, key=place)]


def choose(snapshot: Snapshot, window: WindowView, now: dt.datetime, policy: Policy = Policy()) -> int | None:
    """The id of the ticket ``window`` should call next (the first of ``rank``), or None when it may serve none."""
    ranked = rank(snapshot, window, now, policy)
    return ranked[0] if ranked else None
