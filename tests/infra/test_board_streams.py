"""Board streams hold no request worker (issue 20, item 6): the documented server — granian under ASGI, ONE worker —
keeps 20 display-board streams open and still answers /healthz and the login page at once; a call made through
the API reaches every open board; and a worker killed with SIGKILL is respawned.

On PostgreSQL the boards are woken by LISTEN/NOTIFY; on SQLite they re-read the database every 0.3 s."""

from __future__ import annotations

import os
import signal
import time

import pytest

from tests.hall.hall_world import build_hall
from yichuang.accounts import services as acc
from yichuang.hall import services as hall

from .server import (
    BoardStream,
    database_url,
    documented_server,
    field_keys,
    request,
    timed_get,
)

BOARDS = 20


@pytest.fixture
def world(transactional_db, settings, monkeypatch):
    """A centre with one signed-in window and the clerk's API token, committed (the server reads it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    keys = field_keys()
    monkeypatch.setenv("YICHUANG_FIELD_KEYS", keys)
    w = build_hall()
    hall.clerk_sign_in(window=w["window"], clerk=w["clerk"])
    _, token = acc.token_issue(username="clerk", password="pw-123456789")
    return {**w, "token": token, "keys": keys}


def test_twenty_open_boards_leave_the_api_free_and_a_call_reaches_every_board(world, tmp_path):
    with documented_server(tmp_path, db_url=database_url(tmp_path), keys=world["keys"]) as server:
        boards = [BoardStream(server.port, world["centre"].code).start() for _ in range(BOARDS)]
        for board in boards:
            assert board.opened.wait(20), "a board got no first snapshot"
        assert not [b.error for b in boards if b.error], [b.error for b in boards if b.error]

        # with 20 streams open on the one worker, the rest of the site answers at once
        for path in ("/healthz", "/accounts/login/", f"/hall/kiosk/{world['centre'].code}/"):
            status, took = timed_get(server.port, path)
            print(f"{path} with {BOARDS} boards open: {status} in {took * 1000:.0f} ms")
            assert status == 200 and took < 2.0, (path, status, took)

        status, body = request(server.port, "POST", "/api/v1/hall/tickets",
                               body={"centre_id": world["centre"].pk, "domain_id": world["social"].pk})
        assert status == 201, body
        called_at = time.monotonic()
        status, body = request(server.port, "POST", f"/api/v1/hall/windows/{world['window'].pk}/call-next",
                               token=world["token"])
        assert status == 200, body

        def shows_the_call(payload):
            latest = payload.get("latest") or {}
            return latest.get("number") == "A001" and latest.get("window") == "1"

        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not all(b.first_time_with(shows_the_call) for b in boards):
            time.sleep(0.05)
        delays = [(b.first_time_with(shows_the_call) or float("inf")) - called_at for b in boards]
        print(f"the call reached {BOARDS} boards in {min(delays) * 1000:.0f}–{max(delays) * 1000:.0f} ms")
        assert max(delays) < 2.0, sorted(delays)
        status, took = timed_get(server.port, "/healthz")
        assert status == 200 and took < 2.0
        for board in boards:
            board.stop()


def test_a_killed_worker_is_respawned(world, tmp_path):
    with documented_server(tmp_path, db_url=database_url(tmp_path), keys=world["keys"]) as server:
        [worker] = server.workers()
        os.kill(worker, signal.SIGKILL)
        killed = time.monotonic()
        time.sleep(0.2)
        assert server.proc.poll() is None, "the server exited with its worker"
        took = server.wait_healthy(timeout=30)
        assert server.workers() and server.workers() != [worker]
        status, _ = request(server.port, "GET", "/accounts/login/")
        assert status == 200
        print(f"killed worker respawned: the server answered again {time.monotonic() - killed:.1f} s later")
        assert time.monotonic() - killed < 30, took
