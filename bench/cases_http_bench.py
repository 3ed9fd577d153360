"""HTTP benchmark of the case flow on PostgreSQL (prints figures; not a test).

    YICHUANG_DATABASE_URL=postgres://postgres@127.0.0.1:5432/yc_bench4 uv run python bench/cases_http_bench.py

EMPTIES the case tables of the configured database (TRUNCATE … CASCADE), builds a centre with BENCH_DEPTS (4)
departments, one matter each (4 checklist items, a situation question, two form fields), BENCH_CLIENTS (16) window
clerks and as many back-office approvers (post A, spread over the departments), one API token each, then starts
the server (granian by default) on BENCH_PORT (8120) and runs two phases of BENCH_SECONDS (20) each with BENCH_CLIENTS
client processes (keep-alive http.client). Each phase's clock starts BENCH_WARM_SECONDS (2) after its clients are
started; until then the receivers already send the phase's requests, uncounted (warm-up).

1. receive + forward: POST /api/v1/cases/ (all required items ticked) then POST /api/v1/cases/{number}/forward;
2. accept + approve: each approver takes the cases of its own department forwarded in phase 1 and POSTs
   /{number}/accept then /{number}/approve. The receiver (a clerk) is never the approver (受审分离); the bench
   also checks once that the receiving clerk is refused.
3. receive + forward in one request (收件并流转): POST /api/v1/cases/ with ``"forward": true``; each answer must
   say ``forwarded``. Skipped with BENCH_COMBINED=0.

Prints per phase: completed pairs per second (overall and per wall-clock second), p50/p99 of each request and
of the pair, errors (any non-200 reply; the first bodies are shown), and the load average.
Environment: BENCH_SERVER (granian, or gunicorn with gthread workers), BENCH_WORKERS (2) and BENCH_THREADS (1)
(granian: blocking threads per worker); YICHUANG_DB_PREPARED=1 turns on server-side
binding and prepared statements (less work in PostgreSQL per statement).
"""

from __future__ import annotations

import collections
import http.client
import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time

from servers import cpu_times, server_cmd, steal_since

os.environ.setdefault("YICHUANG_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yc_bench4")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
os.environ.setdefault("YICHUANG_VAR_DIR", "/tmp/yc_bench4_var")
os.environ.setdefault("YICHUANG_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")

PORT = int(os.environ.get("BENCH_PORT", "8120"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
DEPTS = int(os.environ.get("BENCH_DEPTS", "4"))
SERVER = os.environ.get("BENCH_SERVER", "granian")  # or gunicorn (gthread)
WORKERS = os.environ.get("BENCH_WORKERS", "2")
THREADS = os.environ.get("BENCH_THREADS", "1")
COMBINED = os.environ.get("BENCH_COMBINED", "1") != "0"
# Before each phase's clock starts, the clients are started and (receivers) already send the phase's requests,
# uncounted: both server processes have compiled and prepared that path's statements before it is measured.
WARM_SECONDS = float(os.environ.get("BENCH_WARM_SECONDS", "2"))
PASSWORD = "bench-pass-123"
CENTRE = "990004"

MATERIALS = [
    {"code": "app", "name": "申请书", "necessity": "required"},
    {"code": "id", "name": "身份证明", "necessity": "required"},
    {"code": "lease", "name": "场地使用证明", "necessity": "tolerant"},
    {"code": "photo", "name": "门头照片", "necessity": "optional"},
]
FORM_FIELDS = [
    {"code": "shop_name", "label": "店铺名称", "type": "text", "required": True},
    {"code": "area", "label": "经营面积", "type": "number"},
]
SITUATIONS = [{"code": "kind", "question": "申请类型",
               "options": [{"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"}]}]


def setup_world():
    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from yichuang.accounts import services as acc
    from yichuang.accounts.constants import Post, Role
    from yichuang.accounts.models import ApiToken, Centre, Department, User
    from yichuang.catalog import services as cat
    from yichuang.catalog.models import Matter, WindowDomain

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE cases_case, cases_casesequence RESTART IDENTITY CASCADE")
    centre = Centre.objects.filter(code=CENTRE).first() or acc.centre_create(code=CENTRE, name="压测中心",
                                                                            level="county")
    if not WindowDomain.objects.filter(code="cbench").exists():
        cat.domain_save(code="cbench", name="压测事务", ticket_prefix="B")
    depts, matters = [], []
    for d in range(DEPTS):
        dept = Department.objects.filter(code=f"CBENCH{d}").first() or acc.department_create(
            code=f"CBENCH{d}", name=f"压测部门{d}", centre=centre)
        depts.append(dept)
        code = f"M-CBENCH-{d}"
        if not Matter.objects.filter(implementation_code=code).exists():
            cat.matter_save(spec={"department": dept.code, "domain": "cbench", "matter_type": "licensing",
                                  "implementation_code": code, "name": f"压测许可{d}", "legal_limit_days": 20,
                                  "promised_limit_days": 10, "form_fields": FORM_FIELDS},
                            situations=SITUATIONS, materials=MATERIALS)
        matters.append(code)
    ApiToken.objects.filter(user__username__startswith="cbench").delete()
    clerks, approvers = [], []
    for i in range(CLIENTS):
        for prefix, role, out in (("cbench_clerk", Role.CLERK, clerks), ("cbench_appr", Role.APPROVER, approvers)):
            name = f"{prefix}{i}"
            if not User.objects.filter(username=name).exists():
                kw = {"department": depts[i % DEPTS], "post": Post.A} if role == Role.APPROVER else {}
                acc.user_create(username=name, password=PASSWORD, role=role, display_name=name, centre=centre, **kw)
            _, key = acc.token_issue(username=name, password=PASSWORD, label="bench")
            out.append(key)
    return matters, clerks, approvers


def _id_number(n: int) -> str:
    from yichuang.core.validators import id_number_check_char
    first17 = f"500101{1950 + n % 50}0{1 + n % 9}1{n % 10}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


def _post(conn, path, key, payload):
    body = json.dumps(payload).encode()
    conn.request("POST", path, body=body, headers={"Authorization": f"Bearer {key}",
                                                   "Content-Type": "application/json",
                                                   "Content-Length": str(len(body))})
    r = conn.getresponse()
    return r.status, r.read()


def receiver(idx: int, key: str, matter: str, combined: bool, start_at: float, stop_at: float, out):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    ids = [_id_number(idx * 1000 + k) for k in range(50)]
    lat = {"pair": []} if combined else {"receive": [], "forward": [], "pair": []}
    done_at, numbers, errors, samples = [], [], 0, []
    n = 0
    while time.time() < stop_at:
        warming = time.time() < start_at  # until the phase starts: the same work, not counted (see run_phase)
        n += 1
        payload = {"matter_code": matter, "applicant_name": f"申请人{idx}-{n}", "id_number": ids[n % len(ids)],
                   "contact_phone": "13800138000", "contact_address": "重庆市高新区科园一路1号",
                   "answers": {"kind": "first"}, "form_data": {"shop_name": f"小店{n}", "area": 35},
                   "materials": {"app": "provided", "id": "provided", "lease": "provided"}, "forward": combined}
        t0 = time.perf_counter()
        try:
            status, body = _post(conn, "/api/v1/cases/", key, payload)
            t1 = time.perf_counter()
            if status != 200:
                errors += 1
                samples.append(body[:300])
                continue
            answer = json.loads(body)
            number = answer["number"]
            if combined:  # 收件并流转: one request; it must have come back forwarded
                status, t2 = (200 if answer["state"] == "forwarded" else 599), t1
            else:
                status, body = _post(conn, f"/api/v1/cases/{number}/forward", key, {"reason": ""})
                t2 = time.perf_counter()
        except (OSError, http.client.HTTPException) as exc:
            errors += 1
            samples.append(repr(exc).encode())
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            continue
        if status != 200:
            errors += 1
            samples.append(body[:300])
            continue
        if warming:
            continue
        if not combined:
            lat["receive"].append(t1 - t0)
            lat["forward"].append(t2 - t1)
        lat["pair"].append(t2 - t0)
        done_at.append(time.time())
        numbers.append(number)
    t = os.times()
    out.put((idx, lat, done_at, numbers, errors, samples[:3], t.user + t.system))


def approver(idx: int, key: str, numbers: list[str], start_at: float, stop_at: float, out):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    lat = {"accept": [], "approve": [], "pair": []}
    done_at, errors, samples = [], 0, []
    while time.time() < start_at:
        time.sleep(0.001)
    for number in numbers:
        if time.time() >= stop_at:
            break
        t0 = time.perf_counter()
        try:
            status, body = _post(conn, f"/api/v1/cases/{number}/accept", key, {"reason": ""})
            t1 = time.perf_counter()
            if status != 200:
                errors += 1
                samples.append(body[:300])
                continue
            status, body = _post(conn, f"/api/v1/cases/{number}/approve", key, {"opinion": "符合条件"})
            t2 = time.perf_counter()
        except (OSError, http.client.HTTPException) as exc:
            errors += 1
            samples.append(repr(exc).encode())
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            continue
        if status != 200:
            errors += 1
            samples.append(body[:300])
            continue
        lat["accept"].append(t1 - t0)
        lat["approve"].append(t2 - t1)
        lat["pair"].append(t2 - t0)
        done_at.append(time.time())
    t = os.times()
    out.put((idx, lat, done_at, [], errors, samples[:3], t.user + t.system))


def _pct(xs: list[float], q: float) -> float:
    return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000 if xs else 0.0


TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pids) -> float:
    """CPU seconds (user + system) used so far by these processes (and their finished threads)."""
    total = 0.0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICK
        except (OSError, IndexError, ValueError):
            pass
    return total


def _server_pids(server_pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(server_pid)], capture_output=True, text=True).stdout.split()
    return [server_pid, *map(int, out)]


def _pg_pids() -> list[int]:
    import psycopg
    dsn = os.environ["YICHUANG_DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn) as conn:
        db = conn.info.dbname
        return [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                                           "AND pid <> pg_backend_pid()", [db])]


def run_phase(name: str, target, args_per_client, server_pid: int, requests_per_pair: int = 2):
    q = mp.Queue()
    app_pids = _server_pids(server_pid)
    pg_pids = _pg_pids()  # persistent connections (CONN_MAX_AGE): the same backends serve the whole phase
    app0, pg0 = _proc_cpu(app_pids), _proc_cpu(pg_pids)
    ticks0 = cpu_times()
    start_at = time.time() + WARM_SECONDS
    stop_at = start_at + SECONDS
    procs = [mp.Process(target=target, args=(*a, start_at, stop_at, q)) for a in args_per_client]
    for p in procs:
        p.start()
    results = [q.get() for _ in procs]
    for p in procs:
        p.join()
    load, steal = os.getloadavg()[0], steal_since(ticks0)
    pg_pids = sorted(set(pg_pids) | set(_pg_pids()))
    app_cpu, pg_cpu = _proc_cpu(app_pids) - app0, _proc_cpu(pg_pids) - pg0
    lats: dict[str, list[float]] = collections.defaultdict(list)
    done_at, errors, samples, numbers, client_cpu = [], 0, [], {}, 0.0
    for idx, lat, d, nums, err, smp, cpu in results:
        client_cpu += cpu
        for k, v in lat.items():
            lats[k].extend(v)
        done_at.extend(d)
        numbers[idx] = nums
        errors += err
        samples.extend(smp)
    end = max(done_at) if done_at else stop_at
    elapsed = max(min(stop_at, end) - start_at, 1e-9) if name == "accept+approve" else SECONDS
    n = len(done_at)
    per_sec = collections.Counter(int(t - start_at) for t in done_at)
    series = [per_sec.get(s, 0) for s in range(int(SECONDS))]
    print(f"  {name}: {n} pairs in {elapsed:.1f} s = {n / elapsed:.1f} pairs/s "
          f"({requests_per_pair * n / elapsed:.0f} requests/s); errors {errors}; load {load:.2f}; "
          f"CPU stolen by the host {steal:.0%}")
    print(f"    per second: {' '.join(str(x) for x in series)}")
    for k in lats:
        xs = sorted(lats[k])
        print(f"    {k:8s} p50 {_pct(xs, 0.5):7.1f} ms  p99 {_pct(xs, 0.99):7.1f} ms  (n={len(xs)})")
    if n:
        total = (app_cpu + pg_cpu + client_cpu) / n * 1000
        print(f"    CPU per pair: app (server) {app_cpu / n * 1000:.1f} ms, PostgreSQL {pg_cpu / n * 1000:.1f} ms, "
              f"clients {client_cpu / n * 1000:.1f} ms; total {total:.1f} ms = {1000 / total:.0f} pairs/s per "
              f"fully available core ({os.cpu_count()} cores here, shared)")
    for s in samples[:3]:
        print(f"    error sample: {s.decode(errors='replace')}")
    return numbers


def _warm(key: str):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    for _ in range(5):
        conn.request("GET", "/api/v1/cases/inbox", headers={"Authorization": f"Bearer {key}"})
        conn.getresponse().read()


def warm_up(clerks, approvers):
    """Many parallel keep-alive connections, so that every worker has imported everything and holds its database
    connection before anything is measured."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(_warm, (clerks + approvers) * 2))


def main():
    print(f"uptime before: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")
    t0 = time.time()
    matters, clerks, approvers = setup_world()
    print(f"world: {DEPTS} departments/matters, {CLIENTS} clerks, {CLIENTS} approvers (set up in "
          f"{time.time() - t0:.0f}s)")
    from django.db import connections
    connections.close_all()
    env = dict(os.environ, YICHUANG_DEBUG="0")
    cmd = server_cmd(SERVER, port=PORT, workers=WORKERS, threads=THREADS)
    server = subprocess.Popen(cmd, env=env)
    try:
        for _ in range(150):
            try:
                c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                c.request("GET", "/api/v1/cases/progress?number=x&last4=0000")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        warm_up(clerks, approvers)
        prepared = "on" if os.environ.get("YICHUANG_DB_PREPARED") == "1" else "off"
        print(f"{SERVER} {WORKERS} processes x {THREADS} threads; {CLIENTS} client processes; "
              f"{SECONDS:.0f} s per phase; prepared statements (YICHUANG_DB_PREPARED) {prepared}")
        got = run_phase("receive+forward", receiver,
                        [(i, clerks[i], matters[i % DEPTS], False) for i in range(CLIENTS)], server.pid)
        # 受审分离: the clerk who received a case is refused when trying to accept it.
        number = next((ns[0] for ns in got.values() if ns), None)
        if number:
            c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            owner = next(i for i, ns in got.items() if number in ns)
            status, body = _post(c, f"/api/v1/cases/{number}/accept", clerks[owner], {})
            print(f"  receiver tries to accept {number}: HTTP {status} {json.loads(body).get('message')}")
        # Each department's forwarded cases, shared out among that department's approvers.
        by_dept: dict[int, list[str]] = collections.defaultdict(list)
        for i, ns in got.items():
            by_dept[i % DEPTS].extend(ns)
        work = []
        for i in range(CLIENTS):
            peers = [j for j in range(CLIENTS) if j % DEPTS == i % DEPTS]
            mine = by_dept[i % DEPTS][peers.index(i)::len(peers)]
            work.append((i, approvers[i], mine))
        run_phase("accept+approve", approver, work, server.pid)
        if COMBINED:
            run_phase("receive+forward in one request (收件并流转)", receiver,
                      [(i, clerks[i], matters[i % DEPTS], True) for i in range(CLIENTS)], server.pid,
                      requests_per_pair=1)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"uptime after: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")


if __name__ == "__main__":
    mp.set_start_method("fork")
    sys.exit(main())
