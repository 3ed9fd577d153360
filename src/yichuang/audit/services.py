"""The audit trail (审计链): append-only events in hash chains, one chain per centre.

An event goes to the chain of the centre it concerns (see :func:`chain_of`), or to the installation's chain (0);
appending locks that chain's head row only, so the audited writes of two centres never wait on each other. The
hash is computed here, in Python, and nowhere else; ``yichuang audit verify`` recomputes every chain with
:func:`event_digest`. The hash is the current suite's (SHA-256, or SM3 under ``YICHUANG_CRYPTO_SUITE=gm``); each row
records its own (``hash_alg``), so a chain begun under one suite and continued under the other verifies."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from yichuang.core import crypto

from .models import INSTALLATION_CHAIN, AuditChainHead, AuditEvent

GENESIS = "0" * 64


def genesis(chain: int) -> str:
    """The previous hash of a chain's first event. The installation's chain keeps the all-zero one it had when it
    was the only chain; a centre's is derived from its id, so a centre's rows copied under another centre's id
    (or into chain 0) do not verify there."""
    if chain == INSTALLATION_CHAIN:
        return GENESIS
    return hashlib.sha256(f"yichuang.audit.chain:{chain}".encode()).hexdigest()


def _canonical(payload: dict[str, Any]) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":"))


def event_digest(*, prev_hash: str, seq: int, at, actor_id, action: str, object_type: str, object_id: str, before,
                 after, address: str, actor_name: str = "", alg: str = "sha256") -> str:
    # Every stored column is covered, the actor's display name too (the admin shows it as "who"); the chain is
    # covered through the first event's previous hash (see genesis).
    body = _canonical({
        "seq": seq, "at": at.isoformat(), "actor": actor_id, "name": actor_name, "action": action,
        "type": object_type, "id": object_id, "before": before, "after": after, "addr": address,
    })
    return crypto.hexdigest((prev_hash + body).encode(), alg)


def _jsonable(value):
    if value is None:
        return None
    return json.loads(_canonical(value))


def chain_of(*, centre=None, obj=None, actor=None) -> int:
    """The chain an event goes to: the centre named (a centre's own events name it), else the object's centre
    (anything with a ``centre``: a case's receiving centre, a window, a department, a user…), else the actor's
    centre, else the installation's chain (the catalogue, the work calendar, the system's own jobs)."""
    if centre is not None:
        return int(getattr(centre, "pk", centre))
    for source in (obj, actor):
        centre_id = getattr(source, "centre_id", None)
        if centre_id is not None:
            return centre_id
    return INSTALLATION_CHAIN


def audit_record(*, actor, action: str, obj=None, before: dict | None = None, after: dict | None = None,
                 address: str = "", object_type: str = "", object_id: str = "", centre=None) -> AuditEvent:
    """Append one audit event to its chain (:func:`chain_of`), inside the caller's transaction (no savepoint of its
    own: if this fails, the caller's whole transaction fails with it). The chain's head row stays locked to the
    end of that transaction."""
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
    chain = chain_of(centre=centre, obj=obj, actor=actor)
    actor_id = getattr(actor, "pk", None)
    actor_name = (str(actor) if actor is not None else "")[:150]
    address = (address or "")[:64]
    before, after = _jsonable(before), _jsonable(after)
    with transaction.atomic(savepoint=False):
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            chain=chain, defaults={"hash": genesis(chain)})
        seq, at, alg = head.seq + 1, timezone.now(), crypto.hash_name()
        digest = event_digest(prev_hash=head.hash, seq=seq, at=at, actor_id=actor_id, action=action,
                              object_type=object_type, object_id=object_id, before=before, after=after,
                              address=address, actor_name=actor_name, alg=alg)
        event = AuditEvent.objects.create(
            chain=chain, seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
            object_type=object_type, object_id=object_id, before=before, after=after, address=address,
            prev_hash=head.hash, hash=digest, hash_alg=alg,
        )
        head.seq, head.hash = seq, digest
        head.save(update_fields=["seq", "hash"])
    return event


@dataclass(frozen=True)
class ChainCheck:
    """One chain's verdict: ``seq`` is the first bad event (None when the chain is whole)."""

    chain: int
    events: int
    ok: bool
    seq: int | None
    reason: str


def _chain_name(chain: int) -> str:
    return "全局链 installation chain" if chain == INSTALLATION_CHAIN else f"中心 centre {chain} 链 chain"


def audit_verify_chain(chain: int) -> ChainCheck:
    """Walk one chain from its genesis: a gap in the numbers (deletion), a broken link (deletion or reordering),
    a hash that does not match the row (tampering), or a head past the last row (deleted tail) is named."""
    name = _chain_name(chain)
    prev, expected_seq, count = genesis(chain), 1, 0

    def broken(seq: int, zh: str, en: str) -> ChainCheck:
        return ChainCheck(chain, count, False, seq, f"{name}：{zh} {en}")

    for ev in AuditEvent.objects.filter(chain=chain).order_by("seq").iterator():
        if ev.seq != expected_seq:
            return broken(expected_seq, f"缺少序号 {expected_seq} 的事件（被删除或重排）", f"missing event {expected_seq}")
        if ev.prev_hash != prev:
            return broken(ev.seq, f"事件 {ev.seq} 的前序哈希不符（被删除或重排）", f"broken link at {ev.seq}")
        digest = event_digest(prev_hash=prev, seq=ev.seq, at=ev.at, actor_id=ev.actor_id, action=ev.action,
                              object_type=ev.object_type, object_id=ev.object_id, before=ev.before, after=ev.after,
                              address=ev.address, actor_name=ev.actor_name, alg=ev.hash_alg)
        if ev.hash_alg not in crypto.HASHES or digest != ev.hash:
            return broken(ev.seq, f"事件 {ev.seq} 的内容被篡改", f"event {ev.seq} was altered")
        prev, expected_seq, count = ev.hash, expected_seq + 1, count + 1
    head = AuditChainHead.objects.filter(chain=chain).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        return broken(expected_seq, f"链尾事件缺失（序号 {expected_seq - 1} 之后）",
                      f"events after {expected_seq - 1} are missing")
    return ChainCheck(chain, count, True, None, "ok")


def audit_chains() -> list[int]:
    """Every chain: those with events and those with a head row (a chain whose every row was deleted has one)."""
    chains = set(AuditEvent.objects.order_by().values_list("chain", flat=True).distinct())
    chains.update(AuditChainHead.objects.values_list("chain", flat=True))
    return sorted(chains)


def audit_verify_all() -> list[ChainCheck]:
    return [audit_verify_chain(chain) for chain in audit_chains()]


def audit_verify() -> tuple[bool, int | None, str]:
    """Check every chain; (True, None, "ok"), or False with the first broken chain's first bad seq and reason."""
    for check in audit_verify_all():
        if not check.ok:
            return False, check.seq, check.reason
    return True, None, "ok"
