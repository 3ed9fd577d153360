"""The login lockout counts before it tries (finding 11): of 25 simultaneous wrong passwords at most the limit are
tried; an address is limited across user names; the client address comes from X-Forwarded-For only via a trusted
proxy (finding 17)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.test import RequestFactory

from tests.threads import run_in_threads
from yichuang.accounts import lockout
from yichuang.accounts import services as acc
from yichuang.core.errors import DomainError
from yichuang.core.net import client_ip

N = 25


def _user(settings, name="clerk"):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    centre = acc.centre_create(code="500101", name="中心", level="county")
    return acc.user_create(username=name, password="Right-pass-1234", role="clerk", centre=centre)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_25_concurrent_wrong_passwords_try_at_most_the_limit(settings, monkeypatch):
    _user(settings)
    tried, lock, start = [], threading.Lock(), threading.Barrier(N)
    real = acc.authenticate

    def counting(**kw):
        with lock:
            tried.append(1)
        time.sleep(0.05)  # a slow hasher: the window the old check-then-count left open
        return real(**kw)

    monkeypatch.setattr(acc, "authenticate", counting)

    def work(i):
        start.wait()
        try:
            acc.token_issue(username="clerk", password="wrong", ip="10.1.1.1")
        except DomainError:
            pass

    run_in_threads(work, N)
    assert 1 <= len(tried) <= settings.LOGIN_FAILURE_LIMIT
    # refused attempts are not failures; further guesses one by one stop exactly at the limit
    for _ in range(N):
        try:
            acc.token_issue(username="clerk", password="wrong", ip="10.1.1.1")
        except DomainError:
            pass
    assert len(tried) == settings.LOGIN_FAILURE_LIMIT
    with pytest.raises(lockout.LoginLocked):
        acc.token_issue(username="clerk", password="Right-pass-1234", ip="10.1.1.1")


@pytest.mark.django_db
def test_per_address_limit_across_user_names(settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    _user(settings)
    for i in range(6):
        attempt = lockout.login_check(username=f"guess{i}", ip="10.2.2.2")
        lockout.login_failed(username=f"guess{i}", ip="10.2.2.2", attempt=attempt)
    with pytest.raises(lockout.LoginLocked) as exc:
        acc.token_issue(username="clerk", password="Right-pass-1234", ip="10.2.2.2")
    assert "Too many failed logins from this address" in exc.value.message_en
    # another address is free
    acc.token_issue(username="clerk", password="Right-pass-1234", ip="10.2.2.3")


def _req(remote, xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_xff_ignored_without_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_req("203.0.113.5", "1.1.1.1")) == "203.0.113.5"


def test_xff_honoured_only_from_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_req("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    # a client's own forged hop left of the real one is not believed
    assert client_ip(_req("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"
    # an untrusted peer's header is ignored
    assert client_ip(_req("203.0.113.5", "198.51.100.7")) == "203.0.113.5"
    assert client_ip(_req("10.0.0.2", "garbage")) == "10.0.0.2"


@pytest.mark.django_db
def test_lockout_key_follows_the_trusted_proxy(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    _user(settings)
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "clerk", "password": "wrong"}, content_type="application/json",
                    REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    r = client.post("/api/v1/auth/token", {"username": "clerk", "password": "Right-pass-1234"},
                    content_type="application/json", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert r.status_code == 429
    r = client.post("/api/v1/auth/token", {"username": "clerk", "password": "Right-pass-1234"},
                    content_type="application/json", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert r.status_code == 200
