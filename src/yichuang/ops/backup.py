"""Backup and restore (备份与恢复) of the whole database.

PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot taken in one transaction while the service runs) and
``pg_restore --clean --if-exists --no-owner --single-transaction`` (all or nothing).
SQLite: the ``sqlite3`` online backup API (a consistent page-by-page copy, safe while other processes write), and
the same API back into the database file.

Both directions can target another database than the configured one (``url``), which is how the test restores
into a fresh database and how an operator rehearses a restore.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection, connections

from yichuang.core.errors import ValidationFailed


def _db_settings(url: str | None) -> dict:
    if url:
        return dj_database_url.parse(url)
    return settings.DATABASES["default"] | {"NAME": connection.settings_dict["NAME"]}


def _vendor(db: dict) -> str:
    engine = db["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise ValidationFailed(f"不支持的数据库：{engine}", f"Unsupported database engine {engine}.")


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = os.environ.copy()
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
    if not found:
        raise ValidationFailed(f"找不到 {name}，请安装 PostgreSQL 客户端。", f"{name} not found; install the PostgreSQL "
                               "client tools.")
    return found


def _is_default(url: str | None) -> bool:
    return not url


def backup(*, path: str | Path, url: str | None = None) -> dict:
    """Write a backup of the database to ``path``; return a summary (vendor, bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = _db_settings(url)
    vendor = _vendor(db)
    if vendor == "postgresql":
        args, env = _pg_env(db)
        tmp = path.with_suffix(path.suffix + ".part")
        run = subprocess.run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(tmp), *args],
                             env=env, capture_output=True, text=True)
        if run.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise ValidationFailed(f"pg_dump 失败：{run.stderr.strip()}", f"pg_dump failed: {run.stderr.strip()}")
        tmp.replace(path)
    else:
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            if _is_default(url):
                connection.ensure_connection()
                connection.connection.backup(dest)   # works for the in-memory test database too
            else:
                src = sqlite3.connect(db["NAME"])
                try:
                    src.backup(dest)
                finally:
                    src.close()
            ok = dest.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dest.close()
        if ok != "ok":
            tmp.unlink(missing_ok=True)
            raise ValidationFailed("备份文件校验失败。", f"The backup failed its integrity check: {ok}")
        tmp.replace(path)
    return {"vendor": vendor, "bytes": path.stat().st_size, "path": str(path)}


def restore(*, path: str | Path, url: str | None = None) -> dict:
    """Replace the contents of the database with the backup at ``path`` (all or nothing)."""
    path = Path(path)
    if not path.is_file():
        raise ValidationFailed(f"备份文件不存在：{path}", f"No such backup file: {path}")
    db = _db_settings(url)
    vendor = _vendor(db)
    if vendor == "postgresql":
        args, env = _pg_env(db)
        if _is_default(url):
            connections.close_all()
        run = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                              "--exit-on-error", *args, str(path)], env=env, capture_output=True, text=True)
        if run.returncode != 0:
            raise ValidationFailed(f"pg_restore 失败：{run.stderr.strip()}", f"pg_restore failed: {run.stderr.strip()}")
    else:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise ValidationFailed("这不是 SQLite 备份文件。", "This is not an SQLite backup file.")
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if _is_default(url):
                connection.ensure_connection()
                src.backup(connection.connection)
            else:
                dest = sqlite3.connect(db["NAME"])
                try:
                    src.backup(dest)
                finally:
                    dest.close()
        finally:
            src.close()
    return {"vendor": vendor, "path": str(path)}
