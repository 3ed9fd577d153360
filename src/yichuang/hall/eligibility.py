"""Who may serve what, read from the database: the dispatch views (``dispatch.WindowView``) of windows with the
clerks signed in — the window's type, domains and department, and the clerk's skills. The rules themselves are
``dispatch``'s (``window_allows``, ``clerk_allows``, ``can_serve``); this module only gathers their inputs."""

from __future__ import annotations

from yichuang.catalog.models import Matter, WindowDomain

from . import dispatch
from .constants import WindowState, WindowType
from .models import ClerkSkill, Window


def window_views(windows: list[Window]) -> list[dispatch.WindowView]:
    """Dispatch views of windows with the clerks signed in, in a fixed number of queries."""
    if not windows:
        return []
    window_domains: dict[int, set[int]] = {w.pk: set() for w in windows}
    for wid, did in Window.domains.through.objects.filter(window_id__in=window_domains).values_list(
            "window_id", "windowdomain_id"):
        window_domains[wid].add(did)
    dept_ids = {w.department_id for w in windows if w.window_type == WindowType.DEPARTMENT and w.department_id}
    dept_matters: dict[int, set[int]] = {d: set() for d in dept_ids}
    if dept_ids:
        for mid, dep in Matter.objects.filter(department_id__in=dept_ids).values_list("id", "department_id"):
            dept_matters[dep].add(mid)
    # The clerks' skills, read through the skill rows' link tables by the clerk (no query for the skill rows).
    clerk_domains: dict[int, set[int]] = {}
    clerk_matters: dict[int, set[int]] = {}
    clerk_ids = {w.clerk_id for w in windows if w.clerk_id}
    if clerk_ids:
        for uid, did in ClerkSkill.domains.through.objects.filter(clerkskill__user_id__in=clerk_ids).values_list(
                "clerkskill__user_id", "windowdomain_id"):
            clerk_domains.setdefault(uid, set()).add(did)
        for uid, mid in ClerkSkill.matters.through.objects.filter(clerkskill__user_id__in=clerk_ids).values_list(
                "clerkskill__user_id", "matter_id"):
            clerk_matters.setdefault(uid, set()).add(mid)
    views = []
    for w in windows:
        views.append(dispatch.WindowView(
            id=w.pk, all_domains=w.window_type == WindowType.GENERAL, domains=frozenset(window_domains[w.pk]),
            matters=frozenset(dept_matters.get(w.department_id, ())) if w.window_type == WindowType.DEPARTMENT
            else frozenset(),
            clerk_domains=frozenset(clerk_domains.get(w.clerk_id, ())) if w.clerk_id else frozenset(),
            clerk_matters=frozenset(clerk_matters.get(w.clerk_id, ())) if w.clerk_id else frozenset(),
        ))
    return views


def window_view(window: Window) -> dispatch.WindowView:
    """The dispatch view of one window with the clerk signed in (no clerk skills when nobody is)."""
    return window_views([window])[0]


def open_window_views(*, centre_id: int) -> list[dispatch.WindowView]:
    """The views of the centre's open windows with a clerk signed in (the windows that may call)."""
    return window_views(list(Window.objects.filter(centre_id=centre_id, state=WindowState.OPEN,
                                                   clerk__isnull=False)))


def serving_domain_ids(view: dispatch.WindowView, all_ids: list[int]) -> set[int]:
    """Domains for which the window (with its clerk) can serve at least a ticket with no matter."""
    return {d for d in all_ids if dispatch.window_allows(view, domain_id=d, matter_id=None)
            and dispatch.clerk_allows(view, domain_id=d, matter_id=None)}


def overlaps(view: dispatch.WindowView) -> bool:
    """Whether the window with this clerk can serve anything at all (a sign-in is refused otherwise)."""
    if serving_domain_ids(view, list(WindowDomain.objects.values_list("id", flat=True))):
        return True
    for m_id, d_id in Matter.objects.filter(id__in=view.clerk_matters).values_list("id", "domain_id"):
        if dispatch.window_allows(view, domain_id=d_id, matter_id=m_id):
            return True
    return False
