"""KPI dashboard at scale: load N cases and M tickets (with their events) and R ratings by SQL generate_series,
fold them into the daily KPI tables with the same `kpi_rollup` the scheduler runs, then time every dashboard panel.

    YICHUANG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yc_kpi \\
        uv run python bench/kpi_scale_bench.py [--cases 10000000] [--tickets 1000000] [--days 1000] [--repeats 200]

The database named is wiped (flush) and filled; it must be PostgreSQL for the full figures. Prints the load and
rollup times, then median and p99 per panel (catalogue ratios, waits, case KPIs, rankings, the whole dashboard)
for a 30-day, a 365-day and an all-time range.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("YICHUANG_VAR_DIR", tempfile.mkdtemp(prefix="yc-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import JSONField  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
BATCH = 500_000


def _literal(field) -> str:
    default = field.get_default()
    if isinstance(field, JSONField):
        return "'" + json.dumps(default if default is not None else {}) + "'::jsonb"
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, (int, float)):
        return str(default)
    if default is None:
        return "NULL"
    return "'" + str(default).replace("'", "''") + "'"


def _insert(model, exprs: dict[str, str], n: int, label: str) -> float:
    """INSERT … SELECT over generate_series, every column from ``exprs`` or its default; returns seconds."""
    cols, vals = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        cols.append(connection.ops.quote_name(f.column))
        vals.append(exprs.get(f.attname, exprs.get(f.name, "NULL" if f.null else _literal(f))))
    body = ", ".join(vals).replace("%", "%%")
    sql = f"INSERT INTO {model._meta.db_table} ({', '.join(cols)}) SELECT {body} FROM generate_series(%s, %s) AS g"
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for start in range(1, n + 1, BATCH):
            cur.execute(sql, [start, min(start + BATCH - 1, n)])
            print(f"  {label}: {min(start + BATCH - 1, n):>10,} rows  {time.perf_counter() - t0:7.1f} s", flush=True)
    return time.perf_counter() - t0


def _arr(values) -> str:
    return "ARRAY[" + ",".join(str(v) for v in values) + "]"


def load(cases: int, tickets: int, ratings: int, days: int) -> None:
    from yichuang.accounts.models import Centre
    from yichuang.cases.models import Case
    from yichuang.catalog.models import Matter, WindowDomain
    from yichuang.feedback.models import Rating
    from yichuang.hall.models import Ticket, TicketEvent

    centre = Centre.objects.get(code="500107")
    matters = list(Matter.objects.filter(is_active=True).order_by("id"))
    m_ids = _arr(m.pk for m in matters)
    v_ids = _arr(m.versions.latest("number").pk for m in matters)
    d_ids = _arr(m.department_id for m in matters)
    n_m = len(matters)
    pick = f"(1 + g % {n_m})"
    received = f"(now() - ((g % {days}) || ' days')::interval - ((g % 480) || ' minutes')::interval)"
    closed = "(g % 100 >= 3)"
    exprs = {
        "number": "'K' || g", "centre_id": str(centre.pk), "handling_centre_id": str(centre.pk),
        "matter_id": f"({m_ids})[{pick}]", "matter_version_id": f"({v_ids})[{pick}]",
        "department_id": f"({d_ids})[{pick}]", "applicant_kind": "'person'", "applicant_name": "'申请人'",
        "applicant_id_number": "'11010119900101123X'", "channel": "CASE WHEN g % 5 = 0 THEN 'online' ELSE 'window' END",
        "state": "CASE WHEN g % 100 < 2 THEN 'accepted' WHEN g % 100 < 3 THEN 'forwarded' ELSE 'closed' END",
        "received_at": received, "decided_at": f"CASE WHEN {closed} THEN {received} + ((g % 15) || ' days')::interval END",
        "accepted_at": f"({received})::date", "due_date": f"({received})::date + 14",
        "promised_days": "CASE WHEN g % 4 = 0 THEN 0 ELSE 10 END", "legal_days": "20", "visits": "1 + g % 2",
        "created_at": "now()", "updated_at": "now()",
    }
    t = _insert(Case, exprs, cases, "cases")
    print(f"cases: {cases:,} in {t:.0f} s")
    domains = list(WindowDomain.objects.order_by("id"))
    dom = _arr(d.pk for d in domains)
    issued = f"(date_trunc('day', now()) - ((g % {days}) || ' days')::interval + interval '9 hours' + ((g % 420) || ' minutes')::interval)"
    texprs = {"centre_id": str(centre.pk), "domain_id": f"({dom})[1 + g % {len(domains)}]",
              "day": f"({issued})::date", "seq": "100000 + g", "number": "'T' || (g % 1000)", "issued_at": issued,
              "queued_at": issued, "state": "'done'", "source": "'kiosk'"}
    t = _insert(Ticket, texprs, tickets, "tickets")
    first = Ticket.objects.order_by("id").values_list("id", flat=True).first()
    with connection.cursor() as cur:
        t0 = time.perf_counter()
        cur.execute(f"""INSERT INTO {TicketEvent._meta.db_table} (ticket_id, kind, at, data)
                        SELECT id, 'called', issued_at + ((id %% 40) || ' minutes')::interval, '{{}}'::jsonb
                        FROM {Ticket._meta.db_table} WHERE id >= %s""", [first])
        cur.execute(f"""INSERT INTO {TicketEvent._meta.db_table} (ticket_id, kind, at, data)
                        SELECT id, 'finished', issued_at + ((id %% 40 + 12) || ' minutes')::interval,
                               jsonb_build_object('service_seconds', 300 + id %% 900)
                        FROM {Ticket._meta.db_table} WHERE id >= %s""", [first])
        print(f"tickets: {tickets:,} + {2 * tickets:,} events in {t + time.perf_counter() - t0:.0f} s")
    rexprs = {"centre_id": str(centre.pk), "department_id": f"({d_ids})[{pick}]", "channel": "'offline'",
              "level": "CASE WHEN g % 20 = 0 THEN 1 WHEN g % 20 = 1 THEN 2 ELSE 3 + g % 3 END",
              "created_at": received, "indicators": "'{}'::jsonb", "comment": "''"}
    t = _insert(Rating, rexprs, ratings, "ratings")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def rollup(days: int) -> None:
    from yichuang.supervision.kpi import kpi_open_snapshot, kpi_rollup

    today = timezone.localdate()
    t0 = time.perf_counter()
    per_day = []
    for i in range(days + 16):
        s = time.perf_counter()
        kpi_rollup(day=today - dt.timedelta(days=i))
        per_day.append(time.perf_counter() - s)
        if i % 100 == 0:
            print(f"  rollup: {i:5} days  {time.perf_counter() - t0:7.1f} s", flush=True)
    s = time.perf_counter()
    kpi_open_snapshot(today=today)
    print(f"open/overdue snapshot (tick): {(time.perf_counter() - s) * 1000:.0f} ms")
    per_day.sort()
    print(f"rollup: {len(per_day)} days in {time.perf_counter() - t0:.0f} s; one day median "
          f"{statistics.median(per_day) * 1000:.0f} ms, max {per_day[-1] * 1000:.0f} ms")


def timing(repeats: int) -> None:
    from yichuang.supervision import kpi

    today = timezone.localdate()
    ranges = {"30 days": today - dt.timedelta(days=29), "365 days": today - dt.timedelta(days=364),
              "all": today - dt.timedelta(days=3000)}
    panels = {
        "catalogue ratios": lambda s: kpi.catalogue_kpis(),
        "whole dashboard": lambda s: kpi.kpi_dashboard(start=s, end=today),
    }
    print(f"\n{'panel':<22}{'range':<10}{'median ms':>10}{'p99 ms':>9}")
    for name, fn in panels.items():
        for label, start in ranges.items():
            samples = []
            for _ in range(repeats):
                t0 = time.perf_counter()
                fn(start)
                samples.append((time.perf_counter() - t0) * 1000)
            samples.sort()
            p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
            print(f"{name:<22}{label:<10}{statistics.median(samples):>10.1f}{p99:>9.1f}", flush=True)
            if name == "catalogue ratios":
                break
    k = kpi.kpi_dashboard(start=ranges["365 days"], end=today)
    print("\n365-day values:", json.dumps({x: k[x] for x in ("tickets", "cases_received", "cases_decided",
                                                              "wait_mean", "wait_p90", "overdue_rate",
                                                              "satisfaction_rate", "open_overdue")}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=10_000_000)
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--ratings", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--skip-load", action="store_true", help="reuse the data already loaded")
    a = ap.parse_args()
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    if not a.skip_load:
        call_command("migrate", verbosity=0)
        call_command("flush", interactive=False, verbosity=0)
        from yichuang.demo.loader import demo_load

        demo_load()
        load(a.cases, a.tickets, a.ratings, a.days)
        rollup(a.days)
    else:
        call_command("migrate", verbosity=0)
        from yichuang.supervision.kpi import kpi_open_snapshot

        s = time.perf_counter()
        kpi_open_snapshot()
        print(f"open/overdue snapshot (tick): {(time.perf_counter() - s) * 1000:.0f} ms")
    timing(a.repeats)


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    main()
