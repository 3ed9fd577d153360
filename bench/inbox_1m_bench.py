"""The department inbox with 1,000,000 cases in PostgreSQL (prints figures; not a test).

    YICHUANG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yc_bench4 uv run python bench/inbox_1m_bench.py
    BENCH_CASES=1000000 BENCH_REQUESTS=200 BENCH_RELOAD=0 …   # keep the loaded cases of an earlier run

EMPTIES the case tables of the configured database (TRUNCATE … CASCADE), builds a centre with 20 departments
(3 matters each, promised limits 5/10/15/20 working days) and one approver per department, then loads BENCH_CASES
cases with one INSERT … SELECT over generate_series (FK triggers off during the load; the rows are consistent by
construction), spread as a centre's history looks:

- skewed over departments (the largest has about ten times the cases of the smallest);
- 80 % closed, 3 % withdrawn, 2 % not accepted, 2 % issued and never closed, over three years of receipts;
  the open backlog (about 13 %) received in the last days or weeks: received, needs supplement, forwarded,
  accepted (6.5 %, due dates spread around today: some red, some yellow, most green), suspended (0.5 %, each
  with its open Suspension row, which the inbox reads for the effective due date), approved, denied, ready, issued;
- due and legal due dates from the acceptance date and the matter's limits.

Then VACUUM ANALYZE, EXPLAIN ANALYZE of the inbox queries, and BENCH_REQUESTS timed requests for each of:
the selector ``case_inbox`` (first page of 50; every department in turn) unfiltered, by state and by light;
and the page /cases/inbox/ (Django test client, logged-in approver, template rendered) the same ways.
Prints median, p90 and p99 in ms, rows per page, and the load average.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

os.environ.setdefault("YICHUANG_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yc_bench4")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
os.environ.setdefault("YICHUANG_VAR_DIR", "/tmp/yc_bench4_var")
os.environ.setdefault("YICHUANG_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")

N = int(os.environ.get("BENCH_CASES", "1000000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
RELOAD = os.environ.get("BENCH_RELOAD", "1") != "0"
DEPTS = 20
CENTRE = "990005"
PROMISED = (5, 10, 15, 20)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.ALLOWED_HOSTS = ["*"]
settings.DEBUG = False


def _world():
    from yichuang.accounts import services as acc
    from yichuang.accounts.constants import Post, Role
    from yichuang.accounts.models import Centre, Department, User
    from yichuang.catalog import services as cat
    from yichuang.catalog.models import Matter, WindowDomain

    centre = Centre.objects.filter(code=CENTRE).first() or acc.centre_create(code=CENTRE, name="待办压测中心",
                                                                            level="county")
    if not WindowDomain.objects.filter(code="ibench").exists():
        cat.domain_save(code="ibench", name="待办压测", ticket_prefix="I")
    depts, matters, approvers = [], [], []
    for d in range(DEPTS):
        dept = Department.objects.filter(code=f"IBENCH{d}").first() or acc.department_create(
            code=f"IBENCH{d}", name=f"待办压测部门{d}", centre=centre)
        depts.append(dept)
        for m in range(3):
            code = f"M-IBENCH-{d}-{m}"
            promised = PROMISED[(d + m) % len(PROMISED)]
            matter = Matter.objects.filter(implementation_code=code).first() or cat.matter_save(
                spec={"department": dept.code, "domain": "ibench", "matter_type": "licensing",
                      "implementation_code": code, "name": f"待办压测事项{d}-{m}", "legal_limit_days": 20,
                      "promised_limit_days": promised},
                materials=[{"code": "app", "name": "申请书"}])
            matters.append((matter, dept))
        name = f"ibench_appr{d}"
        user = User.objects.filter(username=name).first() or acc.user_create(
            username=name, password="bench-pass-123", role=Role.APPROVER, display_name=name, centre=centre,
            department=dept, post=Post.A)
        approvers.append(user)
    clerk = User.objects.filter(username="ibench_clerk").first() or acc.user_create(
        username="ibench_clerk", password="bench-pass-123", role=Role.CLERK, display_name="ibench_clerk",
        centre=centre)
    return centre, depts, matters, approvers, clerk


LOAD_SQL = """
INSERT INTO cases_case (number, centre_id, handling_centre_id, matter_id, department_id, matter_version_id,
    answers, applicant_kind, applicant_name, applicant_id_number, applicant_credit_code, contact_name, contact_phone,
    contact_address, agent_name, agent_id_number, agent_authorisation, bad_credit, channel, form_data, state,
    received_by_id, accepted_by_id, decided_by_id, received_at, accepted_at, deemed_accepted, decided_at,
    promised_days, legal_days, suspended_workdays, extension_days, extension_approved_by_id, due_date,
    legal_due_date, provisional, tolerant, tolerant_commitment, tolerant_due, supplement_due, missing_items,
    visits, ticket_numbers, created_at, updated_at)
SELECT %(centre)s || to_char(rd, 'YYYYMMDD') || lpad(g::text, 7, '0'), %(centre_id)s, %(centre_id)s,
    (%(matters)s::bigint[])[mi], (%(depts)s::bigint[])[di], (%(versions)s::bigint[])[mi],
    '{}'::jsonb, 'person', '申请人' || g, '500101' || (1950 + g %% 50) || '0101' || lpad((g %% 1000)::text, 3, '0') || 'X',
    '', '', '13800138000', '', '', '', false, false,
    CASE WHEN g %% 10 = 0 THEN 'online' ELSE 'window' END, '{}'::jsonb, st,
    CASE WHEN g %% 10 = 0 THEN NULL ELSE %(clerk)s END,
    CASE WHEN acc IS NULL THEN NULL ELSE (%(approvers)s::bigint[])[di] END,
    CASE WHEN st IN ('approved', 'denied', 'ready', 'issued', 'closed', 'not_accepted')
         THEN (%(approvers)s::bigint[])[di] END,
    rt, acc, false,
    CASE WHEN st IN ('approved', 'denied', 'ready', 'issued', 'closed', 'not_accepted') THEN rt + interval '5 days' END,
    pd, 20, 0, 0, NULL,
    acc + (ceil(pd * 7 / 5.0))::int, acc + 28, false, g %% 50 = 0, '', NULL, NULL, '[]'::jsonb,
    1, '[]'::jsonb, rt, rt
FROM (
    SELECT g, st, di, mi, pd, rt, rd,
           CASE WHEN st IN ('received', 'needs_supplement', 'forwarded', 'withdrawn', 'not_accepted') THEN NULL
                ELSE rd + (g %% 2) END AS acc
    FROM (
        SELECT g, st, di, mi, (%(promised)s::int[])[mi] AS pd, rt, (rt AT TIME ZONE 'Asia/Shanghai')::date AS rd
        FROM (
            SELECT g, st, di, (di - 1) * 3 + 1 + (g %% 3) AS mi,
                   now() - make_interval(days => (CASE
                        WHEN st IN ('closed', 'withdrawn', 'not_accepted') OR (st = 'issued' AND r1 < 0.87)
                            THEN floor(r2 * 1100)
                        WHEN st IN ('received', 'needs_supplement', 'forwarded') THEN floor(r2 * 6)
                        WHEN st IN ('accepted', 'suspended') THEN floor(r2 * 32)
                        ELSE floor(r2 * 60) END)::int) - r3 * interval '8 hours' AS rt
            FROM (
                SELECT g, r1, r2, r3, 1 + floor(%(ndepts)s * power(r4, 1.6))::int AS di,
                       CASE WHEN r1 < 0.80 THEN 'closed' WHEN r1 < 0.83 THEN 'withdrawn'
                            WHEN r1 < 0.85 THEN 'not_accepted' WHEN r1 < 0.87 THEN 'issued'
                            WHEN r1 < 0.875 THEN 'received' WHEN r1 < 0.88 THEN 'needs_supplement'
                            WHEN r1 < 0.89 THEN 'forwarded' WHEN r1 < 0.955 THEN 'accepted'
                            WHEN r1 < 0.96 THEN 'suspended' WHEN r1 < 0.97 THEN 'approved'
                            WHEN r1 < 0.975 THEN 'denied' WHEN r1 < 0.985 THEN 'ready' ELSE 'issued' END AS st
                FROM (SELECT g, random() r1, random() r2, random() r3, random() r4
                      FROM generate_series(%(lo)s, %(hi)s) g) a
            ) b
        ) c
    ) d
) e
"""


def load(centre, depts, matters, approvers, clerk) -> None:
    from yichuang.catalog.models import MatterVersion

    versions = [MatterVersion.objects.filter(matter=m).order_by("-number").values_list("pk", flat=True).first()
                for m, _ in matters]
    params = {
        "centre": CENTRE, "centre_id": centre.pk, "clerk": clerk.pk, "ndepts": DEPTS,
        "depts": [d.pk for d in depts], "approvers": [a.pk for a in approvers],
        "matters": [m.pk for m, _ in matters], "versions": versions,
        "promised": [m.promised_limit_days for m, _ in matters],
    }
    t0 = time.time()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE cases_case, cases_casesequence RESTART IDENTITY CASCADE")
        cur.execute("SELECT setseed(0.42)")
        cur.execute("SET session_replication_role = replica")  # no FK triggers while loading
        step = 100_000
        for lo in range(1, N + 1, step):
            cur.execute(LOAD_SQL, {**params, "lo": lo, "hi": min(N, lo + step - 1)})
            print(f"  loaded {min(N, lo + step - 1):>9,} cases ({time.time() - t0:.0f} s)", flush=True)
        cur.execute("""INSERT INTO cases_suspension (case_id, reason, note, start_date, end_date, workdays)
                       SELECT id, 'site_inspection', '',
                              GREATEST(accepted_at, LEAST(CURRENT_DATE, due_date) - (id % 10)::int), NULL, 0
                       FROM cases_case WHERE state = 'suspended'""")
        cur.execute("SET session_replication_role = DEFAULT")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE cases_case")
        cur.execute("VACUUM ANALYZE cases_suspension")
    print(f"loaded {N:,} cases in {time.time() - t0:.0f} s (with VACUUM ANALYZE)")


def describe(depts) -> None:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), pg_size_pretty(pg_total_relation_size('cases_case')) FROM cases_case")
        n, size = cur.fetchone()
        cur.execute("SELECT state, count(*) FROM cases_case GROUP BY state ORDER BY 2 DESC")
        states = ", ".join(f"{s} {c:,}" for s, c in cur.fetchall())
        cur.execute("SELECT department_id, count(*), count(*) FILTER (WHERE state IN ('accepted','suspended')) "
                    "FROM cases_case GROUP BY 1 ORDER BY 2 DESC")
        per = cur.fetchall()
    print(f"cases_case: {n:,} rows, {size} with indexes; states: {states}")
    print(f"per department: largest {per[0][1]:,} cases ({per[0][2]:,} with a running clock), "
          f"smallest {per[-1][1]:,} ({per[-1][2]:,})")


def explain(user) -> None:
    from yichuang.cases.selectors import inbox_querysets
    for label, kw in (("unfiltered", {}), ("state=accepted", {"state": "accepted"}),
                      ("light=yellow", {"light_filter": "yellow"}), ("light=green", {"light_filter": "green"})):
        for qs in inbox_querysets(user=user, **kw):
            lines = qs[:60].explain(analyze=True).splitlines()
            print(f"EXPLAIN ANALYZE inbox {label} (largest department, first batch):")
            for line in lines[:6]:
                print("   ", line)
            print("   ", "…", lines[-1])


def _stats(times: list[float]) -> str:
    xs = sorted(times)
    p = lambda q: xs[min(len(xs) - 1, int(len(xs) * q))]  # noqa: E731
    return f"median {statistics.median(xs):6.1f} ms  p90 {p(0.9):6.1f} ms  p99 {p(0.99):6.1f} ms"


CASES = (("first page", {}, ""), ("state=accepted", {"state": "accepted"}, "state=accepted"),
         ("state=forwarded", {"state": "forwarded"}, "state=forwarded"),
         ("light=red", {"light_filter": "red"}, "light=red"),
         ("light=yellow", {"light_filter": "yellow"}, "light=yellow"),
         ("light=green", {"light_filter": "green"}, "light=green"))


def timings(approvers) -> None:
    from django.test import Client

    from yichuang.cases.selectors import case_inbox

    print(f"selector case_inbox (first page of 50, {REQUESTS} calls each, departments in turn):")
    for label, kw, _ in CASES:
        times, rows = [], 0
        for i in range(REQUESTS):
            t = time.perf_counter()
            rows += len(case_inbox(user=approvers[i % len(approvers)], limit=50, **kw))
            times.append((time.perf_counter() - t) * 1000)
        print(f"  {label:15s} {_stats(times)}  ({rows / REQUESTS:.0f} rows/page)  load {os.getloadavg()[0]:.2f}")
    clients = []
    for a in approvers:
        c = Client()
        c.force_login(a)
        clients.append(c)
    print(f"page /cases/inbox/ (test client, logged in, rendered; {REQUESTS} requests each):")
    for label, _, query in CASES:
        times = []
        for i in range(REQUESTS):
            t = time.perf_counter()
            r = clients[i % len(clients)].get(f"/cases/inbox/?{query}")
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.status_code
        print(f"  {label:15s} {_stats(times)}  load {os.getloadavg()[0]:.2f}")


def main() -> None:
    print(f"uptime before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    centre, depts, matters, approvers, clerk = _world()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case WHERE department_id = ANY(%s)", [[d.pk for d in depts]])
        have = cur.fetchone()[0]
    if RELOAD or have < N:
        load(centre, depts, matters, approvers, clerk)
    describe(depts)
    explain(approvers[0])
    for a in approvers[:3]:  # warm the caches (calendar, connection)
        from yichuang.cases.selectors import case_inbox
        case_inbox(user=a)
    timings(approvers)
    print(f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    sys.exit(main())
