"""`yichuang backup` / `yichuang restore`: restore into a fresh database, compare every table's row count, and
check the audit chain of the restored copy with `yichuang audit verify` (which also catches a hand-edited row)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.cases.conftest import accepted_case, build_world, receive
from yichuang.audit.models import AuditEvent
from yichuang.cases import services as cs
from yichuang.cases.models import Case
from yichuang.hall import services as hall


def _tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if not t.startswith("sqlite_"))


def _counts_here(tables) -> dict[str, int]:
    with connection.cursor() as cur:
        out = {}
        for t in tables:
            cur.execute(f'SELECT COUNT(*) FROM "{t}"')
            out[t] = cur.fetchone()[0]
        return out


def _populate():
    w = build_world()
    for seq in range(1, 4):
        accepted_case(w, seq=seq)
    case = receive(w, seq=9)
    cs.case_forward(case=case, actor=w.clerk)
    window = hall.window_create(actor=None, centre=w.centre, number="9")
    hall.skill_set(user=w.clerk2, domains=[w.matter.domain])
    hall.clerk_sign_in(window=window, clerk=w.clerk2)
    for _ in range(3):
        hall.ticket_issue(centre=w.centre, domain=w.matter.domain)
    hall.ticket_call_next(window=window, clerk=w.clerk2)
    return w


class Fresh:
    """A fresh, empty database of the same kind as the test database, and a way to count its rows."""

    def __init__(self, tmp_path: Path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "fresh.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            import psycopg

            s = connection.settings_dict
            self.name = f"{s['NAME']}_restored"[:63]
            self.admin = dict(host=s.get("HOST") or None, port=s.get("PORT") or None, user=s.get("USER") or None,
                              password=s.get("PASSWORD") or None)
            with psycopg.connect(dbname="postgres", autocommit=True, **self.admin) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                c.execute(f'CREATE DATABASE "{self.name}"')
            auth = s.get("USER") or ""
            if s.get("PASSWORD"):
                auth += f":{s['PASSWORD']}"
            self.url = f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{self.name}"

    def execute(self, sql: str, fetch=True):
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as c:
                rows = c.execute(sql).fetchall() if fetch else c.execute(sql)
                return rows
        import psycopg

        with psycopg.connect(dbname=self.name, autocommit=True, **self.admin) as c:
            cur = c.execute(sql)
            return cur.fetchall() if fetch else None

    def counts(self, tables) -> dict[str, int]:
        return {t: self.execute(f'SELECT COUNT(*) FROM "{t}"')[0][0] for t in tables}

    def drop(self):
        if self.vendor != "sqlite":
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.admin) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _cli(*args, url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICHUANG_")}
    env.update({"YICHUANG_DATABASE_URL": url, "YICHUANG_VAR_DIR": str(tmp_path / "var"), "YICHUANG_LOG_FORMAT": "plain",
                "YICHUANG_SECRET_KEY": os.environ["YICHUANG_SECRET_KEY"], "YICHUANG_FIELD_KEYS": os.environ["YICHUANG_FIELD_KEYS"]})
    return subprocess.run([sys.executable, "-m", "yichuang.cli", *args], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.django_db(transaction=True)
def test_backup_restore_into_fresh_database(tmp_path, settings, capsys):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _populate()
    tables = _tables()
    before = _counts_here(tables)
    assert before["cases_case"] == 4 and before["audit_auditevent"] > 10

    dump = tmp_path / "yichuang.backup"
    call_command("backup", str(dump))
    fresh = Fresh(tmp_path)
    try:
        call_command("restore", str(dump), "--url", fresh.url, "--yes")
        after = fresh.counts(tables)
        assert after == before
        print(f"\nbackup/restore ({connection.vendor}): {len(tables)} tables, {sum(before.values())} rows, "
              f"{dump.stat().st_size} bytes; row counts identical")

        ok = _cli("audit", "verify", url=fresh.url, tmp_path=tmp_path)
        assert ok.returncode == 0, ok.stderr
        assert f"{before['audit_auditevent']} events verified" in ok.stdout
        print(ok.stdout.strip())

        # a hand edit in the restored copy is caught, and the first bad event named
        fresh.execute("UPDATE audit_auditevent SET actor_name = 'mallory' WHERE seq = 7", fetch=False)
        bad = _cli("audit", "verify", url=fresh.url, tmp_path=tmp_path)
        assert bad.returncode == 1
        assert "seq=7" in bad.stderr
        print(bad.stderr.strip())
    finally:
        fresh.drop()


@pytest.mark.django_db(transaction=True)
def test_restore_in_place_brings_back_deleted_rows(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _populate()
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    dump = tmp_path / "b.backup"
    call_command("backup", str(dump))
    Case.objects.filter(state="accepted").delete()
    assert Case.objects.count() == 1
    call_command("restore", str(dump), "--yes")
    assert Case.objects.count() == cases
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_restore_refuses_a_bad_file(tmp_path):
    from django.core.management.base import CommandError

    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup")
    with pytest.raises(CommandError):
        call_command("restore", str(junk), "--yes")
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path / "missing.backup"), "--yes")
