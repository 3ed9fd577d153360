"""Login rate limiting and lockout (登录失败锁定), shared by the login page and ``POST /api/v1/auth/token``.

``LOGIN_FAILURE_LIMIT`` failures (default 5) for one user name from one address within
``LOGIN_LOCKOUT_MINUTES`` (default 15) lock that pair until the oldest of those failures is that old; an address
with ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures (default 30) under any names is locked the same way. A success
clears the pair's failures. Locking the pair (not the account) means a stranger cannot lock a clerk out of every
window by guessing at her name from elsewhere, while guessing from one address stays slow.

An attempt is counted *before* the password is tried: ``login_check`` writes the attempt's row (committed at once
in the database every server process shares) and only then counts; an attempt that finds more than the limit
removes its own row and is refused. Of any number of simultaneous attempts, the k-th to commit counts at least k
rows, so at most the limit get to try a password — the check and the count are one step.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from yichuang.audit.services import audit_record
from yichuang.core.errors import DomainError
from yichuang.core.net import client_ip  # noqa: F401 — re-exported: the one client-address rule

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


def _address_limit() -> int:
    return int(getattr(settings, "LOGIN_ADDRESS_FAILURE_LIMIT", 30))


def _recent(username: str, ip: str, now: dt.datetime):
    return LoginFailure.objects.filter(username=_key(username), ip=ip, at__gte=now - _window())


def _locked(rows: list[dt.datetime], limit: int, now: dt.datetime, per_address: bool) -> LoginLocked:
    until = sorted(rows, reverse=True)[limit - 1] + _window() if len(rows) >= limit else now + _window()
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    if per_address:
        return LoginLocked(f"本机登录失败次数过多，已锁定，请 {minutes} 分钟后再试。",
                           f"Too many failed logins from this address: try again in {minutes} minutes.")
    return LoginLocked(
        f"登录失败次数过多，账号已在本机锁定，请 {minutes} 分钟后再试。",
        f"Too many failed logins: locked for this address; try again in {minutes} minutes.")


def login_check(*, username: str, ip: str, now: dt.datetime | None = None) -> int:
    """Count this attempt and return its id, or raise ``LoginLocked`` (HTTP 429) while the user name + address
    pair or the address is locked. The caller then reports the outcome: ``login_failed(..., attempt=id)`` or
    ``login_succeeded``."""
    now = now or timezone.now()
    attempt = LoginFailure.objects.create(username=_key(username), ip=ip, at=now)  # committed before counting
    others = LoginFailure.objects.filter(at__gte=now - _window(), ip=ip).exclude(pk=attempt.pk)
    pair = list(others.filter(username=_key(username)).values_list("at", flat=True))
    if len(pair) >= _limit():
        attempt.delete()
        raise _locked(pair, _limit(), now, per_address=False)
    if others.count() >= _address_limit():
        attempt.delete()
        raise _locked(list(others.values_list("at", flat=True)), _address_limit(), now, per_address=True)
    return attempt.pk


@transaction.atomic
def login_failed(*, username: str, ip: str, now: dt.datetime | None = None, attempt: int | None = None) -> None:
    """The attempt ``attempt`` (from login_check) failed: its row stays as the failure. Without it (or if a success
    meanwhile cleared it), a failure row is written now."""
    now = now or timezone.now()
    if attempt is None or not LoginFailure.objects.filter(pk=attempt).exists():
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
