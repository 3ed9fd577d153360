"""Live fan-out of hall events to display boards in any server process.

Writers publish with their commit: on PostgreSQL with ``pg_notify('hall_<centre>', …)`` inside the writing
transaction (delivered at commit); with Redis configured (``YICHUANG_REDIS_URL``) also on a pub/sub channel after
the commit. Board streams are asynchronous (served under ASGI) and wait for
a change without holding a request worker: each server process keeps ONE listening connection per event loop —
Redis pub/sub (``redis.asyncio``, a pattern subscription to every centre) when Redis is configured, otherwise
PostgreSQL ``LISTEN`` (psycopg's ``AsyncConnection``) — and wakes the streams of the centre a notification names.
On SQLite (one machine, one process) streams re-read the database every poll interval instead. The database stays
the source of truth: a missed notification only delays an update until the stream's next re-read.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

import psycopg
import redis
import redis.asyncio as aioredis
from django.conf import settings
from django.db import close_old_connections, connection, transaction

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "hall_"
# A PostgreSQL listener looks for centres it has not LISTENed to yet at least this often (seconds): psycopg's
# notifies() holds the connection, so a new board waits at most this long before its LISTEN is in place.
LISTEN_SLICE_SECONDS = 0.25
# After a failed listening connection, wait this long before connecting again (streams re-read meanwhile).
RECONNECT_SECONDS = 1.0


def channel(centre_id: int) -> str:
    return f"{CHANNEL_PREFIX}{int(centre_id)}"


def _centre_of(channel_name: str) -> int | None:
    try:
        return int(channel_name.rsplit("_", 1)[1])
    except (IndexError, ValueError):
        return None


def publish(centre_id: int, payload: dict) -> None:
    """Announce a hall event once the surrounding transaction has committed.

    On PostgreSQL the ``pg_notify`` is sent at once, inside the writer's transaction: PostgreSQL delivers it at
    commit (and drops it on rollback), so it costs no transaction of its own. Redis, which knows nothing of the
    transaction, is told after the commit."""
    body = json.dumps(payload, ensure_ascii=False, default=str)
    if connection.vendor == "postgresql":  # part of the write: it fails only as the transaction would
        with connection.cursor() as cur:
            cur.execute("SELECT pg_notify(%s, %s)", [channel(centre_id), body])
    if settings.YICHUANG_REDIS_URL:
        def send():
            try:
                _redis().publish(channel(centre_id), body)
            except Exception:  # as above
                log.warning("hall live publish failed", exc_info=True)

        transaction.on_commit(send)


def _redis() -> redis.Redis:
    """One Redis client (and its connection pool) per process and address, not one per event."""
    url = settings.YICHUANG_REDIS_URL
    client = _REDIS.get(url)
    if client is None:
        client = _REDIS[url] = redis.Redis.from_url(url)
    return client


_REDIS: dict[str, redis.Redis] = {}


def backend() -> str:
    """How board streams learn of a change: ``redis``, ``postgresql`` (LISTEN) or ``poll`` (SQLite)."""
    if settings.YICHUANG_REDIS_URL:
        return "redis"
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return "postgresql"
    return "poll"


class Subscription:
    """One board stream's interest in one centre. ``live`` is False when nothing will wake it (polling)."""

    def __init__(self, hub: _Hub | None, centre_id: int):
        self._hub = hub
        self.centre_id = centre_id
        self.event = asyncio.Event()
        self.live = False
        self.since = time.monotonic()  # when the stream last began to wait

    @property
    def shared(self) -> bool:
        """Whether ``read`` shares one database read among the process's streams of the centre."""
        return self._hub is not None

    async def read(self, fetch):
        """``fetch()`` (synchronous, it reads the database) as of no earlier than this stream's last wait and the
        centre's last notification: one read serves every stream of the centre in this process, made in the
        listener's own thread (one database connection for every board of the process)."""
        return await self._hub.read(self, fetch)

    async def wait(self, timeout: float) -> bool:
        """Until a notification for the centre arrives (True) or ``timeout`` passes (False)."""
        self.since = time.monotonic()
        if self._hub is None or not self.live:
            await asyncio.sleep(timeout)
            return False
        try:
            await asyncio.wait_for(self.event.wait(), timeout)
        except TimeoutError:
            return False
        self.event.clear()
        return True

    async def aclose(self) -> None:
        if self._hub is not None:
            hub, self._hub = self._hub, None
            await hub.unsubscribe(self)


class _Hub:
    """The listening connection of one event loop, shared by every stream that loop serves; it runs while at
    least one stream is subscribed."""

    def __init__(self, kind: str):
        self.kind = kind
        self.subs: dict[int, set[Subscription]] = {}
        self.listening: set[int] = set()  # PostgreSQL: centres LISTENed to on the current connection
        self.all_centres = False  # Redis: the pattern subscription is in place
        self.ready: list[tuple[int, asyncio.Future]] = []
        self.task: asyncio.Task | None = None
        self.notified_at: dict[int, float] = {}
        self.reads: dict[int, _SharedRead] = {}
        self.executor: ThreadPoolExecutor | None = None

    async def read(self, sub: Subscription, fetch):
        shared = self.reads.setdefault(sub.centre_id, _SharedRead())
        async with shared.lock:
            wanted = max(sub.since, self.notified_at.get(sub.centre_id, 0.0))
            if shared.started is None or shared.started < wanted:
                if self.executor is None:
                    self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hall-board-reads")
                started = time.monotonic()
                shared.value = await asyncio.get_running_loop().run_in_executor(self.executor, _fresh, fetch)
                shared.started = started
            return shared.value

    def _is_listening(self, centre_id: int) -> bool:
        return self.all_centres or centre_id in self.listening

    async def subscribe(self, centre_id: int, *, ready_timeout: float = 5.0) -> Subscription:
        sub = Subscription(self, centre_id)
        self.subs.setdefault(centre_id, set()).add(sub)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run(), name=f"hall-live-{self.kind}")
        if not self._is_listening(centre_id):
            fut = asyncio.get_running_loop().create_future()
            self.ready.append((centre_id, fut))
            try:
                await asyncio.wait_for(asyncio.shield(fut), ready_timeout)
            except TimeoutError:
                log.warning("hall live: no %s listener after %.0f s; the board re-reads instead", self.kind,
                            ready_timeout)
        sub.live = self._is_listening(centre_id)
        return sub

    async def unsubscribe(self, sub: Subscription) -> None:
        subs = self.subs.get(sub.centre_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self.subs[sub.centre_id]
                self.reads.pop(sub.centre_id, None)
                self.notified_at.pop(sub.centre_id, None)
        if not self.subs and self.executor is not None:  # the last stream went away: close the reading thread
            executor, self.executor = self.executor, None
            await asyncio.get_running_loop().run_in_executor(executor, _close_connection)
            executor.shutdown(wait=False)
        if not self.subs and self.task is not None:  # ... and the listening connection
            task, self.task = self.task, None
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
            except Exception:  # the listener had failed (and said so); its connection is gone anyway
                log.debug("hall live listener ended with an error", exc_info=True)

    def _wake(self, channel_name: str) -> None:
        centre_id = _centre_of(channel_name)
        if centre_id in self.subs:
            self.notified_at[centre_id] = time.monotonic()
            for sub in self.subs[centre_id]:
                sub.event.set()

    def _wake_all(self) -> None:
        now = time.monotonic()
        for centre_id, subs in self.subs.items():
            self.notified_at[centre_id] = now
            for sub in subs:
                sub.event.set()

    def _settle_ready(self, *, failed: bool = False) -> None:
        keep = []
        for centre_id, fut in self.ready:
            if fut.done():
                continue
            if failed or self._is_listening(centre_id):
                fut.set_result(None)
            else:
                keep.append((centre_id, fut))
        self.ready = keep

    async def _run(self) -> None:
        while True:
            try:
                if self.kind == "redis":
                    await self._run_redis()
                else:
                    await self._run_postgresql()
            except asyncio.CancelledError:
                raise
            except Exception:  # the streams re-read on their timeout meanwhile
                log.warning("hall live %s listener failed; reconnecting", self.kind, exc_info=True)
            finally:
                self.listening.clear()
                self.all_centres = False
            self._settle_ready(failed=True)
            self._wake_all()  # something may have been missed: every stream re-reads
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _run_postgresql(self) -> None:
        db = settings.DATABASES["default"]
        conn = await psycopg.AsyncConnection.connect(
            host=db.get("HOST") or None, port=db.get("PORT") or None, user=db.get("USER") or None,
            password=db.get("PASSWORD") or None, dbname=db["NAME"], autocommit=True)
        try:
            while True:
                for centre_id in [c for c in self.subs if c not in self.listening]:
                    await conn.execute(f"LISTEN {channel(centre_id)}")
                    self.listening.add(centre_id)
                self._settle_ready()
                async for note in conn.notifies(timeout=LISTEN_SLICE_SECONDS):
                    self._wake(note.channel)
        finally:
            await conn.close()

    async def _run_redis(self) -> None:
        client = aioredis.Redis.from_url(settings.YICHUANG_REDIS_URL)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.psubscribe(f"{CHANNEL_PREFIX}*")
            self.all_centres = True
            self._settle_ready()
            while True:
                message = await pubsub.get_message(timeout=None)
                if message is not None:
                    name = message["channel"]
                    self._wake(name.decode() if isinstance(name, bytes) else name)
        finally:
            await pubsub.aclose()
            await client.aclose()


class _SharedRead:
    def __init__(self):
        self.lock = asyncio.Lock()
        self.started: float | None = None
        self.value = None


def _fresh(fetch):
    """Run in the listener's reading thread: Django's connection rules there as around a request (an expired
    or broken connection is replaced first)."""
    close_old_connections()
    return fetch()


def _close_connection():
    connection.close()  # looked up in the reading thread: that thread's connection


_HUBS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Hub] = weakref.WeakKeyDictionary()


async def subscribe(centre_id: int) -> Subscription:
    """Start listening for the centre's events (returns once the listener is in place, so no event between this
    call and the stream's first read is missed). Close with ``await sub.aclose()``."""
    kind = backend()
    if kind == "poll":
        return Subscription(None, centre_id)
    loop = asyncio.get_running_loop()
    hub = _HUBS.get(loop)
    if hub is None or hub.kind != kind:
        hub = _HUBS[loop] = _Hub(kind)
    return await hub.subscribe(centre_id)
