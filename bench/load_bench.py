"""The load a real installation makes, offered at a fixed rate, on PostgreSQL, through the documented server
(prints figures; not a test).

    uv run python bench/load_bench.py                 # the full run (about 8 minutes)
    uv run python bench/load_bench.py --quick         # a smoke run (about 3 minutes)

One application box of 2 cores sized for a large city's peak (issue 20): 25 call-next/s (each window finishes its
ticket half a window-period later, so windows cycle) + 25 tickets/s (the kiosk, POST /api/v1/hall/tickets) +
6 receive+forward pairs/s (POST /api/v1/cases/ then POST /api/v1/cases/{number}/forward) + 10 staff page views/s
(GET of staff pages with a logged-in session) together for --duration (60) seconds, with --boards (50) display
board streams (server-sent events) open the whole time. ``--scale`` multiplies every rate.

Open loop: every request starts on its schedule whatever the answers do, and its latency is counted from the time it
was due (a late answer that delays the next request of the same window counts against that request too), so
coordinated omission is avoided. A call reaches a board when an event of the board stream names its ticket number;
the delivery time is counted from the moment the call-next request was sent.

What it does, in order:

1. DROPS and re-creates the database of YICHUANG_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/yc_bench),
   migrates and loads the demo (``yichuang demo --no-serve``: 7 centres, 87 matters, two weeks of history; a
   minimal centre if the demo fails), adds --centres - 1 (9) centres under the demo's (the city's), --windows
   (200) open general windows spread over them, each with a clerk of every skill signed in and an API token,
   8 receiving clerks with tokens, a matter of the demo's market department for receipts, --preload (3,000) waiting
   tickets through the service and --backlog (200,000) closed tickets of past days (bulk SQL), VACUUM ANALYZE.
   Tickets and board streams are spread over the centres as the windows are (5 boards a centre by default;
   ``--centres 1`` puts every call on all 50 boards).
2. Starts the server as docs/operations.md documents it (the first ``granian``/``gunicorn`` command of the
   fenced block that holds one, with the block's ``export`` lines; host and port replaced) — or BENCH_SERVER_CMD /
   --server-cmd ("{port}" is replaced; a leading granian/gunicorn runs from this interpreter's environment).
3. A warm-up (unmeasured), an idle interval (the background CPU, subtracted below), then each kind alone for
   --solo-seconds at its rate, no boards: call-next only (every window calls once and keeps its ticket), finish
   only, tickets, receipts, page views, and a raw-SQL claim loop (psycopg, prepared, autocommit: one
   ``UPDATE … WHERE id = (SELECT id … FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id`` on ``bench_claim``, a copy of
   hall_ticket with its indexes) at the call-next rate. PostgreSQL's CPU per operation is the CPU of every process
   of the cluster (live processes plus the postmaster's reaped children, from /proc) over the phase, less the idle
   rate, divided by the operations; each is printed as a ratio to the bare claim's.
4. The mix for --duration seconds with the boards: per kind count, p50/p95/p99/max, errors; the server's CPU (its
   process tree, live plus reaped, from /proc) as a share of the two cores; PostgreSQL's; the load generators'.
5. A ramp: the mix × 1.25, 1.5, 1.75, 2, 2.5, 3, … (--ramp) for --ramp-seconds (15) each, boards open, until a
   kind's p99 reaches 200 ms or more than 1 % of its requests fail — or, when ×1 missed, × 0.75, 0.5, 0.25
   (--ramp-down) until one meets it; prints the highest offered rate with every p99 < 200 ms.
6. Tickets served twice or lost: a ticket id returned by two call-nexts; a ticket with more than one "called"
   event; a ticket of today that left the queue without one; a ticket answered 201 that is not in the database.

The load generators are separate processes (one per kind, asyncio; a small keep-alive HTTP/1.1 client of their own,
httpx for the board streams and the log-in); their own CPU and how late they started requests against the schedule
are printed, so a generator that could not keep up is visible. PostgreSQL's CPU is the whole cluster's, so run it on
a quiet machine; next to it the CPU of this database's own backends (polled every 0.2 s: a lower bound that misses
connections living shorter than that) is printed as a check.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import math
import multiprocessing as mp
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yc_bench"
os.environ.setdefault("YICHUANG_DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
os.environ.setdefault("YICHUANG_VAR_DIR", "/tmp/yc_bench_var")
os.environ.setdefault("YICHUANG_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
# A fixed field key of the benchmark's own (its database is thrown away), so that a --reuse run reads the last one's.
os.environ.setdefault("YICHUANG_FIELD_KEYS",
                      "bench:" + base64.b64encode(hashlib.sha512(b"yichuang load bench only").digest()).decode())

PASSWORD = "bench-pass-123"
TARGET_P99 = 0.200  # s
BOARD_TARGET = 1.0  # s
RATES = {"call": 25.0, "ticket": 25.0, "receipt": 6.0, "page": 10.0}
HALL_KINDS = ("call-next", "finish")
CHECKED_KINDS = ("call-next", "finish", "ticket", "receive+forward", "page")
MATTER_CODE = "M-LOADBENCH-1"
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
# Staff pages (user, path); "{case}" is a case of the user's department from the demo's history.
PAGES = [("approver_scj", "/cases/inbox/"), ("clerk", "/hall/console/"), ("approver_scj", "/cases/{case}/"),
         ("clerk", "/cases/receive/"), ("approver_ga", "/cases/inbox/"), ("supervisor", "/supervision/"),
         ("clerk2", "/hall/console/"), ("approver_scj", "/cases/inbox/?state=accepted")]


def dsn(url: str | None = None) -> str:
    return (url or os.environ["YICHUANG_DATABASE_URL"]).replace("postgres://", "postgresql://", 1)


_CONN = {}


def pg():
    """This process's one connection of the benchmark's own (opened before the server takes PostgreSQL's
    connections; retried while the server holds them all)."""
    import psycopg
    conn = _CONN.get(os.getpid())
    if conn is None or conn.closed:
        for attempt in range(20):
            try:
                conn = _CONN[os.getpid()] = psycopg.connect(dsn(), autocommit=True)
                break
            except psycopg.OperationalError:
                if attempt == 19:
                    raise
                time.sleep(0.5)
    return conn


# --------------------------------------------------------------------------------------------------- set-up ---

def recreate_database() -> str:
    import psycopg
    from psycopg import sql

    url = dsn()
    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def _id_number(n: int) -> str:
    from yichuang.core.validators import id_number_check_char
    first17 = f"500101{1950 + n % 50}0{1 + n % 9}1{n % 10}{n % 1000:03d}"
    return first17 + id_number_check_char(first17)


def setup_world(args, out) -> None:
    try:
        _setup_world(args, out)
    except BaseException as exc:  # noqa: BLE001 — tell the parent, which waits for an answer
        import traceback
        traceback.print_exc()
        out.put({"error": repr(exc)})


def _setup_world(args, out) -> None:
    """In a child process: the database, the demo, the bench's windows, clerks, matter and queue."""
    import io

    import django
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    try:
        call_command("demo", no_serve=True, stdout=io.StringIO())
        demo = "the demo"
    except Exception as exc:  # noqa: BLE001 — the code under test is changing: go on with a smaller world
        connection.close()
        recreate_database()
        call_command("migrate", verbosity=0)
        minimal_world()
        demo = f"a minimal centre (the demo failed: {exc!r:.160})"
    t_demo = time.time() - t0
    # Bench users only: a fast hasher while creating them (the server checks tokens, not passwords).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from yichuang.accounts import services as acc
    from yichuang.accounts.models import Centre, Department
    from yichuang.catalog import services as cat
    from yichuang.catalog.models import WindowDomain
    from yichuang.demo import org
    from yichuang.hall import services as hall

    centre = Centre.objects.get(code=org.DEMO_CENTRE_CODE)
    # The city's centres: the demo's and --centres - 1 more under it (codes 500107900001…).
    centres = [centre] + [acc.centre_create(code=f"500107900{k:03d}", name=f"压测便民服务中心{k}", level="town",
                                            parent=centre) for k in range(1, args.centres)]
    domains = list(WindowDomain.objects.exclude(code="issuance").order_by("order", "id"))
    windows = []
    for i in range(args.windows):
        c = centres[i % len(centres)]
        u = acc.user_create(username=f"ybench_w{i}", password=PASSWORD, role="clerk", display_name=f"压测{i}",
                            centre=c)
        hall.skill_set(user=u, domains=domains, level="senior")
        w = hall.window_create(actor=None, centre=c, number=f"B{i + 1}", area="压测区", domains=[])
        hall.clerk_sign_in(window=w, clerk=u)
        _, key = acc.token_issue(username=u.username, password=PASSWORD, label="load bench")
        windows.append((w.pk, key, i % len(centres)))
    dept = Department.objects.get(code=org.department_code("SCJ"))
    cat.matter_save(spec={"department": dept.code, "domain": "enterprise", "matter_type": "licensing",
                          "implementation_code": MATTER_CODE, "name": "压测许可", "legal_limit_days": 20,
                          "promised_limit_days": 10, "form_fields": FORM_FIELDS},
                    situations=SITUATIONS, materials=MATERIALS)
    receivers = []
    for i in range(8):
        acc.user_create(username=f"ybench_rc{i}", password=PASSWORD, role="clerk", display_name=f"收件{i}",
                        centre=centre)
        receivers.append(acc.token_issue(username=f"ybench_rc{i}", password=PASSWORD, label="load bench")[1])
    t1 = time.time()
    for i in range(args.preload):
        hall.ticket_issue(centre=centres[i % len(centres)], domain=domains[i // len(centres) % len(domains)],
                          source="kiosk")
    t_preload = time.time() - t1
    backlog = _backlog(args.backlog, centre.pk)
    from yichuang.cases.models import Case
    case = (Case.objects.filter(department=dept).order_by("-id").values_list("number", flat=True).first()
            if hasattr(Case, "department") else None) or Case.objects.order_by("-id").values_list("number",
                                                                                                 flat=True).first()
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_claim")
        cur.execute("CREATE TABLE bench_claim (LIKE hall_ticket INCLUDING DEFAULTS INCLUDING INDEXES)")
        cur.execute("INSERT INTO bench_claim SELECT * FROM hall_ticket")
        # every waiting copy in one centre, so that the claim loop never runs dry
        cur.execute("UPDATE bench_claim SET centre_id = %s, seq = 10000000 + id, number = 'C' || id "
                    "WHERE state = 'waiting'", [centre.pk])
    connection.close()
    import psycopg
    with psycopg.connect(dsn(), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    out.put({"demo": demo, "centre_id": centre.pk, "centre_code": centre.code, "domains": [d.pk for d in domains],
             "centres": [[c.pk, c.code] for c in centres],
             "windows": windows, "receivers": receivers, "ids": [_id_number(n) for n in range(500)],
             "case": case or "", "backlog": backlog, "t_demo": t_demo, "t_preload": t_preload,
             "t_setup": time.time() - t0})


def minimal_world() -> None:
    """The demo's centre, departments, domains and page users, without matters or history (when the demo fails)."""
    from yichuang.accounts import services as acc
    from yichuang.catalog import services as cat
    from yichuang.demo import org

    _code, name, level, *_rest = next(c for c in org.CENTRES if c[0] == org.DEMO_CENTRE_CODE)
    centre = acc.centre_create(code=org.DEMO_CENTRE_CODE, name=name, level=level)
    depts = {short: acc.department_create(code=org.department_code(short), name=dname, centre=centre)
             for short, dname, _s, _o in org.DEPARTMENTS}
    for i, (dcode, dname, prefix) in enumerate(org.DOMAINS):
        cat.domain_save(code=dcode, name=dname, ticket_prefix=prefix, order=i + 1)
    for username, display, role, dept, post, _c, _id, _ph, superuser in org.USERS:
        if username in {u for u, _p in PAGES}:
            acc.user_create(username=username, password=org.DEMO_PASSWORD, role=role, display_name=display,
                            centre=centre, department=depts.get(dept) if dept else None, post=post,
                            is_superuser=superuser)


def _backlog(n: int, centre_id: int) -> int:
    """n closed tickets of past days, copied from one closed ticket by generate_series (0 if the schema disagrees)."""
    if n <= 0:
        return 0
    import datetime as dt

    from django.db import connection, transaction

    from yichuang.hall.models import Ticket
    try:
        with transaction.atomic():
            tpl = Ticket.objects.filter(centre_id=centre_id).order_by("id").first()
            if tpl is None:
                return 0
            old = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)
            cols = [f.column for f in Ticket._meta.concrete_fields if f.column != "id"]
            fixed = {"day": "%s::date - (g / 900)", "seq": "(g %% 900) + 1", "state": "'done'",
                     "window_id": "NULL", "number": "'Y' || g::text"}
            sel = [fixed.get(c, f"t.{c}") for c in cols]
            with connection.cursor() as cur:
                cur.execute(f"INSERT INTO hall_ticket ({', '.join(cols)}) SELECT {', '.join(sel)} "
                            f"FROM hall_ticket t, generate_series(0, %s) g WHERE t.id = %s",
                            [old.date(), n - 1, tpl.pk])
        return n
    except Exception as exc:  # noqa: BLE001 — a benchmark: go on without the backlog, and say so
        print(f"  (backlog of closed tickets skipped: {exc!r:.200})")
        return 0


# ------------------------------------------------------------------------------------------------ the server ---

def documented_servers() -> tuple[list[tuple[list[str], str]], dict[str, str]]:
    """The server commands (each as argv and as written) and the ``export`` lines of docs/operations.md's first
    fenced block holding a ``granian``/``gunicorn`` command: the application server first, then (when the block
    has a second command) the board-stream server."""
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for block in re.findall(r"```(?:bash|sh)?\n(.*?)```", text, flags=re.DOTALL):
        lines = block.replace("\\\n", " ").splitlines()
        cmds = [ln.split(" #")[0].strip() for ln in lines if re.match(r"\s*(granian|gunicorn)\s", ln)]
        if not cmds:
            continue
        env = {}
        for ln in lines:
            m = re.match(r"\s*export\s+(\w+)=(\S+)", ln)
            if m:
                env[m.group(1)] = m.group(2)
        return [(shlex.split(c), c) for c in cmds], env
    raise SystemExit("docs/operations.md documents no granian or gunicorn command; pass --server-cmd")


def _on_port(argv: list[str], port: int) -> list[str]:
    """A documented command with its host and port replaced by ours, run from this interpreter's environment."""
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a in ("--host", "--port", "-b", "--bind"):
            skip = True
            continue
        if a.startswith(("--host=", "--port=", "--bind=")):
            continue
        out.append(a)
    out += ["--host", "127.0.0.1", "--port", str(port)] if out[0] == "granian" else ["-b", f"127.0.0.1:{port}"]
    return _in_this_env(out)


def _in_this_env(argv: list[str]) -> list[str]:
    """A leading granian/gunicorn run from this interpreter's environment."""
    return [sys.executable, "-m", *argv] if argv and argv[0] in ("granian", "gunicorn") else argv


def server_commands(args) -> tuple[list[tuple[list[str], str, int]], dict[str, str]]:
    """(argv, as written, port) of each server to start — the application server on --port, a board-stream
    server (the documented second command, or --board-server-cmd) on --port + 1 — and the documented exports."""
    given = args.server_cmd or os.environ.get("BENCH_SERVER_CMD")
    if given:
        cmds = [(shlex.split(given.replace("{port}", str(args.port))), given, args.port)]
        if args.board_server_cmd:
            port = args.port + 1
            cmds.append((shlex.split(args.board_server_cmd.replace("{port}", str(port))), args.board_server_cmd, port))
        return [(_in_this_env(argv), shown, port) for argv, shown, port in cmds], {}
    documented, env = documented_servers()
    return [(_on_port(argv, args.port + i), shown, args.port + i) for i, (argv, shown) in enumerate(documented[:2])], env


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    import http.client
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode} before answering")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not answer /healthz within a minute")


# ------------------------------------------------------------------------------------------------------ CPU ---

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _procs() -> dict[int, list[str]]:
    out = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st:
                out[int(name)] = st
    return out


def tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and every descendant alive, plus the children they have reaped (a respawned
    worker's, an exited PostgreSQL backend's)."""
    procs = _procs()
    kids: dict[int, list[int]] = {}
    for pid, st in procs.items():
        kids.setdefault(int(st[1]), []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        st = procs.get(pid)
        if st is None:
            continue
        # fields after the command: state ppid … utime(11) stime(12) cutime(13) cstime(14)
        total += sum(int(x) for x in st[11:15]) / TICK
        todo.extend(kids.get(pid, []))
    return total


def postmaster_pid() -> int:
    import psycopg
    with psycopg.connect(dsn(), autocommit=True) as conn:  # read while the backend lives
        st = _stat(conn.execute("SELECT pg_backend_pid()").fetchone()[0])
    if not st:
        raise SystemExit("PostgreSQL's processes are not visible in /proc (another machine or namespace?)")
    return int(st[1])


class Meter:
    """CPU of the server's process tree, PostgreSQL's cluster and the machine, between two samples."""

    def __init__(self, server_pids: list[int], pg_pid: int):
        self.server_pids, self.pg_pid = server_pids, pg_pid

    def sample(self) -> dict:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return {"t": time.time(), "app": sum(tree_cpu(p) for p in self.server_pids), "pg": tree_cpu(self.pg_pid),
                "machine_busy": (sum(fields[:8]) - fields[3] - fields[4]) / TICK, "steal": fields[7] / TICK
                if len(fields) > 7 else 0.0}

    @staticmethod
    def delta(a: dict, b: dict) -> dict:
        return {k: b[k] - a[k] for k in a}


# --------------------------------------------------------------------------------------- the load generators ---

def _pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * q))]


async def _sleep_until(t: float) -> None:
    d = t - time.time()
    if d > 0:
        await asyncio.sleep(d)


class Resp:
    def __init__(self, status: int, body: bytes):
        self.status_code, self.content = status, body

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)


class RawPool:
    """A small keep-alive HTTP/1.1 client on asyncio streams: about a tenth of httpx's CPU a request, which on a
    2-core machine is taken from the server under test. Up to ``size`` connections; Content-Length or chunked."""

    def __init__(self, port: int, size: int = 64, headers: dict | None = None, timeout: float = 10.0):
        self.port, self.timeout, self.idle = port, timeout, []
        self.sem = asyncio.Semaphore(size)
        self.head = f"Host: 127.0.0.1:{port}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()

    async def aclose(self) -> None:
        for _r, w in self.idle:
            w.close()
        self.idle = []

    async def _exchange(self, conn, data: bytes) -> tuple[Resp, bool]:
        reader, writer = conn
        writer.write(data)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        fields = {}
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            fields[k.strip().lower()] = v.strip().lower()
        keep = fields.get(b"connection") != b"close"
        if b"content-length" in fields:
            body = await reader.readexactly(int(fields[b"content-length"]))
        elif fields.get(b"transfer-encoding") == b"chunked":
            parts = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await reader.readuntil(b"\r\n")
                    break
                parts.append((await reader.readexactly(size + 2))[:-2])
            body = b"".join(parts)
        else:
            body, keep = await reader.read(), False
        return Resp(status, body), keep

    async def request(self, method: str, path: str, *, headers: dict | None = None, json_body=None) -> Resp:
        body = b"" if json_body is None else json.dumps(json_body).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        if json_body is not None:
            extra += "Content-Type: application/json\r\n"
        data = (f"{method} {path} HTTP/1.1\r\n{self.head}{extra}Content-Length: {len(body)}\r\n\r\n").encode() + body
        async with self.sem:
            reused = bool(self.idle)
            conn = self.idle.pop() if reused else await asyncio.open_connection("127.0.0.1", self.port)
            try:
                resp, keep = await asyncio.wait_for(self._exchange(conn, data), self.timeout)
            except asyncio.IncompleteReadError as exc:
                conn[1].close()
                if not (reused and not exc.partial):
                    raise
                # The server closed this idle keep-alive connection as the request went out, before reading it
                # (no byte came back): send it again on a new one, as HTTP clients do.
                conn = await asyncio.open_connection("127.0.0.1", self.port)
                try:
                    resp, keep = await asyncio.wait_for(self._exchange(conn, data), self.timeout)
                except BaseException:
                    conn[1].close()
                    raise
            except BaseException:
                conn[1].close()
                raise
            if keep:
                self.idle.append(conn)
            else:
                conn[1].close()
            return resp

    async def post(self, path: str, *, headers: dict | None = None, json=None) -> Resp:
        return await self.request("POST", path, headers=headers, json_body=json)

    async def get(self, path: str, *, headers: dict | None = None) -> Resp:
        return await self.request("GET", path, headers=headers)


def _client(port: int, n: int, headers: dict | None = None):
    return RawPool(port, n, headers)


def _httpx_client(port: int, n: int, headers: dict | None = None):
    import httpx
    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers or {},
                             limits=httpx.Limits(max_connections=n, max_keepalive_connections=n),
                             timeout=httpx.Timeout(10.0))


class Rec:
    """Latencies (from the time due), errors with a few sample bodies, and how late requests were sent."""

    def __init__(self):
        self.lat: dict[str, list[float]] = {}
        self.err: dict[str, int] = {}
        self.samples: list[str] = []
        self.lag: list[float] = []
        self.extra: dict = {}

    def ok(self, kind: str, due: float) -> None:
        self.lat.setdefault(kind, []).append(time.time() - due)

    def fail(self, kind: str, what) -> None:
        self.err[kind] = self.err.get(kind, 0) + 1
        if len(self.samples) < 6:
            self.samples.append(f"{kind}: {what!s:.240}")

    def result(self) -> dict:
        t = os.times()
        return {"lat": self.lat, "err": self.err, "samples": self.samples, "lag": self.lag,
                "cpu": t.user + t.system, **self.extra}


async def _hall(cfg: dict, rec: Rec) -> None:
    """Each window on its own schedule: call-next every ``period`` s (windows staggered evenly), finish its ticket
    ``period/2`` later. mode "call": each window calls once and keeps its ticket; mode "finish": each window
    finishes the ticket it holds (``held``)."""
    windows, rate, start, end, mode = cfg["windows"], cfg["rate"], cfg["start"], cfg["end"], cfg["mode"]
    held: dict = dict(cfg.get("held", {}))
    calls = []  # (ticket id, number, time sent, time answered)
    period = len(windows) / rate
    clients = {}
    centre_of = {wid: c for wid, _k, c in windows}

    async def window(i: int, wid: int, key: str):
        c = clients[i % len(clients)]
        hdr = {"Authorization": f"Bearer {key}"}
        due = start + period * i / len(windows)
        while due < end:
            if mode in ("cycle", "call"):
                await _sleep_until(due)
                sent = time.time()
                rec.lag.append(sent - due)
                try:
                    r = await c.post(f"/api/v1/hall/windows/{wid}/call-next", headers=hdr)
                    if r.status_code == 200:
                        body = r.json()
                        rec.ok("call-next", due)
                        calls.append((body["id"], body["number"], sent, time.time(), centre_of[wid]))
                        held[wid] = body["id"]
                    else:
                        rec.fail("call-next", f"{r.status_code} {r.text}")
                        if r.status_code == 409:  # the window holds a ticket (an earlier answer timed out)
                            try:
                                held.update(await asyncio.to_thread(open_tickets, [wid]))
                            except Exception as exc:  # noqa: BLE001
                                rec.fail("call-next", f"(its open ticket not found: {exc!r})")
                except Exception as exc:  # noqa: BLE001
                    rec.fail("call-next", repr(exc))
                if mode == "call":
                    return
            fdue = due + (period / 2 if mode == "cycle" else 0)
            tid = held.pop(wid, None)
            if tid is not None:
                await _sleep_until(fdue)
                rec.lag.append(time.time() - fdue)
                try:
                    r = await c.post(f"/api/v1/hall/windows/{wid}/tickets/{tid}/finish", headers=hdr)
                    if r.status_code == 200:
                        rec.ok("finish", fdue)
                    else:
                        rec.fail("finish", f"{r.status_code} {r.text}")
                except Exception as exc:  # noqa: BLE001
                    rec.fail("finish", repr(exc))
            if mode == "finish":
                return
            due += period

    for k in range(4):
        clients[k] = _client(cfg["port"], 64)
    try:
        await asyncio.gather(*(window(i, wid, key) for i, (wid, key, _c) in enumerate(windows)))
    finally:
        for c in clients.values():
            await c.aclose()
    rec.extra.update(calls=calls, held=held)


async def _open_loop(cfg: dict, rec: Rec, one) -> None:
    """Start ``one(client, k, due)`` every 1/rate s from start to end, whatever the answers do."""
    rate, start, end = cfg["rate"], cfg["start"], cfg["end"]
    tasks, k = [], 0
    async with _client(cfg["port"], cfg.get("connections", 64), cfg.get("headers")) as c:
        due = start
        while due < end:
            await _sleep_until(due)
            rec.lag.append(time.time() - due)
            tasks.append(asyncio.create_task(one(c, k, due)))
            k += 1
            due = start + k / rate
        await asyncio.gather(*tasks)


async def _tickets(cfg: dict, rec: Rec) -> None:
    issued = []
    domains, centres = cfg["domains"], cfg["centres"]

    async def one(c, k, due):
        try:
            r = await c.post("/api/v1/hall/tickets", json={
                "centre_id": centres[k % len(centres)][0], "domain_id": domains[k // len(centres) % len(domains)]})
            if r.status_code == 201:
                rec.ok("ticket", due)
                issued.append(r.json()["id"])
            else:
                rec.fail("ticket", f"{r.status_code} {r.text}")
        except Exception as exc:  # noqa: BLE001
            rec.fail("ticket", repr(exc))

    await _open_loop(cfg, rec, one)
    rec.extra["issued"] = issued


async def _receipts(cfg: dict, rec: Rec) -> None:
    keys, ids = cfg["receivers"], cfg["ids"]

    async def one(c, k, due):
        hdr = {"Authorization": f"Bearer {keys[k % len(keys)]}"}
        payload = {"matter_code": MATTER_CODE, "applicant_name": f"申请人{k}", "id_number": ids[k % len(ids)],
                   "contact_phone": "13800138000", "contact_address": "重庆市九龙坡区科城路1号",
                   "answers": {"kind": "first"}, "form_data": {"shop_name": f"小店{k}", "area": 35},
                   "materials": {"app": "provided", "id": "provided", "lease": "provided"}}
        try:
            r = await c.post("/api/v1/cases/", json=payload, headers=hdr)
            if r.status_code != 200:
                rec.fail("receive", f"{r.status_code} {r.text}")
                rec.fail("receive+forward", "receive failed")
                return
            rec.ok("receive", due)
            t1 = time.time()
            r = await c.post(f"/api/v1/cases/{r.json()['number']}/forward", json={"reason": ""}, headers=hdr)
            if r.status_code != 200:
                rec.fail("forward", f"{r.status_code} {r.text}")
                rec.fail("receive+forward", "forward failed")
                return
            rec.ok("forward", t1)
            rec.ok("receive+forward", due)
        except Exception as exc:  # noqa: BLE001
            rec.fail("receive+forward", repr(exc))

    await _open_loop(cfg, rec, one)


async def _pages(cfg: dict, rec: Rec) -> None:
    pages = [({"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}, path)
             for cookies, path in cfg["pages"]]

    async def one(c, k, due):
        hdr, path = pages[k % len(pages)]
        try:
            r = await c.get(path, headers=hdr)
            if r.status_code == 200:
                rec.ok("page", due)
            else:
                rec.fail("page", f"{r.status_code} {path}")
        except Exception as exc:  # noqa: BLE001
            rec.fail("page", repr(exc))

    await _open_loop(cfg, rec, one)


async def _boards(cfg: dict, rec: Rec, ready) -> None:
    """``n`` board streams from before start until end + grace; per stream, the first time each ticket number
    appeared in a call of an event."""
    seen: list[dict[str, float]] = [{} for _ in range(cfg["n"])]
    connected = [0]
    events = [0]
    grace = cfg.get("grace", 3.0)

    def stop_at() -> float:  # the phase's end is known once every stream is connected (see Bench.run)
        v = cfg["end"].value
        return v + grace if v else float("inf")

    import httpx

    def numbers(data: str):
        try:
            d = json.loads(data)
        except ValueError:
            return []
        calls = list(d.get("calls") or []) + ([d["latest"]] if d.get("latest") else [])
        return [c.get("number") for c in calls if isinstance(c, dict) and c.get("number")]

    async def stream(i: int, c):
        first = True
        while time.time() < stop_at():
            try:
                async with c.stream("GET", cfg["paths"][i], timeout=httpx.Timeout(30.0, read=60.0)) as r:
                    if r.status_code != 200:
                        rec.fail("board", f"{r.status_code}")
                        await asyncio.sleep(1)
                        continue
                    if first:
                        connected[0] += 1
                        first = False
                    data = []
                    async for line in r.aiter_lines():
                        now = time.time()
                        if line.startswith("data:"):
                            data.append(line[5:].strip())
                        elif not line and data:
                            events[0] += 1
                            for num in numbers("\n".join(data)):
                                seen[i].setdefault(num, now)
                            data = []
                        if now >= stop_at():
                            return
            except (httpx.HTTPError, OSError) as exc:
                if time.time() < stop_at():
                    rec.fail("board", repr(exc))
                    await asyncio.sleep(0.5)

    async with _httpx_client(cfg["port"], cfg["n"] + 2) as c:
        tasks = [asyncio.create_task(stream(i, c)) for i in range(cfg["n"])]
        deadline = time.time() + 15
        while connected[0] < cfg["n"] and time.time() < deadline:
            await asyncio.sleep(0.05)
        ready.put(connected[0])
        await asyncio.gather(*tasks)
    rec.extra.update(seen=seen, connected=connected[0], events=events[0])


def generator(kind: str, cfg: dict, out, ready=None) -> None:
    rec = Rec()
    try:
        fn = {"hall": _hall, "tickets": _tickets, "receipts": _receipts, "pages": _pages}.get(kind)
        asyncio.run(_boards(cfg, rec, ready) if kind == "boards" else fn(cfg, rec))
    except Exception as exc:  # noqa: BLE001 — report, never hang the phase
        rec.fail(kind, f"generator crashed: {exc!r}")
        if ready is not None:
            ready.put(0)
    out.put((kind, rec.result()))


def claim_loop(cfg: dict, out) -> None:
    """The bare claim, open loop at ``rate`` from start to end, on the copy of hall_ticket."""
    rec = Rec()
    n = 0
    with pg() as conn:
        due, k = cfg["start"], 0
        while due < cfg["end"]:
            d = due - time.time()
            if d > 0:
                time.sleep(d)
            row = conn.execute(
                "UPDATE bench_claim SET state = 'called', called_at = now() WHERE id = (SELECT id FROM bench_claim "
                "WHERE centre_id = %s AND state = 'waiting' ORDER BY priority, queued_at, id "
                "FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING id", [cfg["centre_id"]], prepare=True).fetchone()
            if row:
                rec.ok("claim", due)
                n += 1
            else:
                rec.fail("claim", "queue empty")
            k += 1
            due = cfg["start"] + k / cfg["rate"]
    out.put(("claim", rec.result()))


# ------------------------------------------------------------------------------------------------- phases ---

def autovacuum_is_on() -> bool:
    return pg().execute("SHOW autovacuum").fetchone()[0] == "on"


def vacuumer(stop, out, naptime: float = 5.0) -> None:
    """What autovacuum does for hall_ticket with migration hall.0005's threshold, for a PostgreSQL that runs with
    autovacuum off (this machine's CI configuration): every ``naptime`` s, VACUUM the table when more than its
    threshold of rows are dead, paced by autovacuum's cost delay. Its CPU is counted with PostgreSQL's."""
    import psycopg
    done = []
    with psycopg.connect(dsn(), autocommit=True) as conn:
        threshold = 2000
        delay, limit = conn.execute("SELECT current_setting('autovacuum_vacuum_cost_delay'), "
                                    "current_setting('autovacuum_vacuum_cost_limit')::int").fetchone()
        if delay not in ("-1", "-1ms"):
            conn.execute(f"SET vacuum_cost_delay = '{delay}'")
        if limit > 0:
            conn.execute(f"SET vacuum_cost_limit = {limit}")
        for opt in conn.execute("SELECT reloptions FROM pg_class WHERE relname = 'hall_ticket'").fetchone()[0] or []:
            if opt.startswith("autovacuum_vacuum_threshold="):
                threshold = int(opt.split("=", 1)[1])
        while not stop.wait(naptime):
            dead = conn.execute("SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'hall_ticket'").fetchone()
            if dead and dead[0] > threshold:
                t0 = time.time()
                conn.execute("VACUUM hall_ticket")
                done.append(time.time() - t0)
    out.put(done)


def open_tickets(window_ids: list[int]) -> dict[int, int]:
    """The ticket each bench window holds now (called or being served), from the database."""
    return {w: t for w, t in pg().execute("SELECT window_id, id FROM hall_ticket WHERE window_id = ANY(%s) "
                                          "AND state IN ('called', 'serving')", [window_ids])}


def release_windows(port: int, windows: list[tuple[int, str, int]]) -> int:
    """Finish, unmeasured, what a window still holds (a call whose answer timed out, an interrupted run)."""
    import httpx
    try:
        held = open_tickets([w for w, _k, _c in windows])
    except Exception as exc:  # noqa: BLE001
        print(f"    (could not read the windows' open tickets: {exc!r:.120})")
        return 0
    keys = {w: k for w, k, _c in windows}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
        for wid, tid in held.items():
            c.post(f"/api/v1/hall/windows/{wid}/tickets/{tid}/finish", headers={"Authorization": f"Bearer {keys[wid]}"})
    return len(held)


class DbBackends:
    """CPU of this database's own backends, polled from pg_stat_activity and /proc while a phase runs (a backend
    that lives less than a poll interval is missed: a lower bound, not disturbed by other databases' work)."""

    def __init__(self, conn, interval: float = 0.2):
        import threading
        self.conn, self.interval, self.first, self.last = conn, interval, {}, {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _cpu(self, pid: int) -> float | None:
        st = _stat(pid)
        return sum(int(x) for x in st[11:13]) / TICK if st else None

    def _poll(self, conn, initial: bool) -> None:
        for (pid,) in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                   "AND pid <> pg_backend_pid()"):
            v = self._cpu(pid)
            if v is None:
                continue
            if pid not in self.first:
                self.first[pid] = v if initial else 0.0  # born during the phase: all of its CPU counts
            self.last[pid] = v

    def _run(self) -> None:
        try:
            conn = self.conn
            self._poll(conn, True)
            self.started.set()
            while not self.stop.wait(self.interval):
                self._poll(conn, False)
            self._poll(conn, False)
        except Exception:  # noqa: BLE001 — the figure is then missing, the run goes on
            self.started.set()
            self.last = {}

    def __enter__(self):
        import threading
        self.started = threading.Event()
        self.thread.start()
        self.started.wait(10)
        return self

    def total(self) -> float:
        self.stop.set()
        self.thread.join(10)
        return sum(self.last[p] - self.first[p] for p in self.last)

    def __exit__(self, *exc):
        self.stop.set()


class Bench:
    def __init__(self, args, world, meter: Meter):
        self.args, self.world, self.meter = args, world, meter
        self.held: dict = {}
        self.released = 0
        import psycopg
        self.poll_conn = psycopg.connect(dsn(), autocommit=True)  # the sampler thread's
        self.all_calls: list = []
        self.all_issued: list = []
        self.idle_rate = {"app": 0.0, "pg": 0.0}

    def run(self, name: str, seconds: float, *, mult: float = 1.0, kinds=("hall", "tickets", "receipts", "pages"),
            boards: int = 0, hall_mode: str = "cycle", claim: bool = False) -> dict:
        a, w = self.args, self.world
        q, ready = mp.Queue(), mp.Queue()
        procs = []
        board_end = mp.Value("d", 0.0)  # set once the streams are open and the phase's clock is known
        if boards:
            cfg = {"port": a.board_port, "n": boards, "end": board_end,
                   "paths": [f"/hall/board/{w['centres'][i % len(w['centres'])][1]}/events" for i in range(boards)]}
            procs.append(mp.Process(target=generator, args=("boards", cfg, q, ready)))
            procs[-1].start()
            n_conn = ready.get(timeout=60)
            if n_conn < boards:
                print(f"    ({n_conn} of {boards} board streams connected)", flush=True)
        if "hall" in kinds and hall_mode == "finish":
            self.held = open_tickets([wid for wid, _k, _c in w["windows"]])
        elif "hall" in kinds:
            self.released += release_windows(a.port, w["windows"])
        start = time.time() + 0.8
        end = start + seconds
        board_end.value = end
        rates = {k: v * a.scale * mult for k, v in RATES.items()}
        base = {"port": a.port, "start": start, "end": end}
        specs = {
            "hall": {**base, "windows": w["windows"], "rate": rates["call"], "mode": hall_mode, "held": self.held},
            "tickets": {**base, "rate": rates["ticket"], "centres": w["centres"], "domains": w["domains"]},
            "receipts": {**base, "rate": rates["receipt"], "receivers": w["receivers"], "ids": w["ids"],
                         "connections": 32},
            "pages": {**base, "rate": rates["page"], "pages": w["pages"], "connections": 32},
        }
        if hall_mode == "call":  # every window calls once, at the call-next rate
            specs["hall"]["end"] = start + len(w["windows"]) / rates["call"]
        if hall_mode == "finish":
            specs["hall"]["end"] = start + len(w["windows"]) / rates["call"]
            specs["hall"]["start"] = start
        for k in kinds:
            procs.append(mp.Process(target=generator, args=(k, specs[k], q)))
        if claim:
            procs.append(mp.Process(target=claim_loop, args=({**base, "rate": rates["call"],
                                                              "centre_id": w["centre_id"]}, q)))
        for p in procs[1 if boards else 0:]:
            p.start()
        while time.time() < start:
            time.sleep(0.005)
        own = DbBackends(self.poll_conn).__enter__()
        m0 = self.meter.sample()
        results, m1 = {}, None
        while len(results) < len(procs):
            try:
                kind, res = q.get(timeout=seconds + 30.0)
            except Exception:  # noqa: BLE001 — queue.Empty: never hang the benchmark
                print("    (a load generator did not report; going on)", flush=True)
                break
            results[kind] = res
            if m1 is None and all(k in results for k in kinds) and (not claim or "claim" in results):
                m1 = self.meter.sample()  # the load is over (the boards' streams close a little later)
                own_cpu = own.total()
        if m1 is None:
            m1 = self.meter.sample()
            own_cpu = own.total()
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
        cpu = Meter.delta(m0, m1)
        cpu["pg_own"] = own_cpu
        if "hall" in results:
            self.held = results["hall"].get("held", {})
            self.all_calls += results["hall"].get("calls", [])
        if "tickets" in results:
            self.all_issued += results["tickets"].get("issued", [])
        return {"name": name, "seconds": seconds, "cpu": cpu, "res": results, "rates": rates, "mult": mult,
                "centres": w["centres"]}

    def idle(self, seconds: float) -> None:
        m0 = self.meter.sample()
        time.sleep(seconds)
        d = Meter.delta(m0, self.meter.sample())
        self.idle_rate = {"app": d["app"] / d["t"], "pg": d["pg"] / d["t"]}


def merged(phase: dict) -> tuple[dict[str, list[float]], dict[str, int], list[str], list[float], float]:
    lat: dict[str, list[float]] = {}
    err: dict[str, int] = {}
    samples, lag, gen_cpu = [], [], 0.0
    for res in phase["res"].values():
        for k, v in res["lat"].items():
            lat.setdefault(k, []).extend(v)
        for k, v in res["err"].items():
            err[k] = err.get(k, 0) + v
        samples += res["samples"]
        lag += res["lag"]
        gen_cpu += res["cpu"]
    return lat, err, samples, lag, gen_cpu


def board_delivery(phase: dict) -> dict:
    """For each call of the phase and each connected board: when its number first appeared after the call was
    sent. Returns p50/p99/max of the delivery and the count of (call, board) pairs never seen."""
    boards = phase["res"].get("boards")
    calls = phase["res"].get("hall", {}).get("calls", [])
    if not boards or not calls:
        return {}
    n_centres = len(phase["centres"])
    by_centre: dict[int, list[dict]] = {}
    for i, s in enumerate(boards["seen"]):
        if s:
            by_centre.setdefault(i % n_centres, []).append(s)
    seen = [s for s in boards["seen"] if s]
    delays, missed, pairs = [], 0, 0
    for _tid, number, sent, _answered, centre in calls:
        for s in by_centre.get(centre, []):
            pairs += 1
            t = s.get(number)
            if t is None or t < sent - 1.0:  # not seen, or seen before (a number of another day)
                missed += 1
            else:
                delays.append(max(0.0, t - sent))
    return {"boards": len(seen), "connected": boards.get("connected", 0), "events": boards.get("events", 0),
            "pairs": pairs, "p50": _pct(delays, 0.5), "p99": _pct(delays, 0.99),
            "max": max(delays) if delays else float("nan"), "missed": missed,
            "within": sum(1 for d in delays if d <= BOARD_TARGET)}


def ms(x: float) -> str:
    return "—" if math.isnan(x) else f"{x * 1000:.1f}"


def print_phase(phase: dict, bench: Bench, *, detail: bool = True) -> dict:
    lat, err, samples, lag, gen_cpu = merged(phase)
    cpu, secs = phase["cpu"], phase["cpu"]["t"]
    print(f"  {'kind':<16} {'ok':>6} {'/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>6}")
    worst = {}
    for k in ("call-next", "finish", "ticket", "receive", "forward", "receive+forward", "page", "claim"):
        xs = lat.get(k, [])
        if not xs and not err.get(k):
            continue
        p99 = _pct(xs, 0.99)
        worst[k] = (p99, err.get(k, 0), len(xs))
        print(f"  {k:<16} {len(xs):>6} {len(xs) / phase['seconds']:>7.1f} {ms(_pct(xs, 0.5)):>8} "
              f"{ms(_pct(xs, 0.95)):>8} {ms(p99):>8} {ms(max(xs) if xs else float('nan')):>8} {err.get(k, 0):>6}")
    if err.get("board"):
        print(f"  board stream errors: {err['board']}")
    bd = board_delivery(phase)
    if bd:
        print(f"  boards: {bd['boards']} streams, {bd['events']} events; call -> board (from the call's send): "
              f"p50 {ms(bd['p50'])} ms, p99 {ms(bd['p99'])} ms, max {ms(bd['max'])} ms; "
              f"{bd['within']} of {bd['pairs']} (call, board) pairs within {BOARD_TARGET:g} s, {bd['missed']} never seen")
    app_share = cpu["app"] / (secs * 2)
    print(f"  CPU over {secs:.1f} s: server {cpu['app']:.2f} s = {app_share:.0%} of 2 cores; PostgreSQL "
          f"{cpu['pg']:.2f} s = {cpu['pg'] / (secs * 2):.0%} (this database's backends {cpu['pg_own']:.2f} s); "
          f"load generators {gen_cpu:.2f} s; machine busy "
          f"{cpu['machine_busy'] / (secs * 2):.0%}, stolen {cpu['steal'] / (secs * 2):.0%}; "
          f"load avg {os.getloadavg()[0]:.2f}")
    if detail:
        print(f"  generators' lateness against the schedule: p99 {ms(_pct(lag, 0.99))} ms, max "
              f"{ms(max(lag) if lag else float('nan'))} ms")
    for s in samples[:4]:
        print(f"    e.g. {s}")
    return {"worst": worst, "board": bd, "app_share": app_share}


def passes(summary: dict) -> tuple[bool, str]:
    bad = []
    for k in CHECKED_KINDS:
        if k not in summary["worst"]:
            continue
        p99, errors, n = summary["worst"][k]
        if not (p99 < TARGET_P99) or errors > 0.01 * max(n + errors, 1):
            bad.append(f"{k} p99 {ms(p99)} ms, {errors} errors")
    return not bad, "; ".join(bad)


def print_summary(final: dict, chk: dict, rates: dict, args) -> None:
    s, per_op = final["summary"], final["per_op"]
    print("\n== summary ==")
    print(f"| kind (offered /s) | p99 ms (mix, {args.duration:g} s) | errors | PostgreSQL CPU per op | × bare claim |")
    print("|---|---|---|---|---|")
    offered = {"call-next": rates["call"], "finish": rates["call"], "ticket": rates["ticket"],
               "receive+forward": rates["receipt"], "page": rates["page"]}
    solo = {"call-next": "call-next", "finish": "finish", "ticket": "ticket", "receive+forward": "receive+forward",
            "page": "page"}
    for k in CHECKED_KINDS:
        p99, errors, _n = s["worst"].get(k, (float("nan"), 0, 0))
        op = per_op.get(solo[k], {})
        print(f"| {k} ({offered[k]:g}) | {ms(p99)} | {errors} | {ms(op.get('pg', float('nan')))} ms | "
              f"{op.get('ratio', float('nan')):.1f} |")
    if "raw SQL claim" in per_op:
        print(f"| raw SQL claim ({rates['call']:g}) | | | {ms(per_op['raw SQL claim']['pg'])} ms | 1.0 |")
    bd = s["board"]
    print(f"server CPU {s['app_share']:.0%} of the 2 cores (target ≤ 50 %); call -> board p99 {ms(bd.get('p99', math.nan))} "
          f"ms, max {ms(bd.get('max', math.nan))} ms, {bd.get('missed', '?')} (call, board) pairs never seen "
          f"(target: all within 1 s); served twice {chk['twice_in_answers']}/{chk.get('twice_in_events', '?')}, lost "
          f"{chk.get('left_without_call', '?')}/{chk['issued_missing']}; highest offered rate with every p99 < 200 ms: "
          f"×{final['best'][0]:g} ({final['best'][1]:g} operations offered per s: call-nexts + tickets + "
          f"receive+forward pairs + page views)")


# ---------------------------------------------------------------------------------------------------- checks ---

def integrity(world: dict, bench: Bench) -> dict:
    import psycopg
    ids = [c[0] for c in bench.all_calls]
    out = {"calls": len(ids), "twice_in_answers": len(ids) - len(set(ids)), "issued": len(bench.all_issued)}
    with pg() as conn:
        cid = [c for c, _code in world["centres"]]
        try:
            out["twice_in_events"] = conn.execute(
                "SELECT count(*) FROM (SELECT e.ticket_id FROM hall_ticketevent e JOIN hall_ticket t ON "
                "t.id = e.ticket_id WHERE t.centre_id = ANY(%s) AND e.kind = 'called' GROUP BY e.ticket_id "
                "HAVING count(*) > 1) x", [cid]).fetchone()[0]
            out["left_without_call"] = conn.execute(
                "SELECT count(*) FROM hall_ticket t WHERE t.centre_id = ANY(%s) AND t.day = CURRENT_DATE "
                "AND (t.state <> 'waiting') <> EXISTS (SELECT 1 FROM hall_ticketevent e WHERE e.ticket_id = t.id "
                "AND e.kind = 'called')", [cid]).fetchone()[0]
        except psycopg.Error as exc:
            out["event_check"] = f"skipped: {exc!r:.160}"
        issued = set(bench.all_issued)
        found = {r[0] for r in conn.execute("SELECT id FROM hall_ticket WHERE id = ANY(%s)", [list(issued)])}
        out["issued_missing"] = len(issued - found)
        out["waiting_left"] = conn.execute("SELECT count(*) FROM hall_ticket WHERE centre_id = ANY(%s) AND "
                                           "state = 'waiting'", [cid]).fetchone()[0]
    return out


def login_pages(port: int, case: str) -> list[tuple[dict, str]]:
    """Log the page users in through the login form; their session cookies with the pages they view."""
    import httpx
    sessions, pages = {}, []
    for user, path in PAGES:
        if "{case}" in path:
            if not case:
                continue
            path = path.replace("{case}", case)
        if user not in sessions:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as c:
                r = c.get("/accounts/login/")
                m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', r.text)
                c.post("/accounts/login/", data={"username": user, "password": "yichuang-demo",
                                                 "csrfmiddlewaretoken": m.group(1) if m else ""},
                       headers={"Referer": f"http://127.0.0.1:{port}/accounts/login/"})
                sessions[user] = dict(c.cookies.items())
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30, cookies=sessions[user]) as c:
            r = c.get(path)
        if r.status_code == 200 and "/accounts/login/" not in str(r.url):
            pages.append((sessions[user], path))
        else:
            print(f"  (page {path} as {user} answered {r.status_code}; left out)")
    return pages


# ------------------------------------------------------------------------------------------------------ main ---

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of the mix (60)")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply every rate (1)")
    ap.add_argument("--quick", action="store_true", help="a smoke run: short phases, a small world")
    ap.add_argument("--windows", type=int, default=200)
    ap.add_argument("--boards", type=int, default=50, help="board streams, spread evenly over the centres (50)")
    ap.add_argument("--centres", type=int, default=10, help="the city's centres: windows, tickets and boards are "
                    "spread evenly over them (10; 1 puts every call on every board)")
    ap.add_argument("--preload", type=int, default=3000, help="waiting tickets before the run")
    ap.add_argument("--backlog", type=int, default=200_000, help="closed tickets of past days")
    ap.add_argument("--solo-seconds", type=float, default=10.0)
    ap.add_argument("--ramp-seconds", type=float, default=15.0)
    ap.add_argument("--ramp", default="1.25,1.5,1.75,2,2.5,3,4,5,6,8",
                    help="multiples of the mix to try, in order, after ×1 met the target")
    ap.add_argument("--ramp-down", default="0.75,0.5,0.25", help="… and when it did not")
    ap.add_argument("--no-ramp", action="store_true")
    ap.add_argument("--no-solo", action="store_true")
    ap.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8130")))
    ap.add_argument("--server-cmd", default="", help="instead of the documented server; {port} is replaced "
                    "(or BENCH_SERVER_CMD)")
    ap.add_argument("--board-server-cmd", default="", help="with --server-cmd: a board-stream server on --port + 1 "
                    "({port} is replaced); the board streams go to it")
    ap.add_argument("--server-env", default="", help="K=V … added to the server's environment (or BENCH_SERVER_ENV)")
    ap.add_argument("--server-log", default="/tmp/yc_load_bench_server.log")
    ap.add_argument("--reuse", action="store_true", help="keep the database of the last run (development only)")
    args = ap.parse_args()
    if args.quick:
        args.duration, args.windows, args.boards = min(args.duration, 10.0), min(args.windows, 50), min(args.boards, 10)
        args.preload, args.backlog, args.solo_seconds, args.ramp_seconds = 800, 5_000, 3.0, 4.0
        args.ramp, args.ramp_down = "1.5,2", "0.5"
    if args.windows / (RATES["call"] * args.scale) < 0.5:
        print("(too few windows for this rate: a window would be asked to call more than twice a second)")

    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}")
    saved = Path("/tmp/yc_load_bench_world.json")
    name = dsn().rsplit("/", 1)[1]
    if args.reuse and saved.exists():
        world = json.loads(saved.read_text())
        world["t_demo"] = world["t_preload"] = world["t_setup"] = 0.0
    else:
        recreate_database()
        q = mp.Queue()
        p = mp.Process(target=setup_world, args=(args, q))
        p.start()
        world = q.get()
        p.join()
        if "error" in world:
            print(f"set-up failed: {world['error']}")
            return 1
        saved.write_text(json.dumps(world))
    print(f"database {name}: {world['demo']} loaded in {world['t_demo']:.0f} s; {len(world['windows'])} windows with a signed-in "
          f"clerk and token, {args.preload} waiting tickets (through the service, {world['t_preload']:.0f} s), "
          f"{world['backlog']} closed tickets of past days; set up in {world['t_setup']:.0f} s")

    pg()  # the benchmark's own connection, before the server's
    cmds, docenv = server_commands(args)
    for item in (args.server_env or os.environ.get("BENCH_SERVER_ENV", "")).split():
        k, _, v = item.partition("=")
        docenv[k] = v
    env = dict(os.environ, YICHUANG_DEBUG="0", **docenv)
    args.board_port = cmds[-1][2]  # board streams go to the board-stream server when there is one
    for i, (argv, shown, port) in enumerate(cmds):
        role = "server" if len(cmds) == 1 else ("application server" if i == 0 else "board-stream server")
        print(f"{role}: {shown}" + (f"  (with {' '.join(f'{k}={v}' for k, v in docenv.items())})" if docenv else ""))
        print(f"  run as: {' '.join(argv)}", flush=True)
    stop_vacuum, vq, vac = mp.Event(), mp.Queue(), None
    log = open(args.server_log, "w")  # noqa: SIM115 — open for the servers' whole life
    print(f"  their output: {args.server_log}", flush=True)
    servers = [subprocess.Popen(argv, env=env, cwd=ROOT, start_new_session=True, stdout=log, stderr=subprocess.STDOUT)
               for argv, _shown, _port in cmds]
    try:
        for server, (_argv, _shown, port) in zip(servers, cmds, strict=True):
            wait_healthy(port, server)
        world["pages"] = login_pages(args.port, world["case"])
        if not autovacuum_is_on():
            print("this PostgreSQL runs with autovacuum off: a process stands in for it on hall_ticket (VACUUM when "
                  "more rows are dead than the table's threshold, checked every 5 s; its CPU is PostgreSQL's)")
            vac = mp.Process(target=vacuumer, args=(stop_vacuum, vq))
            vac.start()
        meter = Meter([srv.pid for srv in servers], postmaster_pid())
        bench = Bench(args, world, meter)
        rates = {k: v * args.scale for k, v in RATES.items()}
        print(f"offered: {rates['call']:g} call-next/s (+ as many finishes), {rates['ticket']:g} tickets/s, "
              f"{rates['receipt']:g} receive+forward pairs/s, {rates['page']:g} page views/s over "
              f"{len(world['pages'])} staff pages; {args.boards} board streams", flush=True)

        bench.run("warm-up", 3.0 if args.quick else 8.0, boards=min(args.boards, 5))
        print("warm-up done (not counted)", flush=True)
        bench.idle(3.0)
        print(f"idle: server {bench.idle_rate['app'] * 1000:.1f} ms/s, PostgreSQL {bench.idle_rate['pg'] * 1000:.1f} "
              f"ms/s of CPU (subtracted from the per-operation figures)", flush=True)

        per_op: dict = {}
        if not args.no_solo:
            print(f"\n== each kind alone ({args.solo_seconds:g} s at its rate, no boards): CPU per operation ==")
            solo = [("call-next", {"kinds": ("hall",), "hall_mode": "call"}, "call-next",
                     len(world["windows"]) / rates["call"]),
                    ("finish", {"kinds": ("hall",), "hall_mode": "finish"}, "finish",
                     len(world["windows"]) / rates["call"]),
                    ("call-next+finish", {"kinds": ("hall",)}, "call-next", args.solo_seconds),
                    ("ticket", {"kinds": ("tickets",)}, "ticket", args.solo_seconds),
                    ("receive+forward", {"kinds": ("receipts",)}, "receive+forward", args.solo_seconds),
                    ("page", {"kinds": ("pages",)}, "page", args.solo_seconds),
                    ("raw SQL claim", {"kinds": (), "claim": True}, "claim", args.solo_seconds)]
            for label, kw, kind, secs in solo:
                ph = bench.run(label, secs, **kw)
                lat, err, samples, _lag, _g = merged(ph)
                n = len(lat.get(kind, []))
                wall = ph["cpu"]["t"]
                pg_cpu = max(ph["cpu"]["pg"] - bench.idle_rate["pg"] * wall, 0.0)
                app = max(ph["cpu"]["app"] - bench.idle_rate["app"] * wall, 0.0)
                per_op[label] = {"pg": pg_cpu / n if n else float("nan"), "app": app / n if n else float("nan"),
                                 "own": ph["cpu"]["pg_own"] / n if n else float("nan"), "n": n}
                print(f"  {label:<18} {n:>5} ops (p99 {ms(_pct(lat.get(kind, []), 0.99))} ms, errors "
                      f"{sum(err.values())}): PostgreSQL {ms(per_op[label]['pg'])} ms (its backends for this "
                      f"database {ms(per_op[label]['own'])} ms), server {ms(per_op[label]['app'])} ms of CPU per op",
                      flush=True)
                for smp in samples[:2]:
                    print(f"    e.g. {smp}")
            base = per_op["raw SQL claim"]
            print("\n  PostgreSQL CPU per operation as a multiple of the raw-SQL claim's, measured the same way "
                  f"(whole cluster less its idle rate: {ms(base['pg'])} ms a claim; this database's backends only: "
                  f"{ms(base['own'])} ms). Target: a call-next within 3×.")
            print(f"    {'operation':<18} {'cluster ms':>10} {'ratio':>7} {'own ms':>8} {'ratio':>7}")
            for label in ("call-next", "finish", "call-next+finish", "ticket", "receive+forward", "page"):
                r = per_op[label]
                r["ratio"] = r["pg"] / base["pg"] if base["pg"] > 0 else float("nan")
                r2 = r["own"] / base["own"] if base["own"] > 0 else float("nan")
                print(f"    {label:<18} {ms(r['pg']):>10} {r['ratio']:>6.1f}× {ms(r['own']):>8} {r2:>6.1f}×"
                      + ("   (target ≤ 3×)" if label == "call-next" else ""))
            if any(per_op[k]["own"] < 0.3 * per_op[k]["pg"] for k in ("call-next", "ticket")):
                print("    (the server's connections live shorter than the 0.2 s poll: the 'own' column misses most "
                      "of their CPU; read the cluster column)")

        print(f"\n== the mix for {args.duration:g} s, {args.boards} boards open ==", flush=True)
        main_phase = bench.run("mix", args.duration, boards=args.boards)
        summary = print_phase(main_phase, bench)
        ok, why = passes(summary)
        bd = summary["board"]
        board_ok = (bd["missed"] == 0 and bd["max"] <= BOARD_TARGET) if bd else None
        print(f"  targets: every p99 < 200 ms: {'yes' if ok else 'NO (' + why + ')'}; server ≤ half of the two cores: "
              f"{'yes' if summary['app_share'] <= 0.5 else 'NO'} ({summary['app_share']:.0%}); every call on every "
              f"board within 1 s: {'not measured' if board_ok is None else 'yes' if board_ok else 'NO'}", flush=True)

        best = (1.0, sum(main_phase["rates"].values())) if ok else (0.0, 0.0)
        if not args.no_ramp:
            # Up from ×1 while every kind meets the target; down from it, when ×1 does not, until one does.
            steps = [float(x) for x in (args.ramp if ok else args.ramp_down).split(",") if x]
            print(f"\n== ramp {'up' if ok else 'down'}: the mix × k for {args.ramp_seconds:g} s each, {args.boards} "
                  f"boards open ==", flush=True)
            for k in steps:
                if len(world["windows"]) / (RATES["call"] * args.scale * k) < 0.2:
                    print(f"  ×{k:g}: too few windows for this rate; stopping")
                    break
                ph = bench.run(f"×{k:g}", args.ramp_seconds, mult=k, boards=args.boards)
                offered = sum(ph["rates"].values())
                print(f" ×{k:g}: offered {ph['rates']['call']:g} call-next + {ph['rates']['ticket']:g} tickets + "
                      f"{ph['rates']['receipt']:g} pairs + {ph['rates']['page']:g} pages per s", flush=True)
                s = print_phase(ph, bench, detail=False)
                good, why = passes(s)
                if ok and not good:
                    print(f"  ×{k:g} misses the target: {why}", flush=True)
                    break
                if not ok and good:
                    best = (k, offered)
                    break
                if ok:
                    best = (k, offered)
        print(f"\nhighest offered rate with every p99 < 200 ms: ×{best[0]:g} of the mix "
              f"({best[0] * rates['call']:g} call-next/s + {best[0] * rates['ticket']:g} tickets/s + "
              f"{best[0] * rates['receipt']:g} receive+forward pairs/s + {best[0] * rates['page']:g} page views/s)"
              + ("" if not args.no_ramp else " (no ramp run)"))

        final = {"summary": summary, "best": best, "per_op": per_op, "board_ok": board_ok, "ok": ok}
        chk = integrity(world, bench)
        print(f"\ntickets: {chk['calls']} calls answered, {chk['issued']} tickets issued over HTTP; served twice: "
              f"{chk['twice_in_answers']} in the answers, {chk.get('twice_in_events', '?')} by the 'called' events; "
              f"lost: {chk.get('left_without_call', '?')} left the queue without a call, {chk['issued_missing']} "
              f"issued but missing; {chk['waiting_left']} still waiting" +
              (f" ({chk['event_check']})" if "event_check" in chk else "") +
              (f"; {bench.released} tickets a window still held were finished between phases (unmeasured)"
               if bench.released else ""))
        print_summary(final, chk, rates, args)
    finally:
        if vac is not None:
            stop_vacuum.set()
            try:
                took = vq.get(timeout=120)
                print(f"VACUUM runs standing in for autovacuum: {len(took)}"
                      + (f" ({min(took):.2f}–{max(took):.2f} s each)" if took else ""))
            except Exception as exc:  # noqa: BLE001
                print(f"(the autovacuum stand-in did not report: {exc!r})")
            vac.join(5)
        try:
            log.flush()
            text = Path(args.server_log).read_text(errors="replace")
            n_err = text.count('"level": "ERROR"') + text.count("[ERROR]")
            if n_err:
                print(f"the server logged {n_err} errors (see {args.server_log}); the first: "
                      f"{next((ln for ln in text.splitlines() if 'ERROR' in ln), '')[:300]}")
        except (OSError, NameError):
            pass
        for server in servers:
            try:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(server.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
    return 0


def _terminated(signum, frame):
    raise SystemExit(128 + signum)  # so that main's finally stops the server


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminated)
    mp.set_start_method("fork")
    sys.exit(main())
