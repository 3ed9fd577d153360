"""Start the documented server (granian under ASGI, bench/servers.py has the command) on a free local port,
against the test's own database, and talk to it with http.client: the helpers of the tests in this folder."""

from __future__ import annotations

import base64
import contextlib
import http.client
import importlib.util
import json
import os
import socket
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bench_servers", ROOT / "bench" / "servers.py")
bench_servers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_servers)

STARTUP_SECONDS = 45  # a worker imports Django and the project (and warms jieba) before it answers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def field_keys() -> str:
    """One field-encryption key for the test process and its servers (ID and phone numbers are encrypted)."""
    return "infra1:" + base64.b64encode(os.urandom(64)).decode()


def database_url(tmp_path: Path) -> str:
    """A URL at which a server process reaches what this test has committed: on PostgreSQL the test database
    itself; on SQLite (an in-memory test database) a copy of it in a file, made now with SQLite's backup API."""
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s.get("USER") or ""
        if s.get("PASSWORD"):
            auth += f":{s['PASSWORD']}"
        return f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    path = tmp_path / "server.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


@dataclass
class Server:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def workers(self) -> list[int]:
        """The PIDs of granian's worker processes (the children of the main process)."""
        out = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    out.append(int(entry))
        return out

    def wait_healthy(self, timeout: float = STARTUP_SECONDS) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited ({self.proc.returncode}):\n{self.log.read_text()[-3000:]}")
            try:
                status, _ = request(self.port, "GET", "/healthz", timeout=2)
                if status == 200:
                    return time.monotonic() - started
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the server did not answer /healthz in {timeout} s:\n{self.log.read_text()[-3000:]}")


def start_server(tmp_path: Path, *, db_url: str, keys: str, workers: int = 1, redis_url: str = "",
                 cache_prefix: str = "", name: str = "server", interface: str = "asgi") -> Server:
    """Start a documented server on a free port, not yet answering: the board-stream server (granian, ASGI,
    respawning workers; it serves every route) or, ``interface="wsgi"``, the application server."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICHUANG_")}
    env.update({"YICHUANG_DATABASE_URL": db_url, "YICHUANG_FIELD_KEYS": keys, "YICHUANG_SECRET_KEY": os.environ["YICHUANG_SECRET_KEY"],
                "YICHUANG_VAR_DIR": str(tmp_path),
                "YICHUANG_LOG_LEVEL": "ERROR", "YICHUANG_REDIS_URL": redis_url, "YICHUANG_JIEBA_WARM": "0",
                "DJANGO_SETTINGS_MODULE": "yichuang.config.settings"})
    if cache_prefix:
        env["YICHUANG_CACHE_PREFIX"] = cache_prefix
    if connection.settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = connection.settings_dict["PASSWORD"]
    log = tmp_path / f"{name}.log"
    cmd = bench_servers.server_cmd("granian" if interface == "asgi" else "granian-wsgi", port=port,
                                   workers=str(workers), threads="2")
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    return Server(port, proc, log)


def stop_server(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.proc.pid, 9)
        server.proc.wait(5)


@contextlib.contextmanager
def documented_servers(tmp_path: Path, count: int, *, interfaces: tuple[str, ...] = (), **options):
    """``count`` documented servers (ASGI, or by ``interfaces``), started together, each answering /healthz;
    stopped at the end."""
    servers = []
    try:
        for i in range(count):
            servers.append(start_server(tmp_path, name=f"server{i + 1}",
                                        interface=interfaces[i] if i < len(interfaces) else "asgi", **options))
        for server in servers:
            server.wait_healthy()
        yield servers
    finally:
        for server in servers:
            stop_server(server)


@contextlib.contextmanager
def documented_server(tmp_path: Path, **options):
    with documented_servers(tmp_path, 1, **options) as (server,):
        yield server


def request(port: int, method: str, path: str, *, body: dict | None = None, token: str = "",
            timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def timed_get(port: int, path: str) -> tuple[int, float]:
    started = time.monotonic()
    status, _ = request(port, "GET", path, timeout=10)
    return status, time.monotonic() - started


@dataclass
class BoardStream:
    """One display board's event stream, read in a thread: every ``event: board`` payload with its arrival."""

    port: int
    centre_code: str
    events: list[tuple[float, dict]] = field(default_factory=list)
    error: BaseException | None = None
    opened: threading.Event = field(default_factory=threading.Event)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> BoardStream:
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        return self

    def _read(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", f"/hall/board/{self.centre_code}/events")
            response = conn.getresponse()
            assert response.status == 200, response.status
            assert response.getheader("Content-Type", "").startswith("text/event-stream")
            event, data = "", ""
            while not self._stop.is_set():
                line = response.fp.readline()
                if not line:
                    return
                line = line.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif line == "" and event == "board":
                    self.events.append((time.monotonic(), json.loads(data)))
                    self.opened.set()
                    event, data = "", ""
        except BaseException as exc:  # noqa: BLE001 — reported by the test
            if not self._stop.is_set():
                self.error = exc
        finally:
            self.opened.set()
            conn.close()

    def first_time_with(self, predicate) -> float | None:
        for at, payload in list(self.events):
            if predicate(payload):
                return at
        return None

    def stop(self):
        self._stop.set()
        # the reading thread is a daemon blocked in a read; closing the socket from here is not needed for the
        # server's sake (the server stops at the end of the test), and the thread ends with the process.
