"""/healthz, /metrics, PII-free structured logs, `yichuang audit verify`."""

from __future__ import annotations

import io
import json
import logging
import uuid
from unittest import mock

import pytest
import redis
from django.core.management import call_command
from django.core.management.base import CommandError

from yichuang.accounts import services as acc
from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_record
from yichuang.ops import metrics
from yichuang.ops.logging import JsonFormatter, PiiMaskFilter, mask_pii

ID = "11010119800101007X"


@pytest.mark.django_db
def test_healthz_ok(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_database_down(client):
    from django.db.backends.utils import CursorWrapper

    with mock.patch.object(CursorWrapper, "execute", side_effect=RuntimeError("down")):
        r = client.get("/healthz")
    assert r.status_code == 503
    assert r.json() == {"status": "error", "database": "unreachable", "error": "RuntimeError"}


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_metrics_content(client, fast_hasher):
    from tests.hall.hall_world import build_hall
    from yichuang.hall import services as hall

    metrics.reset()
    h = build_hall()
    hall.clerk_sign_in(window=h["window"], clerk=h["clerk"])
    hall.ticket_issue(centre=h["centre"], domain=h["social"])
    hall.ticket_issue(centre=h["centre"], domain=h["business"])
    client.get("/healthz")
    client.get("/no-such-page/")
    body = client.get("/metrics").content.decode()
    assert '# TYPE yichuang_http_requests_total counter' in body
    assert 'yichuang_http_requests_total{method="GET",status="200"}' in body
    assert 'yichuang_http_requests_total{method="GET",status="404"} 1' in body
    assert 'yichuang_hall_waiting_tickets{centre="500107",name="九龙坡区政务服务中心"} 2' in body
    assert "yichuang_cases_overdue 0" in body


@pytest.mark.django_db
def test_metrics_redis_totals_through_one_pool(client, settings, monkeypatch):
    """With Redis, /metrics reports the totals of every process, and requests share one connection pool."""
    url = "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.2).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.YICHUANG_REDIS_URL = url
    key = f"yichuang:test:metrics:{uuid.uuid4().hex}"
    monkeypatch.setattr(metrics, "REDIS_KEY", key)
    other = redis.Redis.from_url(url)
    try:
        other.hincrby(key, "POST:201", 3)  # another server process's requests
        with mock.patch.object(redis.ConnectionPool, "make_connection", autospec=True,
                               side_effect=redis.ConnectionPool.make_connection) as made:
            for _ in range(5):
                assert client.get("/healthz").status_code == 200
            body = client.get("/metrics").content.decode()
        assert made.call_count <= 1, "a new connection per request"
        assert 'yichuang_http_requests_total{method="GET",status="200"} 5.0' in body
        assert 'yichuang_http_requests_total{method="POST",status="201"} 3.0' in body
    finally:
        other.delete(key)


@pytest.mark.django_db
def test_metrics_protected(client, settings, fast_hasher):
    settings.YICHUANG_METRICS_ALLOW = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    centre = acc.centre_create(code="500101", name="中心", level="county")
    acc.user_create(username="sup", password="pw-123456789", role="supervisor", centre=centre)
    acc.user_create(username="clerk", password="pw-123456789", role="clerk", centre=centre)
    _, clerk_key = acc.token_issue(username="clerk", password="pw-123456789")
    _, sup_key = acc.token_issue(username="sup", password="pw-123456789")
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {clerk_key}").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {sup_key}").status_code == 200
    client.login(username="sup", password="pw-123456789")
    assert client.get("/metrics").status_code == 200


def test_mask_pii():
    assert mask_pii(f"申请人 {ID} 电话 13800138000 收件") == "申请人 110***********007X 电话 138****8000 收件"
    # Longer digit runs (timestamps) and 18-digit case numbers without a valid check digit are left alone.
    assert mask_pii("2026112450010100001234") == "2026112450010100001234"
    assert mask_pii("/api/v1/cases/500101202611240001/accept") == "/api/v1/cases/500101202611240001/accept"


def test_log_records_are_masked_json():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PiiMaskFilter())
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("yichuang.test.pii")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("received %s for %s", ID, "13912345678")
        try:
            raise ValueError(f"bad id {ID}")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    lines = [json.loads(x) for x in stream.getvalue().splitlines() if x.startswith("{")]
    text = stream.getvalue()
    assert ID not in text and "13912345678" not in text
    assert lines[0]["message"] == "received 110***********007X for 139****5678"
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "yichuang.test.pii"
    assert "110***********007X" in lines[1]["exception"]


def test_settings_log_config_masks():
    from django.conf import settings

    assert "mask_pii" in settings.LOGGING["handlers"]["console"]["filters"]


@pytest.mark.django_db
def test_security_headers_everywhere(client):
    for path in ("/", "/healthz", "/api/v1/catalog/departments", "/no-such-page/"):
        r = client.get(path)
        assert r["X-Content-Type-Options"] == "nosniff", path
        assert r["Referrer-Policy"] == "same-origin", path
        assert "frame-ancestors 'none'" in r["Content-Security-Policy"], path
        assert r["Permissions-Policy"], path
        assert r["Cross-Origin-Opener-Policy"] == "same-origin", path
    assert client.get("/").headers["X-Frame-Options"] == "DENY"
    assert client.get("/api/v1/catalog/departments")["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_audit_verify_command_catches_hand_edited_row():
    for i in range(5):
        audit_record(actor=None, action="test.event", object_type="t", object_id=str(i), after={"i": i})
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "5 events verified" in out.getvalue()
    AuditEvent.objects.filter(seq=3).update(after={"i": 99})  # a hand edit in the database
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    assert "seq=3" in err.getvalue()
    print(err.getvalue())
