"""Fixed-window rate limits kept in Django's cache (Redis when YICHUANG_REDIS_URL is set, so every server process
counts together; this process's memory otherwise). ``cache.add`` then ``cache.incr`` are atomic on both.

``rate_limit(scope, key, limit=..., seconds=...)`` raises :class:`RateLimited` (HTTP 429,
``{code: "rate_limited", message, message_en}``) once ``key`` used ``scope`` more than ``limit`` times in the window.
Limits are read from settings ``RATE_LIMITS`` (``{scope: (limit, seconds)}``) when the scope is named there.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from .errors import DomainError


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    fallback_en = "Too many requests."


def rate_limit(scope: str, key: str, *, limit: int, seconds: int) -> None:
    limit, seconds = getattr(settings, "RATE_LIMITS", {}).get(scope, (limit, seconds))
    if limit <= 0:
        return
    window = int(time.time() // seconds)
    digest = hashlib.sha256(f"{scope}|{key}".encode()).hexdigest()[:32]
    name = f"ratelimit:{scope}:{window}:{digest}"
    if cache.add(name, 1, timeout=seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr
            cache.add(name, 1, timeout=seconds + 1)
            count = 1
    if count > limit:
        wait = max(1, math.ceil(((window + 1) * seconds - time.time()) / 60))
        raise RateLimited(f"请求过于频繁，请 {wait} 分钟后再试。", f"Too many requests: try again in {wait} minutes.")


def progress_rate_limit(*, ip: str, number: str) -> None:
    """The public progress lookup (number + last 4 of the ID): per address and per case number, so the ~11,000
    last-4 codes of one case cannot be walked through from one address or many."""
    rate_limit("progress.ip", ip, limit=30, seconds=600)
    rate_limit("progress.case", (number or "").strip().upper(), limit=10, seconds=600)
