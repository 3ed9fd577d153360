"""ORM queries compiled once per database connection and run again with new values.

Turning a queryset into SQL costs Django more CPU than PostgreSQL spends running a small indexed query (about
0.3–1 ms for the case row lock with its five joins). The hot reads of the case services are the same statement
every time with different values, so they are declared once as a :class:`CompiledQuery`: a function that builds
the queryset from its parameters. On first use on a connection the queryset is built with placeholder values and
compiled by Django; later calls put the new values in the placeholders' places and run the same SQL. The rows are
turned into model instances, select_related relations and field converters (JSON, encrypted columns) exactly as
the queryset's own iteration does.

Parameters may be ``int``, ``str`` or ``datetime.date`` values compared with ``=``, ``<=`` and the like. Django
passes these to the database as they are (a date as the backend adapts it), so the compiled statement's
parameters are the values themselves; a value used twice fills both places. A parameter that does not appear
among the statement's parameters (Django rewrote it: ``startswith``, an encrypted column) makes the query run
through the ORM every time: slower, never wrong. ``tests/cases/test_sqlcache.py`` compares the answers with the
ORM's.

:func:`insert` and :func:`update` do the same for the hot writes: the statement is built once per connection,
the values are prepared by Django's own field methods on every call. Inside a :func:`batched` block they (and the
audit append) wait and go to PostgreSQL together, as one statement, at the block's end.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery

def let_psycopg_cache_long_statements() -> None:
    """psycopg turns a statement's ``%s`` / ``%(name)s`` placeholders into ``$n`` once and caches the result, but
    only for statements of at most 4,096 characters and 50 parameters. Two hot statements are longer, the same text
    every time: the batched writes of a receipt (see :func:`batched`, over 100 parameters) and the hall's claim
    statements (``hall.claim``, over 5 kB). Parsed again on every call, the first cost more CPU than the round trips
    it saves. The limits are psycopg's own module settings; the cache stays bounded (128 statements, least
    recently used out). Called once at start-up (``core.apps``)."""
    try:
        from psycopg import _queries
    except ImportError:  # pragma: no cover - PostgreSQL driver not installed
        return
    if hasattr(_queries, "MAX_CACHED_STATEMENT_LENGTH") and hasattr(_queries, "MAX_CACHED_STATEMENT_PARAMS"):
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH, 16_384)
        _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS, 256)

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
                 "annotations", "converters", "adapt")

    def __init__(self, compiler, sql: str, slots: list[tuple[str | None, Any]]):
        self.compiler, self.sql, self.slots = compiler, sql, slots


def _cache(connection) -> dict:
    return connection.__dict__.setdefault("_yichuang_compiled", {})


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
        by_value = {}
        for name, value in placeholders.items():
            db_value = adapt[name](value) if adapt[name] else value
            by_value[(type(db_value), db_value)] = name
        slots: list[tuple[str | None, Any]] = []
        for p in params:
            name = by_value.get((type(p), p))
            slots.append((name, None if name is not None else p))
        if not set(placeholders) <= {name for name, _ in slots}:
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
            entry.converters = compiler.get_converters([s[0] for s in compiler.select[0:compiler.col_count]])
        return entry

    def _entry(self, connection) -> _Entry | None:
        cache = _cache(connection)
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


# ---------------------------------------------------------------- writes


def _plain_fields(fields) -> bool:
    """Fields whose values go into a statement as ``%s`` parameters (no backend-specific placeholder)."""
    return not any(hasattr(f, "get_placeholder") for f in fields)


def insert(objs: list[Model], using: str = "default") -> None:
    """INSERT new instances of one model in one statement and set their primary keys, as ``bulk_create`` does on
    a database that returns them: the same field preparation (``pre_save``, ``get_db_prep_save``: auto_now_add,
    JSON, encryption), but the statement is built once per connection, model and row count. Models with a
    database-generated primary key only (a key already set on every instance is written as it is); no signals are
    sent (none are used on the models written this way). Inside :func:`batched` the statement waits for the
    block's end."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    connection = connections[using]
    features = connection.features
    returns_ids = features.can_return_columns_from_insert and (
        len(objs) == 1 or features.can_return_rows_from_bulk_insert)
    if not returns_ids:
        model.objects.using(using).bulk_create(objs)
        return
    with_pk = all(obj.pk is not None for obj in objs)
    key = ("insert", model, len(objs), with_pk)
    cache = _cache(connection)
    entry = cache.get(key)
    if entry is None:
        fields = [f for f in meta.concrete_fields if (with_pk or not f.primary_key) and not f.generated]
        ok = _plain_fields(fields) and [f.attname for f in meta.db_returning_fields] == [meta.pk.attname]
        if ok:
            qn = connection.ops.quote_name
            row = "(" + ", ".join(["%s"] * len(fields)) + ")"
            returning, returning_params = connection.ops.return_insert_columns(meta.db_returning_fields)
            sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
                   f"VALUES {', '.join([row] * len(objs))} {returning}")
            query = InsertQuery(model)
            query.insert_values(fields, [], raw=False)
            compiler = query.get_compiler(connection=connection)  # prepares each value as Django's insert does
            entry = cache[key] = (sql, fields, compiler, tuple(returning_params))
        else:
            entry = cache[key] = False
    if entry is False:
        model.objects.using(using).bulk_create(objs)
        return
    sql, fields, compiler, returning_params = entry
    params = [compiler.prepare_value(f, compiler.pre_save_val(f, obj)) for obj in objs for f in fields]
    params.extend(returning_params)

    def done(ids: list) -> None:
        if len(ids) != len(objs):
            raise DatabaseError(f"INSERT into {meta.db_table} returned {len(ids)} rows for {len(objs)} objects")
        for obj, pk in zip(objs, ids):
            setattr(obj, meta.pk.attname, pk)
            obj._state.adding, obj._state.db = False, using

    batch = _pending(connection)
    if batch is not None:
        batch.add([(sql, params)], result="ids", then=done, writes=[(meta.db_table, obj.pk) for obj in objs])
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        done([row[0] for row in cursor.fetchall()])


def update(obj: Model, fields: list[str], using: str = "default") -> None:
    """UPDATE the named fields of a saved instance, as ``obj.save(update_fields=fields)`` does (``pre_save`` runs,
    so ``auto_now`` fields named here are set), with the statement built once per connection, model and field
    list. Raises ``DatabaseError`` when no row was updated, as Django's save does. Inside :func:`batched` the
    statement waits for the block's end."""
    meta = obj._meta
    connection = connections[using]
    key = ("update", type(obj), tuple(fields))
    cache = _cache(connection)
    entry = cache.get(key)
    if entry is None:
        concrete = [meta.get_field(name) for name in fields]
        if not _plain_fields(concrete) or any(f.primary_key or not f.concrete for f in concrete):
            entry = cache[key] = False
        else:
            qn = connection.ops.quote_name
            sets = ", ".join(f"{qn(f.column)} = %s" for f in concrete)
            entry = cache[key] = (f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s", concrete)
    if entry is False:
        obj.save(update_fields=fields, using=using)
        return
    sql, concrete = entry
    params = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in concrete]
    params.append(meta.pk.get_db_prep_value(obj.pk, connection))

    def done(rowcount: int) -> None:
        if rowcount != 1:
            raise DatabaseError(f"UPDATE of {meta.label} {obj.pk} affected {rowcount} rows")

    batch = _pending(connection)
    if batch is not None:
        if (meta.db_table, obj.pk) in batch.written:
            batch.flush()  # its INSERT waits in the batch: a statement cannot update its own new rows
        batch.add([(sql + " RETURNING 1", params)], result="count", then=done)
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        done(cursor.rowcount)


# ---------------------------------------------------------------- batched writes (PostgreSQL)


class _Batch:
    """Writes waiting to be sent as one statement (see :func:`batched`)."""

    def __init__(self, connection):
        self.connection = connection
        self.pieces: list[tuple[list[tuple[str, list]], str | None, Callable | None]] = []
        self.written: set[tuple[str, Any]] = set()  # (table, pk) of rows inserted by the waiting statements
        self.exclusive: set[str] = set()
        self.flushing = False

    def add(self, ctes: list[tuple[str, list]], *, result: str | None = None, then: Callable | None = None,
            writes=(), exclusive: str = "") -> None:
        if exclusive and exclusive in self.exclusive:
            self.flush()
        self.pieces.append((ctes, result, then))
        self.written.update(key for key in writes if key[1] is not None)
        if exclusive:
            self.exclusive.add(exclusive)

    def flush(self) -> None:
        """Send the waiting writes now, as one statement of data-modifying WITH queries; then hand each piece its
        result (its RETURNING ids, or its row count)."""
        pieces, self.pieces = self.pieces, []
        self.written, self.exclusive = set(), set()
        if not pieces:
            return
        ctes, params, selects, callbacks = [], [], [], []
        n = 0
        for piece_ctes, result, then in pieces:
            names: list[str] = []
            for sql, piece_params in piece_ctes:
                name = f"w{n}"
                n += 1
                for i, earlier in enumerate(names):
                    sql = sql.replace("{%d}" % i, earlier)
                ctes.append(f"{name} AS ({sql})")
                params.extend(piece_params)
                names.append(name)
            if result == "ids":
                selects.append(f"(SELECT array_agg(id) FROM {names[-1]})")
            elif result == "count":
                selects.append(f"(SELECT count(*) FROM {names[-1]})")
            if result:
                callbacks.append((result, then))
        sql = f"WITH {', '.join(ctes)} SELECT {', '.join(selects) or '1'}"
        self.flushing = True
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        finally:
            self.flushing = False
        for (result, then), value in zip(callbacks, row):
            if then is not None:
                then(list(value or []) if result == "ids" else int(value))

    def before_execute(self, execute, sql, params, many, context):
        """Any other statement on the connection sends the waiting writes first: reads see them, and the order of
        writes is kept."""
        if self.pieces and not self.flushing:
            self.flush()
        return execute(sql, params, many, context)


def _pending(connection) -> _Batch | None:
    return connection.__dict__.get("_yichuang_batch")


@contextmanager
def batched(using: str = "default"):
    """Send the writes of :func:`insert`, :func:`update` and the audit append made in this block as ONE statement
    at its end (PostgreSQL: data-modifying ``WITH`` queries; elsewhere each runs at once, as outside the block).

    Each statement on PostgreSQL is a round trip: the client's and the server's processes wake up, parse, bind
    and answer. The writes that end a step (the case row, its history row, the audit event) need nothing from each
    other, so they travel together. Any other statement run inside the block (a read, a write through the ORM)
    sends the waiting writes first, so nothing reads around them; an UPDATE of a row whose INSERT is still
    waiting sends that first too (one statement cannot see the rows it inserts). Errors are raised at the block's
    end, or at the statement that sent the writes. An inserted row gets its key when the writes are sent: a row
    whose key a later write of the same block needs (the case its materials point to) must have it already (a
    receipt draws the case's key with its number). Nested blocks join the outermost one. On an exception the
    waiting writes are dropped: use the block inside the transaction that the exception rolls back.
    ``settings.SQL_BATCH`` false (``YICHUANG_SQL_BATCH=0``) turns batching off."""
    connection = connections[using]
    if connection.vendor != "postgresql" or _pending(connection) is not None or not settings.SQL_BATCH:
        yield
        return
    batch = connection.__dict__["_yichuang_batch"] = _Batch(connection)
    try:
        with connection.execute_wrapper(batch.before_execute):
            yield
            batch.flush()
    finally:
        connection.__dict__["_yichuang_batch"] = None


def batching(using: str = "default") -> bool:
    """Whether a :func:`batched` block is open (writes wait for its end)."""
    return _pending(connections[using]) is not None


def batch_add(ctes: list[tuple[str, list]], *, result: str | None = None, then: Callable | None = None,
              exclusive: str = "", using: str = "default") -> bool:
    """Add a write of other modules (the audit append) to the current :func:`batched` block: ``ctes``, statements
    whose text may name the piece's earlier ones as ``{0}``, ``{1}``…; ``result`` "ids" (the last statement's
    RETURNING id) or "count" (its rows) is handed to ``then``. ``exclusive``: at most one piece with this key in
    a statement (two updates of one row would clash); a second one sends the first. False outside a block (the
    caller runs the statement itself)."""
    batch = _pending(connections[using])
    if batch is None:
        return False
    batch.add(ctes, result=result, then=then, exclusive=exclusive)
    return True
