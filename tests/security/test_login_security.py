"""Login lockout on the page and the token endpoint, argon2 hashing, production settings."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from yichuang.accounts import services as acc
from yichuang.audit.models import AuditEvent
from yichuang.accounts import lockout
from yichuang.accounts.models import LoginFailure

PW = "right-pass-123"


@pytest.fixture
def user(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    centre = acc.centre_create(code="500101", name="中心", level="county")
    return acc.user_create(username="clerk", password=PW, role="clerk", centre=centre)


def _page_login(client, password, username="clerk", **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_page_locks_after_five_failures(client, user):
    for _ in range(5):
        r = _page_login(client, "wrong")
        assert r.status_code == 200
        assert "用户名或密码错误" in r.content.decode()
    r = _page_login(client, PW)  # even the right password is refused while locked
    assert r.status_code == 429
    assert "登录失败次数过多" in r.content.decode() and "15 分钟" in r.content.decode()
    assert "_auth_user_id" not in client.session
    # another address is not locked (the pair is)
    assert _page_login(client, PW, REMOTE_ADDR="10.0.0.9").status_code == 302
    assert AuditEvent.objects.filter(action="login.locked", object_id="clerk").count() == 1


def test_page_lock_in_english(client, user):
    client.cookies["django_language"] = "en"
    for _ in range(5):
        _page_login(client, "wrong")
    r = _page_login(client, "wrong")
    assert r.status_code == 429
    assert "Too many failed logins" in r.content.decode()


def test_success_clears_failures(client, user):
    for _ in range(4):
        _page_login(client, "wrong")
    assert _page_login(client, PW).status_code == 302
    client.logout()
    for _ in range(4):
        _page_login(client, "wrong")
    assert _page_login(client, PW).status_code == 302


def test_lock_expires_after_window(user):
    past = timezone.now() - dt.timedelta(minutes=16)
    for i in range(5):
        lockout.login_failed(username="clerk", ip="1.2.3.4", now=past + dt.timedelta(seconds=i))
    lockout.login_check(username="clerk", ip="1.2.3.4")  # no error: the failures are older than 15 minutes
    with pytest.raises(lockout.LoginLocked):
        lockout.login_check(username="CLERK ", ip="1.2.3.4", now=past + dt.timedelta(minutes=1))


def _token(client, password, username="clerk"):
    return client.post("/api/v1/auth/token", {"username": username, "password": password},
                       content_type="application/json")


def test_token_endpoint_locks(client, user):
    for _ in range(5):
        r = _token(client, "wrong")
        assert r.status_code == 403 and r.json()["code"] == "bad_credentials"
    r = _token(client, PW)
    assert r.status_code == 429
    body = r.json()
    assert body["code"] == "login_locked"
    assert "登录失败次数过多" in body["message"] and "Too many failed logins" in body["message_en"]
    LoginFailure.objects.all().delete()
    assert _token(client, PW).status_code == 200


def test_page_and_api_share_the_count(client, user):
    for _ in range(3):
        _page_login(client, "wrong")
    for _ in range(2):
        _token(client, "wrong")
    assert _token(client, PW).status_code == 429


def test_argon2_is_the_default_hasher():
    from django.conf import settings
    from django.contrib.auth.hashers import make_password

    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert make_password("x", hasher="default").startswith("argon2$")


PROBE = (
    "import json, django; from django.conf import settings as s; django.setup(); "
    "print(json.dumps({k: getattr(s, k, None) for k in ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', "
    "'SECURE_REFERRER_POLICY', 'CSRF_TRUSTED_ORIGINS', 'SESSION_COOKIE_HTTPONLY', 'SECURE_HSTS_INCLUDE_SUBDOMAINS']}))"
)


def _settings_under(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("YICHUANG_")}
    base.update({"DJANGO_SETTINGS_MODULE": "yichuang.config.settings", "YICHUANG_VAR_DIR": "/tmp/yc-sec9-probe"})
    base.update(env)
    return subprocess.run([sys.executable, "-c", PROBE], env=base, capture_output=True, text=True, timeout=60)


def test_production_settings():
    r = _settings_under({"YICHUANG_ENV": "production", "YICHUANG_SECRET_KEY": "k" * 50, "YICHUANG_DEBUG": "1",
                         "YICHUANG_FIELD_KEYS": "k1:" + "A" * 88,
                         "YICHUANG_CSRF_TRUSTED_ORIGINS": "https://zwfw.example.gov.cn,https://b.example.gov.cn"})
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert s == {"DEBUG": False, "SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True,
                 "SECURE_HSTS_SECONDS": 31536000, "SECURE_SSL_REDIRECT": True, "SECURE_CONTENT_TYPE_NOSNIFF": True,
                 "X_FRAME_OPTIONS": "DENY", "SECURE_REFERRER_POLICY": "same-origin",
                 "CSRF_TRUSTED_ORIGINS": ["https://zwfw.example.gov.cn", "https://b.example.gov.cn"],
                 "SESSION_COOKIE_HTTPONLY": True, "SECURE_HSTS_INCLUDE_SUBDOMAINS": True}


def test_production_refuses_without_secret():
    r = _settings_under({"YICHUANG_ENV": "production"})
    assert r.returncode != 0 and "YICHUANG_SECRET_KEY" in r.stderr
