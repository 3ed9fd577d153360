"""How many open windows can serve each kind of ticket: the scarcity term of the dispatch score, per centre.

The figure changes only when a window opens, pauses or closes, a clerk signs in or out, or skills and window types
are edited, while every call and every ticket asks for it. So it is counted in Python from the open windows'
dispatch views (``dispatch.scarcity_by_domain``: the policy's own rule) and kept per centre in Django's cache
(``django.core.cache.cache``: Redis when ``YICHUANG_REDIS_URL`` is set, so shared by every server process) for
``HALL_SCARCITY_SECONDS`` (default 2; 0 counts at every call). The services that change windows, sign-ins and
skills (and the admin) call ``changed`` / ``clerk_changed``, which delete the centre's key at once and again when
the transaction commits, so every process counts again after a change. The entry also holds the open windows'
dispatch views it was counted from: a call takes its window's view from it when it was built for the clerk signed
in now (what a window and its clerk may serve changes only through those same services), and reads it from the
database otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from yichuang.catalog.models import Matter, WindowDomain

from . import dispatch
from .constants import WindowState
from .eligibility import window_views
from .models import Window


@dataclass(frozen=True)
class Table:
    """``dispatch.scarcity_by_domain``'s two tables: open windows able to serve a ticket of a domain with no
    matter (or a matter counted as its domain), and the matters whose count differs from their domain's."""

    by_domain: dict[int, int]
    by_matter: dict[int, int]
    # The open windows' dispatch views they were counted from, each with the clerk it was built for.
    views: dict[int, tuple[int, dispatch.WindowView]] = field(default_factory=dict)

    def view_of(self, window: Window) -> dispatch.WindowView | None:
        """The window's view as counted, if it was counted with the clerk signed in now (None: read it live)."""
        kept = self.views.get(window.pk)
        return kept[1] if kept is not None and kept[0] == window.clerk_id else None

    def of(self, ticket: dispatch.TicketView) -> int:
        return dispatch.scarcity_of(ticket, self.by_domain, self.by_matter)

    def able(self, tickets) -> dict[dispatch.TicketKey, int]:
        """``dispatch.Snapshot.able`` for these tickets."""
        return {dispatch.ticket_key(t): self.of(t) for t in tickets}


def _key(centre_id: int) -> str:
    return f"hall:scarcity:{int(centre_id)}"


def count(centre_id: int) -> Table:
    """Count now, from the database (open windows with a clerk, their types and the clerks' skills)."""
    windows = list(Window.objects.filter(centre_id=centre_id, state=WindowState.OPEN, clerk__isnull=False))
    views = window_views(windows)
    listed = set().union(*(v.matters | v.clerk_matters for v in views)) if views else set()
    matter_domains = dict(Matter.objects.filter(id__in=listed, domain__isnull=False).values_list("id", "domain_id"))
    by_domain, by_matter = dispatch.scarcity_by_domain(views, WindowDomain.objects.values_list("id", flat=True),
                                                       matter_domains)
    return Table(by_domain=by_domain, by_matter=by_matter,
                 views={w.pk: (w.clerk_id, v) for w, v in zip(windows, views, strict=True)})


def for_centre(centre_id: int) -> Table:
    """The centre's table, from the cache or counted (and kept for ``HALL_SCARCITY_SECONDS``)."""
    seconds = float(settings.HALL_SCARCITY_SECONDS)
    if seconds <= 0:
        return count(centre_id)
    table = cache.get(_key(centre_id))
    if table is None:
        table = count(centre_id)
        cache.set(_key(centre_id), table, seconds)
    return table


def windows_able(*, centre_id: int, domain_id: int, matter_id: int | None = None) -> int:
    """How many open, signed-in windows of the centre may serve a ticket of this domain (and matter): the kiosk
    refuses a ticket while it is 0."""
    return for_centre(centre_id).of(dispatch.TicketView(id=0, domain_id=domain_id, matter_id=matter_id,
                                                        priority=0, queued_at=dispatch.EPOCH))


def forget(centre_id: int) -> None:
    """Count again at the next call, in every process."""
    cache.delete(_key(centre_id))


def changed(centre_id: int) -> None:
    """The centre's open windows, their clerks, types or skills changed (in the current transaction): this
    transaction's own calls count again, and so does every call after it commits, in any process."""
    forget(centre_id)
    transaction.on_commit(lambda: forget(centre_id))


def clerk_changed(user_id: int) -> None:
    """A clerk's skills changed: the centres where they are signed in at a window count again."""
    for centre_id in set(Window.objects.filter(clerk_id=user_id).values_list("centre_id", flat=True)):
        changed(centre_id)
