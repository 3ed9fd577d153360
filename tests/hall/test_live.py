import asyncio
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from yichuang.hall import live


def _publish_later(centre_id: int, delay: float) -> threading.Thread:
    def publisher():
        time.sleep(delay)
        with transaction.atomic():
            live.publish(centre_id, {"kind": "called", "number": "A001", "window": "1"})
        connection.close()

    t = threading.Thread(target=publisher)
    t.start()
    return t


@pytest.mark.django_db(transaction=True)
def test_notify_reaches_a_listener_on_another_connection(settings):
    """Two streams of one centre share the process's listener; a notification wakes both, and the listening
    connection closes when the last stream leaves."""
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    settings.YICHUANG_REDIS_URL = ""

    async def scenario():
        a, b = await live.subscribe(42), await live.subscribe(42)
        other = await live.subscribe(43)
        assert a.live and b.live and other.live
        started = time.monotonic()
        t = _publish_later(42, 0.3)
        try:
            woke = await asyncio.gather(a.wait(5), b.wait(5))
            after = time.monotonic() - started
            assert not await other.wait(0.2)  # another centre's board is not woken
        finally:
            await asyncio.to_thread(t.join)
            for sub in (a, b, other):
                await sub.aclose()
        hub = live._HUBS[asyncio.get_running_loop()]
        return woke, after, hub.task

    woke, after, task = async_to_sync(scenario)()
    assert woke == [True, True] and 0.25 < after < 1.3, (woke, after)
    assert task is None  # no stream left: no listening connection


def test_without_a_listener_the_stream_polls(monkeypatch):
    monkeypatch.setattr(live, "backend", lambda: "poll")  # SQLite

    async def scenario():
        sub = await live.subscribe(7)
        started = time.monotonic()
        woke = await sub.wait(0.1)
        await sub.aclose()
        return sub.live, woke, time.monotonic() - started

    live_, woke, waited = async_to_sync(scenario)()
    assert live_ is False and woke is False and waited >= 0.09


@pytest.mark.django_db(transaction=True)
def test_under_wsgi_the_board_stream_is_a_polling_iterator(client):
    """runserver and other WSGI servers cannot stream an async iterator: the view falls back to polling."""
    from yichuang.accounts.services import centre_create

    centre_create(code="500199", name="测试中心", level="county")
    response = client.get("/hall/board/500199/events")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    chunks = iter(response.streaming_content)
    assert next(chunks) == b"retry: 1000\n\n"
    assert next(chunks).startswith(b"event: board\ndata: ")
    response.close()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_announces_nothing_and_a_call_costs_no_transaction_of_its_own(settings):
    """The board's notification is part of the writing transaction (PostgreSQL delivers it at commit): a write
    that rolls back wakes no board, and no statement follows the commit."""
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    settings.YICHUANG_REDIS_URL = ""

    def rolled_back():
        time.sleep(0.3)
        try:
            with transaction.atomic():
                live.publish(44, {"kind": "called", "number": "A001", "window": "1"})
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        connection.close()

    async def scenario():
        sub = await live.subscribe(44)
        t = threading.Thread(target=rolled_back)
        t.start()
        try:
            return await sub.wait(1.5)
        finally:
            await asyncio.to_thread(t.join)
            await sub.aclose()

    assert async_to_sync(scenario)() is False
    with CaptureQueriesContext(connection) as q:
        with transaction.atomic():
            live.publish(44, {"kind": "called", "number": "A002", "window": "1"})
    assert [x["sql"] for x in q.captured_queries][-1] == "COMMIT"
