"""The keys a server needs before it serves (a Django system check, and the ASGI/WSGI entry points call it too).

With ``DEBUG`` off nothing serves without a real secret key (``YICHUANG_SECRET_KEY``: set, at least 32
characters, not a development placeholder) and real field keys (``YICHUANG_FIELD_KEYS`` with a key of the
current suite): a derived key would let anyone holding the database file read every ID and phone number with
nothing else. ``yichuang runserver`` and ``yichuang check`` report it as a system check error; ``granian``/
``gunicorn`` load ``config/asgi.py``/``wsgi.py``, which call :func:`refuse_without_keys`. Other commands
(``makemigrations``, ``openapi``…) are not stopped by it, but none of them can read or write a personal number
without field keys either: :func:`crypto.keyring` refuses to derive one with debug off. With ``YICHUANG_DEBUG=1``
(development) the derived keys are allowed.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import crypto

DEV_SECRET_PREFIXES = ("insecure-dev-key-", "django-insecure-")
MIN_SECRET_LENGTH = 32
SERVING_COMMANDS = {"runserver", "check"}


def key_problems() -> list[tuple[str, str, str]]:
    """(id, Chinese, English) for every missing or unusable key; empty when the installation may serve."""
    problems: list[tuple[str, str, str]] = []
    try:
        suite = crypto.suite()
    except crypto.KeyError_ as exc:
        return [("yichuang.E003", "YICHUANG_CRYPTO_SUITE 只能是 intl 或 gm。", str(exc))]
    if settings.DEBUG:
        return problems
    secret = settings.SECRET_KEY or ""
    if (not os.environ.get("YICHUANG_SECRET_KEY") or secret.startswith(DEV_SECRET_PREFIXES)
            or len(secret) < MIN_SECRET_LENGTH or len(set(secret)) < 5):
        problems.append((
            "yichuang.E001",
            f"未设置真实的 YICHUANG_SECRET_KEY（至少 {MIN_SECRET_LENGTH} 个字符的随机串），非调试模式下拒绝启动。",
            f"YICHUANG_SECRET_KEY is not set to a real secret (a random string of at least {MIN_SECRET_LENGTH} "
            "characters); with debug off the server refuses to start. Generate one: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"))
    if not os.environ.get("YICHUANG_FIELD_KEYS", "").strip():
        problems.append((
            "yichuang.E002",
            "未设置 YICHUANG_FIELD_KEYS（加密身份证号、手机号的密钥），非调试模式下拒绝启动；`yichuang pii genkey` 生成一个，"
            "写成 YICHUANG_FIELD_KEYS=k1:<密钥>。",
            "YICHUANG_FIELD_KEYS is not set (the key that encrypts ID and phone numbers); with debug off the server "
            "refuses to start. `yichuang pii genkey` prints one: set YICHUANG_FIELD_KEYS=k1:<key>."))
    else:
        try:
            crypto.current_key()
        except crypto.KeyError_ as exc:
            problems.append(("yichuang.E002", f"YICHUANG_FIELD_KEYS 不可用（当前套件 {suite}）。", str(exc)))
    return problems


@checks.register(checks.Tags.security)
def check_keys(app_configs=None, **kwargs):
    if len(sys.argv) > 1 and sys.argv[1] not in SERVING_COMMANDS:
        return []
    return [checks.Error(f"{zh} {en}", id=cid) for cid, zh, en in key_problems()]


def refuse_without_keys() -> None:
    """Raise ImproperlyConfigured (Chinese and English) when :func:`key_problems` names anything."""
    problems = key_problems()
    if problems:
        raise ImproperlyConfigured("\n".join(f"{zh}\n{en}" for _cid, zh, en in problems))
