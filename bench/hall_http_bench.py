"""HTTP benchmark of call-next on PostgreSQL (prints figures; not a test).

    YICHUANG_DB_PREPARED=1 YICHUANG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yc_hallperf \
        uv run python bench/hall_http_bench.py

(YICHUANG_DB_PREPARED=1, as in production on a direct connection: the kiosk's Django queries are prepared too.)

Wipes the hall tables (and the ratings) of the configured database, builds a centre with 64 signed-in windows (clerks with skills,
one API token each), a backlog of past days (BENCH_BACKLOG closed tickets, bulk SQL, default 200,000), today's
queue (BENCH_WAITING waiting tickets with their "issued" events, default 250,000), VACUUM ANALYZE, then starts the
server on BENCH_PORT (8112): granian (BENCH_SERVER=granian, the default: BENCH_WORKERS 2 processes x BENCH_THREADS
1 blocking thread; BENCH_GRANIAN_ARGS adds options) or gunicorn (BENCH_SERVER=gunicorn, BENCH_WORKER_CLASS gthread, BENCH_WORKERS x BENCH_THREADS),
with persistent database connections. Then, BENCH_ROUNDS (2) times, for each mode in BENCH_MODES and each level in
BENCH_LEVELS (8,32,64), runs that many client processes (one window each, keep-alive HTTP/1.1 on a plain socket) for BENCH_SECONDS
(10) while a kiosk process takes tickets through POST /api/v1/hall/tickets (up to BENCH_ISSUE_RATE, 50/s):

- mode "pair": each window loops POST call-next, then POST finish for the ticket it got (two requests a call);
- mode "next": each window loops POST finish-and-call-next with the ticket it holds (办结并叫下一号, the console's
  usual click; one request a call);
- mode "paced": the same request, but offered at a fixed total rate (BENCH_PACED_RATE, 1000 calls/s, shared evenly
  by the windows, each on its own schedule) instead of as fast as answers come back. Its latency is counted from the
  time a call was due, so a slow answer that holds up the next calls counts against it (no coordinated omission).
  "pair" and "next" measure the most the server can do; there every window is always waiting for an answer, so
  by Little's law the mean latency is windows / rate (64 ms at 64 windows and 1,000 calls/s) whatever the server
  does. "paced" measures the latency at the target rate.

Every process of a run connects first; the run starts for all at once when all are connected, so neither
process start-up nor connecting is measured. BENCH_WARMUP (3) seconds of unmeasured calls come before the first
run (each server worker prepares its statements and fills its caches).

Where PostgreSQL runs with autovacuum off (this machine's CI configuration does), a process stands in for it on
hall_ticket as configured in production (migration hall.0005's threshold, BENCH_VACUUM_NAPTIME 5 s): without
it every call steps over the dead entries of all the calls before it at the head of the claim index. It paces
itself by autovacuum's cost delay, as autovacuum does (a manual VACUUM does not).

Prints per run: calls/s, p50/p99 of the call (and of finish), errors, empty-queue replies, tickets issued, the
load average (the machine is shared), and the CPU each call cost in the server processes, in this database's
PostgreSQL backends and in the client processes (a figure that does not depend on what else runs), how the windows'
keep-alive connections fell on the server's worker processes (a worker serves the connections it accepted, so an
uneven split leaves one worker most of the load) and the calls over 50 ms by second of the run (where the slow
calls bunch: start-up, a VACUUM, a worker behind); then tickets
served twice and lost (both must be 0), a raw-SQL claim loop at the same client counts (claim only, and claim +
finish update; BENCH_REFERENCE=0 skips it) and a summary with the best and the typical (median) run and our rate as a fraction of the raw SQL.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import multiprocessing as mp
import os
import signal
import socket
import subprocess
import sys
import time

from servers import cpu_times, server_cmd, steal_since

os.environ.setdefault("YICHUANG_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yc_hallperf")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
os.environ.setdefault("YICHUANG_VAR_DIR", "/tmp/yc_hallperf_var")
os.environ.setdefault("YICHUANG_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")

PORT = int(os.environ.get("BENCH_PORT", "8112"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
LEVELS = [int(x) for x in os.environ.get("BENCH_LEVELS", "8,32,64").split(",")]
BACKLOG = int(os.environ.get("BENCH_BACKLOG", "200000"))
WAITING = int(os.environ.get("BENCH_WAITING", "250000"))  # enough for 2 rounds of 3 modes
ISSUE_RATE = float(os.environ.get("BENCH_ISSUE_RATE", "50"))  # tickets per second while calling
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
MODES = os.environ.get("BENCH_MODES", "pair,next,paced").split(",")
PACED_RATE = float(os.environ.get("BENCH_PACED_RATE", "1000"))  # calls/s offered in mode "paced", all windows
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))  # s of unmeasured calls after the server starts
REFERENCE = os.environ.get("BENCH_REFERENCE", "1") != "0"  # 0: skip the raw SQL reference loops
SERVER = os.environ.get("BENCH_SERVER", "granian")  # or gunicorn
VACUUM_NAPTIME = float(os.environ.get("BENCH_VACUUM_NAPTIME", "5"))  # s; see vacuumer (0: never stand in)
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "gthread")
WORKERS = os.environ.get("BENCH_WORKERS", "2" if SERVER == "granian" else "3")
THREADS = os.environ.get("BENCH_THREADS", "1" if SERVER == "granian" else "8")
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
    from yichuang.hall.models import ClerkSkill, DailySequence, Ticket, Window, WindowSession

    call_command("migrate", verbosity=0)
    # One statement for the tickets and what hangs on them (events, appointments' links, ratings): hundreds of
    # thousands of ids in a Django delete would also exceed the 65,535 parameters of server-side binding.
    with connection.cursor() as cur:
        cur.execute("TRUNCATE hall_ticketevent, hall_ticket, supervision_rating CASCADE")
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
    # Today's queue: WAITING tickets (half each domain), as if issued over the last minutes, with their
    # "issued" events; the daily sequences continue from there for the kiosk issuer.
    from django.utils import timezone
    today = timezone.localdate()
    now = timezone.now()
    half = WAITING // 2
    with connection.cursor() as cur:
        for dom, prefix in ((a, a.ticket_prefix), (b, b.ticket_prefix)):
            cur.execute(
                "INSERT INTO hall_ticket (centre_id, domain_id, day, seq, number, priority, priority_reason, source, "
                "id_number, state, issued_at, queued_at, recall_count, requeue_count, case_numbers) "
                "SELECT %s, %s, %s, g, %s || lpad(g::text, 3, '0'), 3, '', 'kiosk', '', 'waiting', "
                "%s - make_interval(secs => (%s - g) * 0.01), %s - make_interval(secs => (%s - g) * 0.01), 0, 0, "
                "'[]'::jsonb FROM generate_series(1, %s) g",
                [centre.pk, dom.pk, today, prefix, now, half, now, half, half])
            DailySequence.objects.update_or_create(centre=centre, domain=dom, day=today, defaults={"last": half})
        cur.execute("INSERT INTO hall_ticketevent (ticket_id, kind, at, data) SELECT id, 'issued', issued_at, "
                    "'{}'::jsonb FROM hall_ticket WHERE centre_id = %s AND day = %s", [centre.pk, today])
    # A production table is vacuumed; without this the index still points at the rows deleted above.
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE hall_ticket")
        cur.execute("VACUUM ANALYZE hall_ticketevent")
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


class RawHTTP:
    """A keep-alive HTTP/1.1 client on a plain socket: the request bytes are formatted once per URL and the reply
    is parsed only as far as the status, Content-Length and body. http.client costs the load generator about 0.4 ms
    of CPU a request, which on a 2-core machine is taken from the server under test; this costs a fraction."""

    def __init__(self, key: str):
        self.head = f"Host: 127.0.0.1:{PORT}\r\nAuthorization: Bearer {key}\r\nContent-Length: 0\r\n\r\n".encode()
        self.sock, self.buf = None, b""

    def connect(self) -> None:
        self.sock = socket.create_connection(("127.0.0.1", PORT), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def post(self, path: str) -> tuple[int, bytes]:
        if self.sock is None:
            self.connect()
        self.sock.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\n" + self.head)
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        status = int(head[9:12])
        lower = head.lower()
        i = lower.index(b"content-length:") + 15
        end = lower.find(b"\r\n", i)
        length = int(lower[i:end if end >= 0 else None])
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            rest += chunk
        body, self.buf = rest[:length], rest[length:]
        return status, body

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock = None


def _start(conn_ready, go, start_at, seconds) -> tuple[float, float]:
    """Wait until every process of the run has connected and the run's common start time is set; return it and
    the run's end."""
    conn_ready.wait()
    go.wait()
    return start_at.value, start_at.value + seconds


def client(window_id: int, key: str, start, out, mode: str = "pair", interval: float = 0.0, offset: float = 0.0):
    """One window for SECONDS from the run's common start (``start``: see ``_start``; the connection is opened
    before it, so neither process start-up nor connecting counts). mode "pair": POST call-next, then POST finish for the ticket it got; mode
    "next": POST finish-and-call-next with the ticket it holds (办结并叫下一号, the console's usual click), one
    request per call, each sent as soon as the last answer came; mode "paced": the same request on a fixed
    schedule, one every ``interval`` seconds from ``offset`` on, its latency counted from the time it was due (a
    late answer delays the next request, and that delay is counted too: no coordinated omission)."""
    conn = RawHTTP(key)
    conn.connect()
    port = conn.sock.getsockname()[1]
    began, stop_at = _start(*start)
    lat, flat, errors, empty, served, held, due_at = [], [], 0, 0, [], None, []
    due = began + offset  # the schedule is common to all windows
    while time.time() < stop_at:
        url = (f"/api/v1/hall/windows/{window_id}/tickets/{held}/finish-and-call-next" if held
               else f"/api/v1/hall/windows/{window_id}/call-next")
        if interval:
            if due >= stop_at:
                break
            wait = due - time.time()
            if wait > 0:
                time.sleep(wait)
            t0, due = due, due + interval
        else:
            t0 = time.time()
        try:
            status, body = conn.post(url)
        except (OSError, ValueError):
            errors += 1
            conn.close()
            continue
        t1 = time.time()
        if status == 200:
            lat.append(t1 - t0)
            due_at.append(t0 - began)
            held = json.loads(body)["id"]
            served.append(held)
            if mode == "pair":
                status, _ = conn.post(f"/api/v1/hall/windows/{window_id}/tickets/{held}/finish")
                flat.append(time.time() - t1)
                held = None
                if status != 200:
                    errors += 1
        elif status == 404:
            empty += 1
            held = None  # finished (mode next); nobody to call
            time.sleep(0.01)
        else:
            errors += 1
            held = None
    if held:
        conn.post(f"/api/v1/hall/windows/{window_id}/tickets/{held}/finish")
    conn.close()
    out.put((lat, flat, errors, empty, served, time.process_time(), port, due_at))


def issuer(centre_id: int, domains: tuple[int, int], start, out):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    conn.connect()
    t_start, stop_at = _start(*start)
    n, errors, ids = 0, 0, []
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
            time.sleep(min(ahead, max(stop_at - time.time(), 0)))
    out.put((ids, errors, time.process_time()))


_TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def _children(ppid: int) -> list[int]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                        out.append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    return out


def server_cpu(master: int) -> dict[str, float]:
    """CPU seconds so far of the gunicorn master and workers and of this database's PostgreSQL backends."""
    import psycopg
    with psycopg.connect(_dsn(), autocommit=True) as conn:
        pg = [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                         "AND pid <> pg_backend_pid()")]
    return {"gunicorn": sum(_proc_cpu(p) for p in [master, *_children(master)]),
            "pg": {p: _proc_cpu(p) for p in pg}}


def connection_owners() -> dict[int, int]:
    """Client port -> the server process holding that keep-alive connection (from ss), {} where ss is missing."""
    try:
        out = subprocess.run(["ss", "-tnpH", "state", "established", f"( sport = :{PORT} )"], capture_output=True,
                             text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    owners = {}
    for line in out.splitlines():
        if "pid=" in line:
            peer = line.split()[-2]
            owners[int(peer.rsplit(":", 1)[1])] = int(line.split("pid=")[1].split(",")[0])
    return owners


def worker_split(results, owner: dict[int, int]) -> str:
    """How the windows' connections (and their calls) fell on the server's worker processes: "5/3 windows,
    calls 6100/3900". A server binds a keep-alive connection to one worker, so an uneven split leaves one worker
    with more of the offered load than the other."""
    per: dict[int, list[int]] = {}
    for r in results:
        pid = owner.get(r[6], 0)
        per.setdefault(pid, [0, 0])
        per[pid][0] += 1
        per[pid][1] += len(r[0])
    rows = sorted(per.values(), reverse=True)
    return f"{'/'.join(str(w) for w, _ in rows)} windows, calls {'/'.join(str(c) for _, c in rows)}"


def _cpu_delta(before: dict, after: dict) -> tuple[float, float]:
    pg = sum(v - before["pg"].get(p, 0.0) for p, v in after["pg"].items())
    return after["gunicorn"] - before["gunicorn"], pg


def _pct(xs: list[float], q: float) -> float:
    return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000 if xs else 0.0


def run_level(k: int, centre_id: int, domains, windows, master: int, mode: str, seconds: float = SECONDS) -> dict:
    q, iq = mp.Queue(), mp.Queue()
    cpu0, ticks0 = server_cpu(master), cpu_times()
    # Every process connects, then waits (conn_ready); the connections are counted per server worker, then the
    # run starts for all at once (go, start_at).
    start = (mp.Barrier(k + 2), mp.Event(), mp.Value("d", 0.0), seconds)
    interval = k / PACED_RATE if mode == "paced" else 0.0  # each window's share of the offered rate
    procs = [mp.Process(target=client, args=(wid, key, start, q, mode, interval, interval * i / k))
             for i, (wid, key) in enumerate(windows[:k])]
    ip = mp.Process(target=issuer, args=(centre_id, domains, start, iq))
    for p in procs:
        p.start()
    ip.start()
    start[0].wait()
    owner = connection_owners()
    start[2].value = time.time() + 0.05
    start[1].set()
    results = [q.get() for _ in procs]
    issued, issue_errors, issuer_cpu = iq.get()
    for p in procs + [ip]:
        p.join()
    g_cpu, pg_cpu = _cpu_delta(cpu0, server_cpu(master))
    client_cpu = sum(r[5] for r in results) + issuer_cpu
    late = [0] * int(seconds + 1)  # calls that took over 50 ms, by the second of the run they were due in
    for r in results:
        for t, x in zip(r[7], r[0], strict=True):
            if x > 0.05:
                late[min(int(t), len(late) - 1)] += 1
    lat = sorted(x for r in results for x in r[0])
    flat = sorted(x for r in results for x in r[1])
    served = [t for r in results for t in r[4]]
    return {"rate": len(lat) / seconds, "p50": _pct(lat, 0.5), "p99": _pct(lat, 0.99), "fin_p50": _pct(flat, 0.5),
            "fin_p99": _pct(flat, 0.99), "errors": sum(r[2] for r in results), "empty": sum(r[3] for r in results),
            "issued": len(issued), "issue_errors": issue_errors, "dup_in_replies": len(served) - len(set(served)),
            "split": worker_split(results, owner), "late": late, "load": os.getloadavg(), "steal": steal_since(ticks0), "cpu_gunicorn": g_cpu, "cpu_pg": pg_cpu, "cpu_clients": client_cpu}


def integrity(centre_id: int):
    """Served twice: a ticket with more than one 'called' event. Lost: a ticket of today that left the queue
    without a 'called' event, or a 'called' event whose ticket is back in the queue."""
    import psycopg
    with psycopg.connect(_dsn()) as conn:
        twice = conn.execute(
            "SELECT count(*) FROM (SELECT e.ticket_id FROM hall_ticketevent e JOIN hall_ticket t ON t.id=e.ticket_id "
            "WHERE t.centre_id=%s AND e.kind='called' GROUP BY e.ticket_id HAVING count(*) > 1) x",
            [centre_id]).fetchone()[0]
        lost = conn.execute(
            "SELECT count(*) FROM hall_ticket t WHERE t.centre_id=%s AND t.day >= CURRENT_DATE - 1 "
            "AND (t.state <> 'waiting') <> EXISTS (SELECT 1 FROM hall_ticketevent e "
            "WHERE e.ticket_id=t.id AND e.kind='called')", [centre_id]).fetchone()[0]
        called = conn.execute(
            "SELECT count(*) FROM hall_ticketevent e JOIN hall_ticket t ON t.id=e.ticket_id "
            "WHERE t.centre_id=%s AND e.kind='called'", [centre_id]).fetchone()[0]
    return twice, lost, called


def autovacuum_is_on() -> bool:
    import psycopg
    with psycopg.connect(_dsn()) as conn:
        return conn.execute("SHOW autovacuum").fetchone()[0] == "on"


def vacuumer(stop, out):
    """What autovacuum does for hall_ticket with migration hall.0005's settings and a naptime of VACUUM_NAPTIME
    seconds, for a PostgreSQL that runs with autovacuum off (this machine's CI configuration): every naptime,
    VACUUM the table when more than its threshold of rows are dead, paced by autovacuum's cost delay. One persistent connection, so its CPU is
    counted with the database's backends."""
    import psycopg
    done = []  # how long each VACUUM took
    with psycopg.connect(_dsn(), autocommit=True) as conn:
        threshold = 2000
        # Autovacuum's own pacing (a manual VACUUM runs unpaced): its cost delay and limit as this server sets them.
        delay, limit = conn.execute("SELECT current_setting('autovacuum_vacuum_cost_delay'), "
                                    "current_setting('autovacuum_vacuum_cost_limit')::int").fetchone()
        if delay not in ("-1", "-1ms"):
            conn.execute(f"SET vacuum_cost_delay = '{delay}'")
        if limit > 0:
            conn.execute(f"SET vacuum_cost_limit = {limit}")
        for opt in conn.execute("SELECT reloptions FROM pg_class WHERE relname = 'hall_ticket'").fetchone()[0] or []:
            if opt.startswith("autovacuum_vacuum_threshold="):
                threshold = int(opt.split("=", 1)[1])
        while not stop.wait(VACUUM_NAPTIME):
            dead = conn.execute("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'hall_ticket'").fetchone()
            if dead and dead[0] > threshold:
                t0 = time.time()
                conn.execute("VACUUM hall_ticket")
                done.append(time.time() - t0)
    out.put(done)


def sql_worker(centre_id: int, stop_at: float, with_finish: bool, out):
    import psycopg
    n = 0
    try:
        with psycopg.connect(_dsn(), autocommit=True) as conn:
            while time.time() < stop_at:
                row = conn.execute(
                    "UPDATE hall_ticket SET state='called', called_at=now() WHERE id = (SELECT id FROM hall_ticket "
                    "WHERE centre_id=%s AND state='waiting' ORDER BY priority, queued_at, id "
                    "FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id", [centre_id], prepare=True).fetchone()
                if row:
                    n += 1
                    if with_finish:
                        conn.execute("UPDATE hall_ticket SET state='done', finished_at=now() WHERE id=%s", row,
                                     prepare=True)
    finally:
        out.put(n)


def sql_reference(k: int, centre_id: int, with_finish: bool) -> float:
    import psycopg
    with psycopg.connect(_dsn(), autocommit=True) as conn:  # refill: today's tickets wait again
        conn.execute("UPDATE hall_ticket SET state='waiting', window_id=NULL WHERE centre_id=%s "
                     "AND day >= CURRENT_DATE - 1 AND (state <> 'waiting' OR window_id IS NOT NULL)", [centre_id])
    q = mp.Queue()
    secs = min(SECONDS, 5)
    stop_at = time.time() + secs
    procs = [mp.Process(target=sql_worker, args=(centre_id, stop_at, with_finish, q)) for _ in range(k)]
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
    print(f"world: {n_windows} windows, backlog {BACKLOG} closed tickets of past days, {WAITING} waiting today "
          f"(set up in {time.time() - t0:.0f}s)")
    explain(centre_id)
    from django.db import connections
    connections.close_all()
    env = dict(os.environ, YICHUANG_DEBUG="0", YICHUANG_DB_CONN_MAX_AGE=os.environ.get("YICHUANG_DB_CONN_MAX_AGE",
                                                                                        "600"))
    env.setdefault("YICHUANG_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
    cmd = server_cmd(SERVER, port=PORT, workers=WORKERS, threads=THREADS, worker_class=WORKER_CLASS,
                     granian_extra=os.environ.get("BENCH_GRANIAN_ARGS", "").split(),
                     gunicorn_extra=["--backlog", "2048"])
    server = subprocess.Popen(cmd, env=env)
    stop_vacuum, vq, vac = mp.Event(), mp.Queue(), None
    if VACUUM_NAPTIME > 0 and not autovacuum_is_on():
        print(f"this PostgreSQL runs with autovacuum off: the benchmark stands in for it on hall_ticket (VACUUM when "
              f"more dead rows than the table's threshold, checked every {VACUUM_NAPTIME:g} s; its CPU is counted "
              f"with PostgreSQL's)")
        vac = mp.Process(target=vacuumer, args=(stop_vacuum, vq))
        vac.start()
    results: dict[tuple[str, int], list[dict]] = {(m, k): [] for m in MODES for k in LEVELS}
    try:
        for _ in range(100):
            try:
                c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                c.request("GET", f"/api/v1/hall/centres/{centre_id}/queues")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        print(f"server: {' '.join(cmd[2:])}")
        print(f"{SECONDS:.0f}s per run, {ROUNDS} rounds, a kiosk process issuing up to {ISSUE_RATE:.0f} tickets/s "
              f"through POST /api/v1/hall/tickets meanwhile; modes {', '.join(MODES)} (see the module text)")
        if WARMUP > 0:  # every worker process prepares its statements and fills its caches: not measured
            run_level(max(LEVELS), centre_id, (a, b), windows, server.pid, "next", seconds=WARMUP)
            print(f"warm-up: {WARMUP:g} s of call-next at {max(LEVELS)} windows (not counted)")
        for rnd in range(1, ROUNDS + 1):
            for mode, k in [(m, k) for m in MODES for k in LEVELS]:
                r = run_level(k, centre_id, (a, b), windows, server.pid, mode)
                results[(mode, k)].append(r)
                print(f"  round {rnd} {mode:>5} {k:>3} windows: {r['rate']:7.0f} call-next/s  p50 {r['p50']:6.1f} ms  "
                      f"p99 {r['p99']:6.1f} ms | finish p50 {r['fin_p50']:5.1f} p99 {r['fin_p99']:6.1f} ms | "
                      f"errors {r['errors']} empty {r['empty']} issued {r['issued']} (errors {r['issue_errors']}) "
                      f"| load avg {r['load'][0]:.2f} {r['load'][1]:.2f} {r['load'][2]:.2f} "
                      f"| CPU stolen by the host {r['steal']:.0%}", flush=True)
                print(f"      connections per server worker: {r['split']}; calls over 50 ms by second of the run: "
                      f"{' '.join(map(str, r['late']))}", flush=True)
                calls = max(r["rate"] * SECONDS, 1)
                per = (r["cpu_gunicorn"] + r["cpu_pg"]) / calls
                print(f"      CPU per call ({'call-next + finish' if mode == 'pair' else 'finish-and-call-next'}): server {r['cpu_gunicorn'] / calls * 1000:.2f} ms, PostgreSQL "
                      f"backends {r['cpu_pg'] / calls * 1000:.2f} ms, clients {r['cpu_clients'] / calls * 1000:.2f} ms "
                      f"(kiosk issuing included) -> 2 idle cores would serve about {2 / per:.0f} pairs/s server-side",
                      flush=True)
        twice, lost, called = integrity(centre_id)
        print(f"tickets called: {called}; served twice: {twice} (must be 0); lost: {lost} (must be 0)")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        if vac is not None:
            stop_vacuum.set()
            took = vq.get()
            print(f"VACUUM runs standing in for autovacuum: {len(took)}"
                  + (f" ({min(took):.2f}–{max(took):.2f} s each)" if took else ""))
            vac.join()
    refs = {k: (float("nan"), float("nan")) for k in LEVELS}
    if REFERENCE:
        print("raw SQL claim loop, psycopg, one connection per client process, prepared, autocommit:")
    for k in LEVELS if REFERENCE else ():
        refs[k] = (sql_reference(k, centre_id, False), sql_reference(k, centre_id, True))
        print(f"  {k:>3} clients: claim only {refs[k][0]:7.0f}/s; claim + finish update {refs[k][1]:7.0f}/s "
              f"| load avg {os.getloadavg()[0]:.2f}", flush=True)
    print("summary (best; typical = the median run, of two runs the lower):")
    for mode, k in results:
        rs = sorted(results[(mode, k)], key=lambda r: r["rate"])
        best, typical = rs[-1], rs[len(rs) // 2] if len(rs) % 2 else rs[len(rs) // 2 - 1]
        print(f"  {mode:>5} {k:>3} windows: best {best['rate']:.0f}/s (p50 {best['p50']:.1f} ms, p99 {best['p99']:.1f} ms), "
              f"typical {typical['rate']:.0f}/s (p50 {typical['p50']:.1f} ms, p99 {typical['p99']:.1f} ms)"
              + (f"; best = {best['rate'] / refs[k][0]:.2f} of raw claim-only SQL, "
                 f"{best['rate'] / refs[k][1]:.2f} of raw claim+finish SQL" if REFERENCE else ""))


if __name__ == "__main__":
    mp.set_start_method("fork")
    sys.exit(main())
