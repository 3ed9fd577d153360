"""HTTP benchmark of call-next on PostgreSQL (prints figures; not a test).

    YICHUANG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yc_hallperf uv run python bench/hall_http_bench.py

Wipes the hall tables of the configured database, builds a centre with 64 signed-in windows (clerks with
skills, one API token each), a backlog of past days (BENCH_BACKLOG closed tickets, bulk SQL, default 200,000)
and today's waiting tickets, then starts gunicorn (gthread workers) on BENCH_PORT (8112) and, for each level
in BENCH_LEVELS (8,32,64), runs that many client processes (one window each, keep-alive http.client) looping
POST call-next then finish for BENCH_SECONDS while an issuer process takes tickets through the kiosk API.
Prints calls/s, p50/p99, errors, tickets served twice, tickets lost, and a raw-SQL claim loop reference at the
same client counts with our rate as a fraction of it; prints EXPLAIN of the claim query once.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import multiprocessing as mp
import os
import signal
import statistics
import subprocess
import sys
import time

os.environ.setdefault("YICHUANG_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yc_hallperf")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
os.environ.setdefault("YICHUANG_VAR_DIR", "/tmp/yc_hallperf_var")
os.environ.setdefault("YICHUANG_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")

PORT = int(os.environ.get("BENCH_PORT", "8112"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
LEVELS = [int(x) for x in os.environ.get("BENCH_LEVELS", "8,32,64").split(",")]
BACKLOG = int(os.environ.get("BENCH_BACKLOG", "200000"))
WAITING = int(os.environ.get("BENCH_WAITING", "2000"))
ISSUE_RATE = float(os.environ.get("BENCH_ISSUE_RATE", "200"))  # tickets per second while calling
WORKERS = os.environ.get("BENCH_WORKERS", "3")
THREADS = os.environ.get("BENCH_THREADS", "4")
PASSWORD = "bench-pass-123"


def _dsn() -> str:
    return os.environ["YICHUANG_DATABASE_URL"].replace("postgres://", "postgresql://", 1)


def setup_world(n_windows: int):
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yichuang.accounts import services as acc
    from yichuang.accounts.models import ApiToken, Centre, User
    from yichuang.catalog.models import WindowDomain
    from yichuang.hall import services
    from yichuang.hall.models import ClerkSkill, DailySequence, Ticket, TicketEvent, Window, WindowSession

    call_command("migrate", verbosity=0)
    TicketEvent.objects.all().delete()
    Ticket.objects.all().delete()
    DailySequence.objects.all().delete()
    WindowSession.objects.all().delete()
    Window.objects.all().delete()
    ClerkSkill.objects.all().delete()
    ApiToken.objects.filter(user__username__startswith="hbench").delete()
    User.objects.filter(username__startswith="hbench").delete()

    centre, _ = Centre.objects.get_or_create(code="990002", defaults={"name": "压测中心", "level": "county"})
    a, _ = WindowDomain.objects.get_or_create(code="hbench_a", defaults={"name": "压测甲", "ticket_prefix": "Y"})
    b, _ = WindowDomain.objects.get_or_create(code="hbench_b", defaults={"name": "压测乙", "ticket_prefix": "Z"})
    windows = []
    for i in range(n_windows):
        u = User(username=f"hbench{i}", role="clerk", centre=centre)
        u.set_password(PASSWORD)
        u.save()
        services.skill_set(user=u, domains=[a, b])
        w = services.window_create(actor=None, centre=centre, number=f"H{i}")
        services.clerk_sign_in(window=w, clerk=u)
        _, key = acc.token_issue(username=u.username, password=PASSWORD, label="bench")
        windows.append((w.pk, key))

    # Backlog of past days, closed: one template row copied by generate_series.
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    tpl = Ticket.objects.create(centre=centre, domain=a, day=old.date(), seq=999999, number="Y000", state="done",
                                issued_at=old, queued_at=old)
    if BACKLOG:
        cols = [f.column for f in Ticket._meta.concrete_fields if f.column != "id"]
        sel = [{"day": "t.day - (g / 900)", "seq": "(g %% 900) + 1"}.get(c, f"t.{c}") for c in cols]
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO hall_ticket ({', '.join(cols)}) SELECT {', '.join(sel)} "
                        f"FROM hall_ticket t, generate_series(0, %s) g WHERE t.id = %s", [BACKLOG - 2, tpl.pk])
            cur.execute("ANALYZE hall_ticket")
    for i in range(WAITING):
        services.ticket_issue(centre=centre, domain=a if i % 2 else b)
    return centre.pk, a.pk, b.pk, windows


def explain(centre_id: int):
    import psycopg
    with psycopg.connect(_dsn()) as conn:
        rows = conn.execute(
            "EXPLAIN ANALYZE SELECT id FROM hall_ticket WHERE centre_id = %s AND state = 'waiting' "
            "ORDER BY priority, queued_at, id LIMIT 50", [centre_id]).fetchall()
        print("EXPLAIN of the candidate/claim query:")
        for (line,) in rows:
            print("   ", line)
        n_all = conn.execute("SELECT count(*) FROM hall_ticket").fetchone()[0]
        n_wait = conn.execute("SELECT count(*) FROM hall_ticket WHERE state='waiting'").fetchone()[0]
        print(f"    table rows: {n_all}, waiting (in the partial index): {n_wait}")


def client(window_id: int, key: str, stop_at: float, out):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    hdr = {"Authorization": f"Bearer {key}", "Content-Length": "0"}
    lat, errors, empty, served = [], 0, 0, []
    while time.time() < stop_at:
        t0 = time.perf_counter()
        try:
            conn.request("POST", f"/api/v1/hall/windows/{window_id}/call-next", headers=hdr)
            r = conn.getresponse()
            body = r.read()
        except Exception:
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            continue
        dt_ = time.perf_counter() - t0
        if r.status == 200:
            lat.append(dt_)
            tid = json.loads(body)["id"]
            served.append(tid)
            conn.request("POST", f"/api/v1/hall/windows/{window_id}/tickets/{tid}/finish", headers=hdr)
            r2 = conn.getresponse()
            r2.read()
            if r2.status != 200:
                errors += 1
        elif r.status in (404, 409, 422) and b"nothing" in body.lower() or r.status == 404:
            empty += 1
            time.sleep(0.01)
        else:
            errors += 1
    out.put((lat, errors, empty, served))


def issuer(centre_id: int, domains: tuple[int, int], stop_at: float, out):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    n, errors, ids = 0, 0, []
    t_start = time.time()
    while time.time() < stop_at:
        body = json.dumps({"centre_id": centre_id, "domain_id": domains[n % 2]})
        conn.request("POST", "/api/v1/hall/tickets", body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        if r.status == 201:
            ids.append(json.loads(data)["id"])
        else:
            errors += 1
        n += 1
        ahead = t_start + n / ISSUE_RATE - time.time()
        if ahead > 0:
            time.sleep(ahead)
    out.put((ids, errors))


def run_level(k: int, centre_id: int, domains, windows):
    q, iq = mp.Queue(), mp.Queue()
    stop_at = time.time() + SECONDS
    procs = [mp.Process(target=client, args=(wid, key, stop_at, q)) for wid, key in windows[:k]]
    ip = mp.Process(target=issuer, args=(centre_id, domains, stop_at, iq))
    for p in procs:
        p.start()
    ip.start()
    results = [q.get() for _ in procs]
    issued, issue_errors = iq.get()
    for p in procs + [ip]:
        p.join()
    lat = sorted(x for r in results for x in r[0])
    errors = sum(r[1] for r in results)
    empty = sum(r[2] for r in results)
    n = len(lat)
    p50 = lat[n // 2] * 1000 if n else 0
    p99 = lat[min(n - 1, int(n * 0.99))] * 1000 if n else 0
    return n / SECONDS, p50, p99, errors, empty, len(issued), issue_errors


def integrity(centre_id: int):
    import psycopg
    with psycopg.connect(_dsn()) as conn:
        twice = conn.execute(
            "SELECT count(*) FROM (SELECT e.ticket_id FROM hall_ticketevent e JOIN hall_ticket t ON t.id=e.ticket_id "
            "WHERE t.centre_id=%s AND e.kind='called' GROUP BY e.ticket_id HAVING count(*) > 1) x",
            [centre_id]).fetchone()[0]
        lost = conn.execute(
            "SELECT count(*) FROM hall_ticket t WHERE t.centre_id=%s AND t.day = CURRENT_DATE "
            "AND t.state NOT IN ('waiting') AND NOT EXISTS (SELECT 1 FROM hall_ticketevent e "
            "WHERE e.ticket_id=t.id AND e.kind='called')", [centre_id]).fetchone()[0]
    return twice, lost


def sql_worker(centre_id: int, stop_at: float, out):
    import psycopg
    n = 0
    with psycopg.connect(_dsn(), autocommit=True) as conn:
        while time.time() < stop_at:
            row = conn.execute(
                "UPDATE hall_ticket SET state='called', called_at=now() WHERE id = (SELECT id FROM hall_ticket "
                "WHERE centre_id=%s AND state='waiting' ORDER BY priority, queued_at, id "
                "FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id", [centre_id]).fetchone()
            if row:
                n += 1
    out.put(n)


def sql_reference(k: int, centre_id: int) -> float:
    import psycopg
    with psycopg.connect(_dsn(), autocommit=True) as conn:  # refill: mark done tickets of today waiting again
        conn.execute("UPDATE hall_ticket SET state='waiting' WHERE centre_id=%s AND day=CURRENT_DATE", [centre_id])
    q = mp.Queue()
    secs = min(SECONDS, 5)
    stop_at = time.time() + secs
    procs = [mp.Process(target=sql_worker, args=(centre_id, stop_at, q)) for _ in range(k)]
    for p in procs:
        p.start()
    total = sum(q.get() for _ in procs)
    for p in procs:
        p.join()
    return total / secs


def main():
    n_windows = max(LEVELS)
    print(f"load before: {os.getloadavg()}")
    t0 = time.time()
    centre_id, a, b, windows = setup_world(n_windows)
    print(f"world: {n_windows} windows, backlog {BACKLOG} closed tickets, {WAITING} waiting "
          f"(set up in {time.time() - t0:.0f}s)")
    explain(centre_id)
    from django.db import connections
    connections.close_all()
    env = dict(os.environ, YICHUANG_DEBUG="0")
    env.setdefault("YICHUANG_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "yichuang.config.wsgi:application", "-b", f"127.0.0.1:{PORT}",
         "-k", "gthread", "-w", WORKERS, "--threads", THREADS, "--keep-alive", "30", "--log-level", "warning"],
        env=env)
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                c.request("GET", f"/api/v1/hall/centres/{centre_id}/queues")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        print(f"gunicorn gthread -w {WORKERS} --threads {THREADS}; {SECONDS:.0f}s per level; "
              f"issuing {ISSUE_RATE:.0f} tickets/s")
        rates = {}
        for k in LEVELS:
            rate, p50, p99, errors, empty, issued, ierr = run_level(k, centre_id, (a, b), windows)
            rates[k] = rate
            print(f"  {k:>3} windows: {rate:7.0f} call-next/s  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
                  f"errors {errors}  empty-queue replies {empty}  issued {issued} (errors {ierr})  "
                  f"load {os.getloadavg()[0]:.2f}")
        twice, lost = integrity(centre_id)
        print(f"tickets served twice: {twice} (must be 0); tickets lost: {lost} (must be 0)")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print("raw SQL claim loop (UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING):")
    for k in LEVELS:
        ref = sql_reference(k, centre_id)
        print(f"  {k:>3} clients: {ref:7.0f} claims/s; our HTTP call-next rate is {rates[k] / ref:.2f} of it")


if __name__ == "__main__":
    mp.set_start_method("fork")
    sys.exit(main())
