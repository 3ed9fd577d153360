"""ORM queries compiled once per database connection and run again with new values.

Turning a queryset into SQL costs Django more CPU than PostgreSQL spends running a small indexed query (about
0.3–1 ms for the case row lock with its five joins). The hot reads of the case services are the same statement
every time with different values, so they are declared once as a :class:`CompiledQuery`: a function that builds
the queryset from its parameters. On first use on a connection the queryset is built with placeholder values and
compiled by Django; later calls put the new values in the placeholders' places and run the same SQL. The rows are
turned into model instances, select_related relations and field converters (JSON, encrypted columns) exactly as
the queryset's own iteration does.

Parameters may be ``int``, ``str`` or ``datetime.date`` values compared with ``=``, ``<=`` and the like; Django
passes these to the database as they are (a date as the backend adapts it), so the compiled statement's
parameters are the values themselves (a value used twice fills both places). A parameter that does not appear among the statement's parameters (Django
rewrote it) makes the query run through the ORM every time: slower, never wrong. ``tests/core/test_sqlcache.py`` compares
every declared query's answers with the ORM's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators

_PLACEHOLDER_INT = itertools.count(-7_311_000_001, -1)
_lock = threading.Lock()


def _placeholder(kind: type) -> Any:
    with _lock:
        n = next(_PLACEHOLDER_INT)
    if kind is int:
        return n
    if kind is str:
        return f"\x1fsqlcache{-n}\x1f"
    if kind is dt.date:
        return dt.date(1, 1, 1) + dt.timedelta(days=-n % 3_000_000)
    raise TypeError(f"unsupported parameter type {kind!r}")


def _adapter(kind: type, connection):
    """How the backend turns a value of this kind into a statement parameter (None: passed as it is)."""
    if kind is dt.date:
        return connection.ops.adapt_datefield_value  # SQLite: an ISO string; PostgreSQL: the date itself
    return None


class _Entry:
    __slots__ = ("compiler", "sql", "slots", "model_start", "model_end", "init_list", "populators", "model",
                 "annotations", "converters", "fields", "adapt")

    def __init__(self, compiler, sql: str, slots: list[tuple[str | None, Any]]):
        self.compiler, self.sql, self.slots = compiler, sql, slots


class CompiledQuery:
    """A queryset built by ``build(**params)``, compiled once per connection (see the module text).

    ``kind``: ``"model"`` (instances, as iterating the queryset), ``"values"`` (tuples of a ``values_list``
    queryset) or ``"exists"`` (``queryset.exists()``).
    """

    def __init__(self, name: str, build: Callable[..., QuerySet], params: dict[str, type], kind: str = "model",
                 using: str = "default"):
        assert kind in ("model", "values", "exists")
        self.name, self.build, self.params, self.kind, self.using = name, build, params, kind, using

    # ---------------------------------------------------------------- compiling

    def _compile(self, connection) -> _Entry | None:
        placeholders = {name: _placeholder(kind) for name, kind in self.params.items()}
        adapt = {name: _adapter(kind, connection) for name, kind in self.params.items()}
        qs = self.build(**placeholders)
        query = qs.query.exists() if self.kind == "exists" else qs.query
        compiler = query.get_compiler(using=self.using, connection=connection)
        sql, params = compiler.as_sql()
        slots: list[tuple[str | None, Any]] = []
        seen: dict[str, int] = {}
        by_value = {}
        for name, value in placeholders.items():
            db_value = adapt[name](value) if adapt[name] else value
            by_value[(type(db_value), db_value)] = name
        for p in params:
            name = by_value.get((type(p), p))
            if name is not None:
                seen[name] = seen.get(name, 0) + 1
            slots.append((name, None if name is not None else p))
        if any(name not in seen for name in placeholders):
            return None  # a value Django rewrote: leave this query to the ORM
        entry = _Entry(compiler, sql, slots)
        entry.adapt = {name: f for name, f in adapt.items() if f is not None}
        if self.kind == "model":
            select, klass_info = compiler.select, compiler.klass_info
            fields = klass_info["select_fields"]
            entry.model = klass_info["model"]
            entry.model_start, entry.model_end = fields[0], fields[-1] + 1
            entry.init_list = [f[0].target.attname for f in select[entry.model_start:entry.model_end]]
            entry.populators = get_related_populators(klass_info, select, self.using)
            entry.annotations = compiler.annotation_col_map
        if self.kind != "exists":
            entry.fields = [s[0] for s in compiler.select[0:compiler.col_count]]
            entry.converters = compiler.get_converters(entry.fields)
        return entry

    def _entry(self, connection) -> _Entry | None:
        cache = connection.__dict__.setdefault("_yichuang_compiled", {})
        try:
            return cache[self.name]
        except KeyError:
            entry = cache[self.name] = self._compile(connection)
            return entry

    # ---------------------------------------------------------------- running

    def _fetch(self, entry: _Entry, connection, values: dict[str, Any]) -> list[tuple]:
        if entry.adapt:
            values = {name: (entry.adapt[name](v) if name in entry.adapt else v) for name, v in values.items()}
        params = [values[name] if name is not None else const for name, const in entry.slots]
        with connection.cursor() as cursor:
            cursor.execute(entry.sql, params)
            rows = cursor.fetchall()
        if self.kind != "exists" and entry.converters:
            rows = list(entry.compiler.apply_converters(rows, entry.converters))
        return rows

    def _check(self, values: dict[str, Any]) -> None:
        if values.keys() != self.params.keys():
            raise TypeError(f"{self.name}: expected parameters {sorted(self.params)}, got {sorted(values)}")

    def all(self, **values) -> list:
        """Model instances (``kind="model"``) or value tuples (``kind="values"``)."""
        self._check(values)
        connection = connections[self.using]
        entry = self._entry(connection)
        if entry is None:
            qs = self.build(**values)
            return list(qs) if self.kind == "model" else [tuple(r) for r in qs]
        rows = self._fetch(entry, connection, values)
        if self.kind == "values":
            return [tuple(r) for r in rows]
        out = []
        start, end, model, init_list = entry.model_start, entry.model_end, entry.model, entry.init_list
        for row in rows:
            obj = model.from_db(self.using, init_list, row[start:end])
            for populator in entry.populators:
                populator.populate(row, obj)
            for attr, pos in (entry.annotations or {}).items():
                setattr(obj, attr, row[pos])
            out.append(obj)
        return out

    def first(self, **values):
        """The first instance or tuple, or None (the queryset should be ordered or limited to one row)."""
        rows = self.all(**values)
        return rows[0] if rows else None

    def exists(self, **values) -> bool:
        assert self.kind == "exists"
        self._check(values)
        connection = connections[self.using]
        entry = self._entry(connection)
        if entry is None:
            return self.build(**values).exists()
        return bool(self._fetch(entry, connection, values))


def known_related(obj, **related: list) -> None:
    """Record rows already in hand as ``obj``'s prefetched relations (as ``prefetch_related`` would), so that
    ``obj.<name>.all()`` does not read them again; filters and new queries on the relation still go to the
    database."""
    cache = obj.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, rows in related.items():
        qs = getattr(obj, name).get_queryset()
        qs._result_cache, qs._prefetch_done = list(rows), True
        cache[name] = qs


def prefetched(obj, name: str) -> bool:
    return name in getattr(obj, "_prefetched_objects_cache", {})
