"""How many open windows can serve each kind of ticket: the scarcity term of the dispatch score, per centre.

The claim statements on PostgreSQL (``claim``) used to count, at every call, the open windows able to serve each
kind of ticket among the candidates — a quarter of the statement's cost, for a figure that changes only when a
window opens, pauses or closes, a clerk signs in or out, or skills and window types are edited. This module counts
it in Python from the open windows' dispatch views (``dispatch.scarcity_by_domain``) and keeps the result per
centre for ``HALL_SCARCITY_SECONDS`` (default 2). The services that change windows, sign-ins and skills call
``changed``, so the process that made a change counts again at once; other server processes within the period.
Scarcity only orders the tickets a window may serve: who may serve what is still checked by the statement itself,
live, at every call.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from yichuang.core.ttlcache import TTLCache

from . import dispatch


@dataclass(frozen=True)
class Table:
    """``dispatch.scarcity_by_domain``'s two tables as parallel lists (the claim statements take them as arrays)."""

    domains: list[int]
    domain_counts: list[int]
    matters: list[int]
    matter_counts: list[int]

    def params(self) -> dict:
        return {"able_domains": self.domains, "able_domain_n": self.domain_counts,
                "able_matters": self.matters, "able_matter_n": self.matter_counts}

    def of(self, ticket: dispatch.TicketView) -> int:
        return dispatch.scarcity_of(ticket, dict(zip(self.domains, self.domain_counts, strict=True)),
                                    dict(zip(self.matters, self.matter_counts, strict=True)))


_tables = TTLCache("HALL_SCARCITY_SECONDS", 2)  # centre id -> Table
_window_centre: dict[int, int] = {}  # a window never changes centre


def count(centre_id: int) -> Table:
    """Count now, from the database (open windows with a clerk, their types and the clerks' skills)."""
    from yichuang.catalog.models import Matter, WindowDomain

    from .services import open_window_views

    views = open_window_views(centre_id=centre_id)
    listed = set().union(*(v.matters | v.clerk_matters for v in views)) if views else set()
    matter_domains = dict(Matter.objects.filter(id__in=listed, domain__isnull=False).values_list("id", "domain_id"))
    by_domain, by_matter = dispatch.scarcity_by_domain(views, WindowDomain.objects.values_list("id", flat=True),
                                                       matter_domains)
    return Table(domains=list(by_domain), domain_counts=list(by_domain.values()),
                 matters=list(by_matter), matter_counts=list(by_matter.values()))


def for_centre(centre_id: int) -> Table:
    table = _tables.get(centre_id)
    if table is None:
        table = count(centre_id)
        _tables.put(centre_id, table)
    return table


EMPTY = Table([], [], [], [])


def for_window(window_id: int) -> Table:
    """The table of the window's centre (empty for a window that does not exist: the claim then claims nothing
    and the ORM path says why)."""
    centre_id = _window_centre.get(window_id)
    if centre_id is None:
        from .models import Window

        centre_id = Window.objects.filter(pk=window_id).values_list("centre_id", flat=True).first()
        if centre_id is None:
            return EMPTY
        _window_centre[window_id] = centre_id
    return for_centre(centre_id)


def forget(centre_id: int | None = None) -> None:
    """Count again at the next call (in this process): for one centre, or all."""
    _tables.forget(centre_id)


def changed(centre_id: int | None = None) -> None:
    """Open windows, their clerks, types or skills changed (in the current transaction): this transaction's own
    calls count again, and so does the next call after it commits, so that nobody keeps a count made before it
    (other processes within ``HALL_SCARCITY_SECONDS``). For one centre, or all."""
    forget(centre_id)
    transaction.on_commit(lambda: forget(centre_id))
