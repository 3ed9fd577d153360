"""A real PostgreSQL streaming replica of the local primary, started by a test on another port: pg_basebackup -R
from the primary into a temporary directory owned by the postgres user, then pg_ctl start as that user (the
test runs as root, as CI does). The primary needs a replication entry in pg_hba.conf for 127.0.0.1."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.db import connection

from .server import free_port


@dataclass
class Replica:
    port: int
    datadir: Path

    def conninfo(self, dbname: str) -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def query(self, dbname: str, sql: str):
        with psycopg.connect(self.conninfo(dbname), autocommit=True) as conn:
            return conn.execute(sql).fetchone()

    def wait_replayed(self, dbname: str, timeout: float = 20) -> float:
        """Until the replica has replayed everything the primary has written so far; returns the lag seen."""
        with connection.cursor() as cur:
            cur.execute("SELECT pg_current_wal_lsn()")
            target = cur.fetchone()[0]
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            try:
                if self.query(dbname, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]:
                    return time.monotonic() - started
            except psycopg.OperationalError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"the replica did not replay {target} in {timeout} s")


def _bindir(major: int) -> Path | None:
    for path in sorted(glob.glob("/usr/lib/postgresql/*/bin")):
        if Path(path).parent.name == str(major) and (Path(path) / "pg_ctl").exists():
            return Path(path)
    return None


def _as_postgres(*args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, check=False)


def why_not() -> str:
    """Why a replica cannot be started here ("" when it can)."""
    if connection.vendor != "postgresql":
        return "a streaming replica is PostgreSQL's"
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return "starting a replica needs root (runuser -u postgres)"
    s = connection.settings_dict
    if (s.get("HOST") or "127.0.0.1") not in {"127.0.0.1", "localhost"}:
        return "the primary is not on this machine"
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version_num')::int / 10000")
        major = cur.fetchone()[0]
    if _bindir(major) is None:
        return f"no PostgreSQL {major} binaries under /usr/lib/postgresql"
    return ""


@contextlib.contextmanager
def streaming_replica():
    s = connection.settings_dict
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('server_version_num')::int / 10000")
        bindir = _bindir(cur.fetchone()[0])
        # a hot standby needs at least the primary's values of these
        cur.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)",
                    [["max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
                      "max_locks_per_transaction"]])
        at_least = "".join(f"{name} = {value}\n" for name, value in cur.fetchall())
    port = free_port()
    datadir = Path(tempfile.mkdtemp(prefix="yc_replica_"))
    shutil.chown(datadir, "postgres", "postgres")
    datadir.chmod(0o700)
    primary = (f"host={s.get('HOST') or '127.0.0.1'} port={s.get('PORT') or 5432} user={s.get('USER') or 'postgres'}"
               + (f" password={s['PASSWORD']}" if s.get("PASSWORD") else ""))
    started = False
    try:
        run = _as_postgres(str(bindir / "pg_basebackup"), "-d", primary, "-D", str(datadir), "-R", "-X", "stream",
                           "-c", "fast", "--no-sync")
        if run.returncode != 0:
            raise AssertionError(
                "pg_basebackup failed (does pg_hba.conf allow replication from 127.0.0.1? e.g. "
                f"'host replication all 127.0.0.1/32 scram-sha-256'):\n{run.stderr}")
        # The Debian layout keeps postgresql.conf and pg_hba.conf outside the data directory: give the copy its own.
        (datadir / "postgresql.conf").write_text(
            f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{datadir}'\n"
            "hot_standby = on\nshared_buffers = 16MB\nfsync = off\nhot_standby_feedback = on\n"
            "logging_collector = off\n" + at_least)
        (datadir / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        for name in ("postmaster.pid", "postmaster.opts"):
            (datadir / name).unlink(missing_ok=True)
        (datadir / "pg_ident.conf").write_text("")
        for path in (datadir / "postgresql.conf", datadir / "pg_hba.conf", datadir / "pg_ident.conf"):
            shutil.chown(path, "postgres", "postgres")
        run = _as_postgres(str(bindir / "pg_ctl"), "-D", str(datadir), "-l", str(datadir / "replica.log"), "-w",
                           "-t", "60", "-o", f"-c port={port} -c listen_addresses=127.0.0.1", "start")
        started = run.returncode == 0
        if not started:
            log = (datadir / "replica.log").read_text() if (datadir / "replica.log").exists() else ""
            raise AssertionError(f"the replica did not start:\n{run.stdout}\n{run.stderr}\n{log[-3000:]}")
        yield Replica(port, datadir)
    finally:
        if started:
            _as_postgres(str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "-w", "stop", timeout=60)
        shutil.rmtree(datadir, ignore_errors=True)
