"""Two servers behind one address share nothing but PostgreSQL and Redis (issue 20, item 7): two documented
servers on two ports — the application server (WSGI) and the board-stream server (ASGI), as docs/operations.md
runs them —, on one database and one Redis (a key prefix of this test's own). A call made through
server 1's API reaches a board open on server 2 within 1 s; a token that server 2 has looked up (and cached) and
that is then revoked is refused by server 2 at once."""

from __future__ import annotations

import os
import time
import uuid

import pytest
import redis
from django.db import connection

from tests.hall.hall_world import build_hall
from yichuang.accounts import services as acc
from yichuang.accounts.models import ApiToken
from yichuang.hall import services as hall

from .server import BoardStream, database_url, documented_servers, field_keys, request

pytestmark = [pytest.mark.postgres]

REDIS_URL = os.environ.get("YICHUANG_REDIS_URL") or "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.django_db(transaction=True)
def test_a_call_and_a_revocation_on_one_server_reach_the_other(tmp_path, settings, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("several servers share a PostgreSQL database")
    if not _redis_up():
        pytest.skip(f"no Redis at {REDIS_URL}")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    keys = field_keys()
    monkeypatch.setenv("YICHUANG_FIELD_KEYS", keys)
    prefix = f"yc-infra-{uuid.uuid4().hex[:8]}"
    w = build_hall()
    hall.clerk_sign_in(window=w["window"], clerk=w["clerk"])
    _, token = acc.token_issue(username="clerk", password="pw-123456789")
    try:
        _two_servers(tmp_path, settings, w, token, keys, prefix)
    finally:  # leave nothing of this test in the shared Redis
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def _two_servers(tmp_path, settings, w, token, keys, prefix):
    code = w["centre"].code
    # as docs/operations.md runs them: the application server (WSGI) and the board-stream server (ASGI)
    with documented_servers(tmp_path, 2, interfaces=("wsgi", "asgi"), db_url=database_url(tmp_path), keys=keys,
                            redis_url=REDIS_URL, cache_prefix=prefix) as (one, two):
        # (a) a board on server 2, a call through server 1
        board = BoardStream(two.port, code).start()
        assert board.opened.wait(20) and board.error is None, board.error
        status, body = request(one.port, "POST", "/api/v1/hall/tickets",
                               body={"centre_id": w["centre"].pk, "domain_id": w["social"].pk})
        assert status == 201, body
        called_at = time.monotonic()
        status, body = request(one.port, "POST", f"/api/v1/hall/windows/{w['window'].pk}/call-next", token=token)
        assert status == 200, body

        def shows_the_call(payload):
            latest = payload.get("latest") or {}
            return latest.get("number") == "A001" and latest.get("window") == "1"

        while time.monotonic() - called_at < 3 and board.first_time_with(shows_the_call) is None:
            time.sleep(0.02)
        reached = board.first_time_with(shows_the_call)
        assert reached is not None and reached - called_at < 1.0, (reached and reached - called_at, board.events)
        board.stop()

        # (b) server 2 looks the token up (and caches it in the shared Redis) ...
        stats = f"/api/v1/hall/centres/{code}/stats"
        assert request(two.port, "GET", stats, token=token)[0] == 200
        assert request(two.port, "GET", stats, token=token)[0] == 200  # from the cache now
        # ... the token is revoked (the service, on this process's view of the same Redis) ...
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}
        acc.token_revoke(actor=w["clerk"], token=ApiToken.objects.get(user=w["clerk"]))
        # ... and both servers refuse it at once
        assert request(two.port, "GET", stats, token=token)[0] == 401
        assert request(one.port, "GET", stats, token=token)[0] == 401
