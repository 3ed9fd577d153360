from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from yichuang.core import sqlcache

from .models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":"))


def event_digest(*, prev_hash: str, seq: int, at, actor_id, action: str, object_type: str, object_id: str, before,
                 after, address: str, actor_name: str = "") -> str:
    # Every stored column is covered, the actor's display name too (the admin shows it as "who").
    body = _canonical({
        "seq": seq, "at": at.isoformat(), "actor": actor_id, "name": actor_name, "action": action,
        "type": object_type, "id": object_id, "before": before, "after": after, "addr": address,
    })
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _jsonable(value):
    if value is None:
        return None
    return json.loads(_canonical(value))


def audit_record(*, actor, action: str, obj=None, before: dict | None = None, after: dict | None = None,
                 address: str = "", object_type: str = "", object_id: str = "") -> AuditEvent | None:
    """Append one audit event to the chain, inside the caller's transaction (no savepoint of its own: if this
    fails, the caller's whole transaction fails with it). The event, or None inside a ``sqlcache.batched`` block
    on PostgreSQL (it is written with the block's other writes)."""
    with transaction.atomic(savepoint=False):
        return _append(actor=actor, action=action, obj=obj, before=before, after=after, address=address,
                       object_type=object_type, object_id=object_id)


def _append(*, actor, action, obj, before, after, address, object_type, object_id) -> AuditEvent | None:
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
    actor_id = getattr(actor, "pk", None)
    actor_name = (str(actor) if actor is not None else "")[:150]
    address = (address or "")[:64]
    before, after = _jsonable(before), _jsonable(after)
    if connection.vendor == "postgresql":
        event = _append_pg(actor_id=actor_id, actor_name=actor_name, action=action, object_type=object_type,
                           object_id=object_id, before=before, after=after, address=address)
        if event is not None or sqlcache.batching():
            return event
    return _append_orm(actor_id=actor_id, actor_name=actor_name, action=action, object_type=object_type,
                       object_id=object_id, before=before, after=after, address=address)


def _append_orm(*, actor_id, actor_name, action, object_type, object_id, before, after, address) -> AuditEvent:
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    seq = head.seq + 1
    at = timezone.now()
    digest = event_digest(prev_hash=head.hash, seq=seq, at=at, actor_id=actor_id, action=action,
                          object_type=object_type, object_id=object_id, before=before, after=after, address=address,
                          actor_name=actor_name)
    event = AuditEvent.objects.create(
        seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
        object_type=object_type, object_id=object_id, before=before, after=after, address=address,
        prev_hash=head.hash, hash=digest,
    )
    head.seq, head.prev_hash, head.hash = seq, head.hash, digest
    head.save(update_fields=["seq", "prev_hash", "hash"])
    return event


_EVENT_TABLE = AuditEvent._meta.db_table
_HEAD_TABLE = AuditChainHead._meta.db_table
# One statement: move the head on (its row lock, held to the end of the caller's transaction, keeps the chain
# linear), computing the new hash in PostgreSQL from the head's own previous hash and sequence, and insert the
# event with both. Python hands over the canonical body around the sequence number (see _body_around_seq).
_PG_HEAD = (f"UPDATE {_HEAD_TABLE} SET seq = seq + 1, prev_hash = hash, "
            f"hash = encode(sha256(convert_to(hash || %s || (seq + 1)::text || %s, 'UTF8')), 'hex') "
            f"WHERE id = 1 RETURNING seq, prev_hash, hash")
_PG_EVENT = (f"INSERT INTO {_EVENT_TABLE} (seq, at, actor_id, actor_name, action, object_type, object_id, before, "
             f"after, address, prev_hash, hash) SELECT {{0}}.seq, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, "
             f"{{0}}.prev_hash, {{0}}.hash FROM {{0}} RETURNING id, seq, prev_hash, hash")
_PG_APPEND = f"WITH h AS ({_PG_HEAD}) {_PG_EVENT.replace('{0}', 'h')}"
_SEQ_MARK = -918_273_645_546_372_819


def _body_around_seq(*, at, actor_id, action, object_type, object_id, before, after, address, actor_name
                     ) -> tuple[str, str]:
    """The canonical body of :func:`event_digest` split around the sequence number: (text before it, text after
    it). The keys are sorted, so ``"seq"`` is the last key but one; only ``"type"``'s string follows, and a JSON
    string cannot hold the mark unescaped, so the mark's last occurrence is the top-level one."""
    body = _canonical({
        "seq": _SEQ_MARK, "at": at.isoformat(), "actor": actor_id, "name": actor_name, "action": action,
        "type": object_type, "id": object_id, "before": before, "after": after, "addr": address,
    })
    mark = f'"seq":{_SEQ_MARK}'
    i = body.rindex(mark)
    return body[:i] + '"seq":', body[i + len(mark):]


def _append_pg(*, actor_id, actor_name, action, object_type, object_id, before, after, address) -> AuditEvent | None:
    """The same append in one statement on PostgreSQL (see _PG_APPEND); the hash is the one
    :func:`event_digest` gives (``audit_verify`` recomputes it in Python). None when the head row does not exist
    yet (the ORM path creates it), or when the append joined the writes of a ``sqlcache.batched`` block: it is
    sent with them, one per statement (two would move the one head row twice)."""
    at = timezone.now()
    pre, post = _body_around_seq(at=at, actor_id=actor_id, action=action, object_type=object_type,
                                 object_id=object_id, before=before, after=after, address=address,
                                 actor_name=actor_name)
    event_params = [at, actor_id, actor_name, action, object_type, object_id,
                    None if before is None else _canonical(before), None if after is None else _canonical(after),
                    address]

    def appended(count: int) -> None:
        if count == 0:  # no head row yet: the ORM path creates it, in the same transaction
            _append_orm(actor_id=actor_id, actor_name=actor_name, action=action, object_type=object_type,
                        object_id=object_id, before=before, after=after, address=address)

    if sqlcache.batch_add([(_PG_HEAD, [pre, post]), (_PG_EVENT, event_params)], result="count", then=appended,
                          exclusive="audit.head"):
        return None
    with connection.cursor() as cur:
        cur.execute(_PG_APPEND, [pre, post, *event_params])
        row = cur.fetchone()
    if row is None:
        return None
    event_id, seq, prev, digest = row
    event = AuditEvent(id=event_id, seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
                       object_type=object_type, object_id=object_id, before=before, after=after, address=address,
                       prev_hash=prev, hash=digest)
    event._state.adding, event._state.db = False, connection.alias
    return event


def audit_verify() -> tuple[bool, int | None, str]:
    """Walk the chain; return (ok, first bad seq, reason)."""
    prev, expected_seq = GENESIS, 1
    for ev in AuditEvent.objects.order_by("seq").iterator():
        if ev.seq != expected_seq:
            return False, expected_seq, f"缺少序号 {expected_seq} 的事件（被删除或重排） missing event {expected_seq}"
        if ev.prev_hash != prev:
            return False, ev.seq, f"事件 {ev.seq} 的前序哈希不符（被删除或重排） broken link at {ev.seq}"
        digest = event_digest(prev_hash=prev, seq=ev.seq, at=ev.at, actor_id=ev.actor_id, action=ev.action,
                              object_type=ev.object_type, object_id=ev.object_id, before=ev.before, after=ev.after,
                              address=ev.address, actor_name=ev.actor_name)
        if digest != ev.hash:
            return False, ev.seq, f"事件 {ev.seq} 的内容被篡改 event {ev.seq} was altered"
        prev, expected_seq = ev.hash, expected_seq + 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.seq != expected_seq - 1:
        return False, expected_seq, f"链尾事件缺失 events after {expected_seq - 1} are missing"
    return True, None, "ok"
