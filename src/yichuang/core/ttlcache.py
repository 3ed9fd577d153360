"""Per-process caches whose entries live a configured number of seconds.

For figures a hot path reads far more often than they change, where reading one a few seconds old is acceptable:
the API token → user lookup, the hall's scarcity counts, the recent mean service time on a ticket slip. Each
server process keeps its own; a process that changes what an entry stands for drops it (``forget``), the others
see the change when their entry expires.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings


class TTLCache:
    """``get`` gives a value ``put`` less than ``settings.<setting>`` seconds ago (read at every call, so a test or
    an operator may change it; 0 or less keeps nothing), else None. At ``max_entries`` the cache starts again
    empty rather than grow. None is not a value it can keep."""

    def __init__(self, setting: str, default: float, *, max_entries: int = 10_000):
        self.setting, self.default, self.max_entries = setting, default, max_entries
        self._entries: dict[Any, tuple[float, Any]] = {}

    def ttl(self) -> float:
        return float(getattr(settings, self.setting, self.default))

    def get(self, key) -> Any | None:
        hit = self._entries.get(key)
        if hit is None or hit[0] <= time.monotonic() or self.ttl() <= 0:
            return None
        return hit[1]

    def put(self, key, value) -> None:
        ttl = self.ttl()
        if ttl <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + ttl, value)

    def forget(self, key=None) -> None:
        """Drop one entry, or all (``key`` None)."""
        if key is None:
            self._entries.clear()
        else:
            self._entries.pop(key, None)
