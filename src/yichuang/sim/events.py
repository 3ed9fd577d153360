"""Real demand from the database: replay a centre's ticket events, and empirical service times.

A scenario may say::

    replay: {centre: "500107", day: "2026-11-20"}   # arrivals: that day's 取号 events (key = WindowDomain.code)
    domains:
      - {key: shsw, service: {dist: empirical, from_events: true}}   # service_seconds of finished tickets

Everything else in the scenario stays as written; the simulation itself never touches the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from django.utils import timezone

from yichuang.accounts.models import Centre
from yichuang.core.errors import NotFound, ValidationFailed
from yichuang.hall.constants import EventKind
from yichuang.hall.models import TicketEvent

from .scenario import Scenario, Service

RECENT_SERVICES = 2000


def _minutes(at: dt.datetime) -> float:
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return local.hour * 60 + local.minute + local.second / 60.0


def scenario_with_events(sc: Scenario, raw: dict) -> Scenario:
    """Fill replayed arrivals and empirical service times from ``TicketEvent`` rows."""
    replay = raw.get("replay") or {}
    wants_service = [d for d in raw.get("domains") or [] if isinstance(d, dict)
                     and isinstance(d.get("service"), dict) and d["service"].get("from_events")]
    if not replay and not wants_service:
        return sc
    centre = None
    if replay.get("centre"):
        centre = Centre.objects.filter(code=str(replay["centre"])).first()
        if centre is None:
            raise NotFound(f"没有编码为 {replay['centre']} 的中心。", f"No centre with code {replay['centre']}.")
    domains = list(sc.domains)
    if replay:
        try:
            day = dt.date.fromisoformat(str(replay.get("day")))
        except ValueError:
            raise ValidationFailed("replay.day 应为 YYYY-MM-DD。", "replay.day must be YYYY-MM-DD.",
                                   field="replay.day") from None
        rows = (TicketEvent.objects.filter(kind=EventKind.ISSUED, ticket__day=day)
                .values_list("at", "ticket__domain__code", "ticket__priority").order_by("at", "id"))
        if centre is not None:
            rows = rows.filter(ticket__centre=centre)
        by_domain: dict[str, list[tuple[float, int]]] = {}
        for at, code, prio in rows:
            by_domain.setdefault(code, []).append((_minutes(at), int(prio)))
        if not by_domain:
            raise NotFound(f"{day} 没有取号记录。", f"No tickets were issued on {day}.")
        for i, d in enumerate(domains):
            got = by_domain.get(d.key, [])
            domains[i] = replace(d, replay=tuple(t for t, _ in got) or (), replay_priorities=tuple(p for _, p in got),
                                 rates={} if got else d.rates)
    for spec in wants_service:
        key = str(spec["key"])
        qs = TicketEvent.objects.filter(kind=EventKind.FINISHED, ticket__domain__code=key)
        if centre is not None:
            qs = qs.filter(ticket__centre=centre)
        secs = [r.get("service_seconds") for r in qs.order_by("-at").values_list("data", flat=True)[:RECENT_SERVICES]
                if isinstance(r, dict) and r.get("service_seconds")]
        if not secs:
            continue  # keep the stated mean as a fixed fallback
        samples = tuple(max(s / 60.0, 0.1) for s in secs)
        i = next(i for i, d in enumerate(domains) if d.key == key)
        domains[i] = replace(domains[i], service=Service(dist="empirical", mean=sum(samples) / len(samples),
                                                         samples=samples))
    return replace(sc, domains=tuple(domains))
