"""Login rate limiting and lockout (登录失败锁定), shared by the login page and ``POST /api/v1/auth/token``.

``LOGIN_FAILURE_LIMIT`` failures (default 5) for one user name from one address within
``LOGIN_LOCKOUT_MINUTES`` (default 15) lock that pair until the oldest of those failures is that old. A success
clears the pair's failures. Locking the pair (not the account) means a stranger cannot lock a clerk out of every
window by guessing at her name from elsewhere, while guessing from one address stays slow.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yichuang.audit.services import audit_record
from yichuang.core.errors import DomainError

from .models import LoginFailure


class LoginLocked(DomainError):
    status = 429
    code = "login_locked"


def _limit() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5))


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15)))


def _key(username: str) -> str:
    return (username or "").strip().lower()[:150]


def client_ip(request) -> str:
    """The peer address. Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. gunicorn's
    ``--forwarded-allow-ips`` with a real-IP module); X-Forwarded-For from clients is not trusted."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:45] if request is not None else "unknown"


def _recent(username: str, ip: str, now: dt.datetime):
    return LoginFailure.objects.filter(username=_key(username), ip=ip, at__gte=now - _window())


def login_check(*, username: str, ip: str, now: dt.datetime | None = None) -> None:
    """Raise ``LoginLocked`` (HTTP 429) while the user name + address pair is locked."""
    now = now or timezone.now()
    recent = list(_recent(username, ip, now).order_by("-at").values_list("at", flat=True)[:_limit()])
    if len(recent) >= _limit():
        until = recent[-1] + _window()
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        raise LoginLocked(
            f"登录失败次数过多，账号已在本机锁定，请 {minutes} 分钟后再试。",
            f"Too many failed logins: locked for this address; try again in {minutes} minutes.")


@transaction.atomic
def login_failed(*, username: str, ip: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    LoginFailure.objects.create(username=_key(username), ip=ip, at=now)
    if _recent(username, ip, now).count() == _limit():
        audit_record(actor=None, action="login.locked", object_type="login", object_id=_key(username)[:64],
                     after={"username": _key(username), "minutes": int(_window().total_seconds() // 60)},
                     address=ip)
    # Old rows are useless for counting; drop them now and then so the table stays small.
    if now.second == 0:
        LoginFailure.objects.filter(at__lt=now - 2 * _window()).delete()


def login_succeeded(*, username: str, ip: str) -> None:
    LoginFailure.objects.filter(username=_key(username), ip=ip).delete()
