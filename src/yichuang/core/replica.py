"""Reads that may be served by a PostgreSQL read replica: the KPI dashboard and the reports wrap their entry points
in ``reading_from_replica()`` (a context manager and decorator); ``yichuang.config.routers.ReplicaRouter`` then
sends their reads to the ``replica`` database when one is configured (``YICHUANG_REPLICA_URL``). Writes always go
to the primary, and so does every read made inside a transaction on the primary (it must see its own writes).

A replica lags the primary by its replay delay (usually well under a second), which is what KPI and reports can
bear and a clerk's screen cannot: only mark reads whose result may be a moment old.
"""

from __future__ import annotations

import contextlib
import contextvars

REPLICA = "replica"

_wanted: contextvars.ContextVar[bool] = contextvars.ContextVar("yichuang_reading_from_replica", default=False)


@contextlib.contextmanager
def reading_from_replica():
    """Within this block (or the decorated function) reads go to the replica where there is one."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def replica_wanted() -> bool:
    return _wanted.get()
