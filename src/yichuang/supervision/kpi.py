"""KPIs from events. ``kpi_rollup(day)`` folds one day's ticket events, case transitions and ratings into small
daily tables (recomputed whole, so it is safe to run again); the dashboard reads only those tables plus the
catalogue, so every panel costs the same with 10,000 or 10,000,000 cases."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from yichuang.accounts.models import Department, User
from yichuang.cases.constants import CaseState as S
from yichuang.cases.constants import Channel
from yichuang.cases.models import Case, CaseTransition
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.core.replica import reading_from_replica
from yichuang.feedback.constants import BAD_LEVELS, SATISFIED_LEVELS, RectificationState
from yichuang.feedback.models import Rating, Rectification
from yichuang.hall.constants import EventKind, WindowType
from yichuang.hall.models import TicketEvent, Window

from .models import WAIT_BUCKETS, KpiCaseDay, KpiClerkDay, KpiOpenSnapshot, KpiTicketHour

DECIDED = (S.APPROVED, S.DENIED, S.READY, S.ISSUED, S.CLOSED)


def _span(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _bucket(minutes: float) -> int:
    for i, bound in enumerate(WAIT_BUCKETS):
        if minutes <= bound:
            return i
    return len(WAIT_BUCKETS)


@transaction.atomic
def kpi_rollup(*, day: dt.date) -> int:
    """Recompute the rollup rows of one day; returns the number of rows written."""
    start, end = _span(day)
    tick: dict[tuple, dict] = defaultdict(lambda: {"called": 0, "wait_sum": 0.0, "hist": [0] * (len(WAIT_BUCKETS) + 1),
                                                   "served": 0, "service_sum": 0.0, "no_show": 0})
    clerk: dict[tuple, dict] = defaultdict(lambda: {"served": 0, "service_sum": 0.0, "ratings": 0, "satisfied": 0})
    events = (TicketEvent.objects.filter(at__gte=start, at__lt=end,
                                         kind__in=(EventKind.CALLED, EventKind.FINISHED, EventKind.NO_SHOW))
              .values_list("kind", "at", "data", "clerk_id", "ticket__centre_id", "ticket__domain_id",
                           "ticket__issued_at"))
    for kind, at, data, clerk_id, centre_id, domain_id, issued_at in events.iterator(chunk_size=2000):
        local = timezone.localtime(at)
        row = tick[(centre_id, local.hour, domain_id)]
        if kind == EventKind.CALLED:
            wait = max((at - issued_at).total_seconds() / 60, 0.0)
            row["called"] += 1
            row["wait_sum"] += wait
            row["hist"][_bucket(wait)] += 1
        elif kind == EventKind.FINISHED:
            minutes = float((data or {}).get("service_seconds", 0)) / 60
            row["served"] += 1
            row["service_sum"] += minutes
            if clerk_id:
                c = clerk[(centre_id, clerk_id)]
                c["served"] += 1
                c["service_sum"] += minutes
        else:
            row["no_show"] += 1

    cases: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    received = (Case.objects.filter(received_at__gte=start, received_at__lt=end)
                .values("handling_centre_id", "department_id")
                .annotate(n=Count("id"), online=Count("id", filter=Q(channel=Channel.ONLINE)), visits=Sum("visits")))
    for r in received:
        row = cases[(r["handling_centre_id"], r["department_id"])]
        row["received"] += r["n"]
        row["online"] += r["online"]
        row["visits_sum"] += r["visits"] or 0
    decided = (Case.objects.filter(decided_at__gte=start, decided_at__lt=end, state__in=DECIDED)
               .values_list("handling_centre_id", "department_id", "received_at", "decided_at", "due_date",
                            "promised_days"))
    for centre_id, dept_id, received_at, decided_at, due, promised in decided.iterator(chunk_size=2000):
        row = cases[(centre_id, dept_id)]
        row["decided"] += 1
        row["handling_days_sum"] += max((decided_at - received_at).total_seconds() / 86400, 0.0)
        row["immediate"] += 1 if promised == 0 else 0
        row["overdue"] += 1 if due and timezone.localdate(decided_at) > due else 0
    issued = (CaseTransition.objects.filter(at__gte=start, at__lt=end, to_state=S.ISSUED)
              .values("case__handling_centre_id", "case__department_id").annotate(n=Count("id")))
    for r in issued:
        cases[(r["case__handling_centre_id"], r["case__department_id"])]["issued"] += r["n"]
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end, followup_of__isnull=True,
                                    excluded_at__isnull=True)  # an appeal upheld (申诉复核) takes it out
    for centre_id, dept_id, clerk_id, level in ratings.values_list("centre_id", "department_id", "clerk_id", "level"):
        if dept_id:
            row = cases[(centre_id, dept_id)]
            row["ratings"] += 1
            row["satisfied"] += 1 if level in SATISFIED_LEVELS else 0
            row["bad"] += 1 if level in BAD_LEVELS else 0
        if clerk_id:
            c = clerk[(centre_id, clerk_id)]
            c["ratings"] += 1
            c["satisfied"] += 1 if level in SATISFIED_LEVELS else 0
    closed = (Rectification.objects.filter(closed_at__gte=start, closed_at__lt=end, state=RectificationState.CLOSED,
                                           department__isnull=False)
              .values("centre_id", "department_id").annotate(n=Count("id")))
    for r in closed:
        cases[(r["centre_id"], r["department_id"])]["rectified"] += r["n"]

    KpiTicketHour.objects.filter(day=day).delete()
    KpiCaseDay.objects.filter(day=day).delete()
    KpiClerkDay.objects.filter(day=day).delete()
    KpiTicketHour.objects.bulk_create([
        KpiTicketHour(centre_id=c, day=day, hour=h, domain_id=d, **{k: x for k, x in v.items() if k != "hist"},
                      **{f"b{i}": n for i, n in enumerate(v["hist"])})
        for (c, h, d), v in tick.items()])
    KpiCaseDay.objects.bulk_create([
        KpiCaseDay(centre_id=c, day=day, department_id=d, **{k: int(x) if k != "handling_days_sum" else x
                                                             for k, x in v.items()})
        for (c, d), v in cases.items() if d is not None])
    KpiClerkDay.objects.bulk_create([KpiClerkDay(centre_id=c, day=day, clerk_id=u, **v) for (c, u), v in clerk.items()])
    return len(tick) + len(cases) + len(clerk)


def _p(hist: list[int], q: float) -> float | None:
    """The q-quantile from the histogram: the upper bound of the bucket holding it (minutes)."""
    n = sum(hist)
    if not n:
        return None
    need, seen = q * n, 0
    for i, count in enumerate(hist):
        seen += count
        if seen >= need:
            return float(WAIT_BUCKETS[i]) if i < len(WAIT_BUCKETS) else float(WAIT_BUCKETS[-1] * 2)
    return float(WAIT_BUCKETS[-1] * 2)


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def _add(into: list[int], more: list[int]) -> None:
    for i, v in enumerate(more):
        into[i] += v


@reading_from_replica()
def catalogue_kpis(*, centre_ids: list[int] | None = None) -> dict[str, Any]:
    """Window and catalogue ratios: 综窗占比, 通办率, 全程网办率, 即办件占比, 承诺时限压缩率."""
    windows = Window.objects.all()
    if centre_ids:
        windows = windows.filter(centre_id__in=centre_ids)
    by_type = dict(windows.values_list("window_type").annotate(n=Count("id")))
    total = sum(by_type.values())
    comprehensive = by_type.get(WindowType.GENERAL, 0) + by_type.get(WindowType.DOMAIN, 0)
    matters = Matter.objects.filter(is_active=True)
    n_matters = matters.count()
    general_open = windows.filter(window_type=WindowType.GENERAL).exists()
    if general_open:
        receivable = n_matters
    else:
        domain_ids = set(windows.filter(window_type=WindowType.DOMAIN).values_list("domains", flat=True))
        receivable = matters.filter(domain_id__in=domain_ids).count()
    limits = matters.filter(legal_limit_days__gt=0).aggregate(p=Sum("promised_limit_days"), l=Sum("legal_limit_days"))
    return {
        "windows": total, "windows_by_type": {WindowType(k).label: v for k, v in by_type.items()},
        "comprehensive_share": _ratio(comprehensive, total),
        "tongban_rate": _ratio(receivable, n_matters),
        "online_rate": _ratio(matters.filter(visits_required=0).count(), n_matters),
        "immediate_share": _ratio(matters.filter(handling_kind="immediate").count(), n_matters),
        "compression": round(1 - limits["p"] / limits["l"], 4) if limits["l"] else None,
        "matters": n_matters,
    }


@reading_from_replica()
def kpi_dashboard(*, start: dt.date, end: dt.date, centre_ids: list[int] | None = None) -> dict[str, Any]:
    """Every panel of the supervisor dashboard for [start, end]."""
    tq = KpiTicketHour.objects.filter(day__gte=start, day__lte=end)
    cq = KpiCaseDay.objects.filter(day__gte=start, day__lte=end)
    kq = KpiClerkDay.objects.filter(day__gte=start, day__lte=end)
    if centre_ids:
        tq, cq, kq = tq.filter(centre_id__in=centre_ids), cq.filter(centre_id__in=centre_ids), \
            kq.filter(centre_id__in=centre_ids)
    zero = [0] * (len(WAIT_BUCKETS) + 1)
    overall, by_hour, by_domain = list(zero), defaultdict(lambda: {"n": 0, "sum": 0.0, "hist": list(zero)}), \
        defaultdict(lambda: {"n": 0, "sum": 0.0, "hist": list(zero)})
    called = wait_sum = served = service_sum = no_show = 0
    buckets = [f"b{i}" for i in range(len(zero))]
    # One pass in the database: (hour, domain) groups, a few hundred rows whatever the date range.
    groups = tq.values("hour", "domain_id").annotate(
        n=Sum("called"), wsum=Sum("wait_sum"), srv=Sum("served"), ssum=Sum("service_sum"), ns=Sum("no_show"),
        **{b: Sum(b) for b in buckets})
    for g in groups:
        hour, domain_id, n, wsum = g["hour"], g["domain_id"], g["n"] or 0, g["wsum"] or 0.0
        hist = [g[b] or 0 for b in buckets]
        called, wait_sum, served, service_sum, no_show = called + n, wait_sum + wsum, served + (g["srv"] or 0), \
            service_sum + (g["ssum"] or 0.0), no_show + (g["ns"] or 0)
        _add(overall, hist)
        for bucket in (by_hour[hour], by_domain[domain_id]):
            bucket["n"] += n
            bucket["sum"] += wsum
            _add(bucket["hist"], hist)
    names = dict(WindowDomain.objects.values_list("id", "name"))

    def _wait(b):
        return {"mean": round(b["sum"] / b["n"], 1) if b["n"] else None, "p90": _p(b["hist"], 0.9), "n": b["n"]}

    fields = ("received", "online", "decided", "handling_days_sum", "immediate", "overdue", "visits_sum", "issued",
              "ratings", "satisfied", "bad", "rectified")
    totals = cq.aggregate(**{f: Sum(f) for f in fields})
    totals = {k: v or 0 for k, v in totals.items()}
    depts = []
    dnames = dict(Department.objects.values_list("id", "name"))
    for r in cq.values("department_id").annotate(**{f: Sum(f) for f in fields}):
        depts.append({"department": dnames.get(r["department_id"], "?"), "decided": r["decided"],
                      "received": r["received"], "overdue_rate": _ratio(r["overdue"], r["decided"]),
                      "mean_days": round(r["handling_days_sum"] / r["decided"], 2) if r["decided"] else None,
                      "satisfaction": _ratio(r["satisfied"], r["ratings"])})
    depts.sort(key=lambda d: (-(d["decided"] or 0), d["department"]))
    clerks = []
    unames = {pk: display or username for pk, display, username in
              User.objects.filter(pk__in=kq.values("clerk_id")).values_list("id", "display_name", "username")}
    for r in kq.values("clerk_id").annotate(served=Sum("served"), service_sum=Sum("service_sum"),
                                           ratings=Sum("ratings"), satisfied=Sum("satisfied")):
        clerks.append({"clerk": unames.get(r["clerk_id"], "?"), "served": r["served"],
                       "mean_service": round(r["service_sum"] / r["served"], 1) if r["served"] else None,
                       "satisfaction": _ratio(r["satisfied"], r["ratings"])})
    clerks.sort(key=lambda c: (-(c["served"] or 0), c["clerk"]))
    snaps = KpiOpenSnapshot.objects.all()
    if centre_ids:
        snaps = snaps.filter(centre_id__in=centre_ids)
    open_overdue = snaps.aggregate(n=Sum("overdue"))["n"] or 0
    return {
        "start": start.isoformat(), "end": end.isoformat(),
        **catalogue_kpis(centre_ids=centre_ids),
        "tickets": called, "served": served, "no_show_rate": _ratio(no_show, called),
        "wait_mean": round(wait_sum / called, 1) if called else None, "wait_p90": _p(overall, 0.9),
        "mean_service_minutes": round(service_sum / served, 1) if served else None,
        "wait_by_hour": [{"hour": h, **_wait(by_hour[h])} for h in sorted(by_hour)],
        "wait_by_domain": sorted(({"domain": names.get(d, "?"), **_wait(b)} for d, b in by_domain.items()),
                                 key=lambda r: r["domain"]),
        "cases_received": totals["received"], "cases_decided": totals["decided"],
        "mean_handling_days": round(totals["handling_days_sum"] / totals["decided"], 2) if totals["decided"] else None,
        "immediate_case_share": _ratio(totals["immediate"], totals["decided"]),
        "online_case_share": _ratio(totals["online"], totals["received"]),
        "visits_per_case": _ratio(totals["visits_sum"], totals["received"]),
        "satisfaction_rate": _ratio(totals["satisfied"], totals["ratings"]),
        "ratings": totals["ratings"], "bad_ratings": totals["bad"],
        "rectification_rate": _ratio(totals["rectified"], totals["bad"]),
        "overdue_rate": _ratio(totals["overdue"], totals["decided"]),
        "open_overdue": open_overdue,
        "departments": depts, "clerks": clerks,
    }


def kpi_open_snapshot(*, today: dt.date | None = None) -> int:
    """Count open (clock running) and overdue cases per handling centre; `tick` runs it."""
    today = today or timezone.localdate()
    now = timezone.now()
    rows = (Case.objects.filter(state__in=(S.ACCEPTED, S.SUSPENDED)).values("handling_centre_id")
            .annotate(n=Count("id"), overdue=Count("id", filter=Q(due_date__lt=today))))
    seen = []
    for r in rows:
        KpiOpenSnapshot.objects.update_or_create(centre_id=r["handling_centre_id"], defaults={
            "counted_at": now, "open_clock": r["n"], "overdue": r["overdue"]})
        seen.append(r["handling_centre_id"])
    KpiOpenSnapshot.objects.exclude(centre_id__in=seen).update(counted_at=now, open_clock=0, overdue=0)
    return len(seen)
