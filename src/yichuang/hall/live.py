"""Live fan-out of hall events to display boards in any server process.

Writers publish after commit: on PostgreSQL with ``pg_notify('hall_<centre>', …)``; with Redis configured
(``YICHUANG_REDIS_URL``) also on a pub/sub channel. Board streams wait on PostgreSQL LISTEN (or Redis) between
reads, so a call reaches the board within milliseconds; on SQLite they simply re-read the database every poll
interval. The database stays the source of truth: a missed notification only delays an update by one poll.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from django.conf import settings
from django.db import connection, transaction

log = logging.getLogger(__name__)
_local = threading.local()


def channel(centre_id: int) -> str:
    return f"hall_{int(centre_id)}"


def publish(centre_id: int, payload: dict, *, postgres: bool = True) -> None:
    """Announce a hall event once the surrounding transaction has committed.

    ``postgres=False`` when the writing statement sent its own ``pg_notify`` (the claim statements do)."""
    if not postgres and not settings.YICHUANG_REDIS_URL:
        return

    def send():
        body = json.dumps(payload, ensure_ascii=False, default=str)
        try:
            if postgres and connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_notify(%s, %s)", [channel(centre_id), body])
            if settings.YICHUANG_REDIS_URL:
                _redis().publish(channel(centre_id), body)
        except Exception:  # noqa: BLE001 — a lost notification only delays the board by one poll
            log.warning("hall live publish failed", exc_info=True)

    transaction.on_commit(send)


def _redis():
    """One Redis client (and its connection pool) per process and address, not one per event."""
    url = settings.YICHUANG_REDIS_URL
    client = _REDIS.get(url)
    if client is None:
        import redis

        client = _REDIS[url] = redis.Redis.from_url(url)
    return client


_REDIS: dict = {}


def _pg_listener(centre_id: int):
    conn = getattr(_local, "pg", None)
    if conn is None or conn.closed:
        import psycopg

        db = connection.settings_dict
        conn = psycopg.connect(host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
                               password=db.get("PASSWORD") or None, dbname=db["NAME"], autocommit=True)
        _local.pg = conn
        _local.listening = set()
    if centre_id not in _local.listening:
        conn.execute(f"LISTEN {channel(centre_id)}")
        _local.listening.add(centre_id)
    return conn


def wait_for_change(centre_id: int, *, timeout: float) -> None:
    """Block until a notification for the centre arrives or ``timeout`` passes."""
    if connection.vendor != "postgresql":
        time.sleep(timeout)
        return
    try:
        conn = _pg_listener(centre_id)
        for _ in conn.notifies(timeout=timeout, stop_after=1):
            break
    except Exception:  # noqa: BLE001
        log.warning("hall LISTEN failed; falling back to polling", exc_info=True)
        time.sleep(timeout)


def close_listener() -> None:
    """Close this thread's LISTEN connection (tests, worker shutdown)."""
    conn = getattr(_local, "pg", None)
    if conn is not None and not conn.closed:
        conn.close()
    _local.pg = None
    _local.listening = set()
