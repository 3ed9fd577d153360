"""The audit chains: one per centre (and the installation's, 0). An event's hash is event_digest's; appending locks
only its own chain's head, so two centres' audited writes never wait on each other; ``audit verify`` checks every
chain and names, per chain, an altered row, a deleted row (a gap, a cut tail) and a reordering; the migration
that split the one global chain left the rows written before it verifiable."""

import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.threads import run_in_threads
from yichuang.accounts import services as acc
from yichuang.accounts.constants import CentreLevel
from yichuang.audit.models import INSTALLATION_CHAIN, AuditChainHead, AuditEvent
from yichuang.audit.services import (
    GENESIS,
    ChainCheck,
    audit_record,
    audit_verify,
    audit_verify_all,
    chain_of,
    event_digest,
    genesis,
)


def two_centres():
    a = acc.centre_create(code="500101", name="万州区政务服务中心", level=CentreLevel.COUNTY)
    b = acc.centre_create(code="500102", name="涪陵区政务服务中心", level=CentreLevel.COUNTY)
    return a, b


def fill(a, b, n=4):
    """n events in each of three chains: the installation's, A's and B's (A's and B's after their centre.create)."""
    for i in range(n):
        audit_record(actor=None, action="test.national", object_type="t", object_id=str(i), after={"i": i})
    for i in range(n - 1):
        audit_record(actor=None, action="test.a", centre=a, object_type="t", object_id=str(i), after={"i": i})
        audit_record(actor=None, action="test.b", centre=b, object_type="t", object_id=str(i), after={"i": i})


def verdicts() -> dict[int, tuple[bool, int | None]]:
    return {c.chain: (c.ok, c.seq) for c in audit_verify_all()}


@pytest.mark.django_db
@pytest.mark.parametrize("after", [
    {"说明": "中文，含“引号”与\\反斜杠", "n": 1.5, "nested": {"a": [1, None, True]}},
    None,
])
def test_the_stored_hash_is_event_digest(after):
    audit_record(actor=None, action="test.first", object_type="x", object_id="1", after={"k": "v"})
    ev = audit_record(actor=None, action="test.append", object_type="测试", object_id="42", before={"state": "a"},
                      after=after, address="10.0.0.1")
    stored = AuditEvent.objects.get(pk=ev.pk)
    expected = event_digest(prev_hash=stored.prev_hash, seq=stored.seq, at=stored.at, actor_id=None,
                            action="test.append", object_type="测试", object_id="42", before={"state": "a"},
                            after=after, address="10.0.0.1")
    assert stored.hash == ev.hash == expected
    assert stored.prev_hash == AuditEvent.objects.get(chain=stored.chain, seq=stored.seq - 1).hash
    head = AuditChainHead.objects.get(chain=stored.chain)
    assert (head.seq, head.hash) == (stored.seq, stored.hash)
    assert audit_verify() == (True, None, "ok")


@pytest.mark.django_db
def test_each_event_goes_to_its_centres_chain():
    a, b = two_centres()
    dept = acc.department_create(code="SCJG", name="市场监管局", centre=b)
    clerk = acc.user_create(username="clerk", password="x-secret-1", role="clerk", centre=a)
    audit_record(actor=clerk, action="test.by_clerk", object_type="t", object_id="1")  # no object: the actor's centre
    audit_record(actor=None, action="test.system", object_type="t", object_id="2")     # neither: the installation's
    chains = dict(AuditEvent.objects.values_list("action", "chain"))
    assert chains == {"centre.create": b.pk, "department.create": b.pk, "user.create": a.pk,
                      "test.by_clerk": a.pk, "test.system": INSTALLATION_CHAIN}
    assert chain_of(obj=dept, actor=clerk) == b.pk  # the object's centre before the actor's
    # each chain numbers its own events from 1, from its own genesis
    firsts = AuditEvent.objects.filter(seq=1).order_by("chain")
    assert [(e.chain, e.prev_hash) for e in firsts] == [
        (INSTALLATION_CHAIN, GENESIS), (a.pk, genesis(a.pk)), (b.pk, genesis(b.pk))]
    assert len({genesis(0), genesis(a.pk), genesis(b.pk)}) == 3
    assert list(AuditEvent.objects.filter(chain=b.pk).values_list("seq", flat=True)) == [1, 2]
    assert verdicts() == {0: (True, None), a.pk: (True, None), b.pk: (True, None)}


@pytest.mark.django_db
def test_tampering_is_named_in_its_chain_only():
    a, b = two_centres()
    fill(a, b)
    AuditEvent.objects.filter(chain=a.pk, seq=3).update(after={"i": 99})  # a hand edit in the database
    assert verdicts() == {0: (True, None), a.pk: (False, 3), b.pk: (True, None)}
    check = next(c for c in audit_verify_all() if c.chain == a.pk)
    assert "altered" in check.reason and f"centre {a.pk}" in check.reason


@pytest.mark.django_db
def test_tampering_with_the_hash_too_is_caught():
    a, b = two_centres()
    fill(a, b)
    # the last row rewritten with a hash recomputed to match: the head row still holds the old hash
    last = AuditEvent.objects.filter(chain=b.pk).order_by("-seq").first()
    forged = event_digest(prev_hash=last.prev_hash, seq=last.seq, at=last.at, actor_id=None, action="test.forged",
                          object_type=last.object_type, object_id=last.object_id, before=None, after=last.after,
                          address="", actor_name="")
    AuditEvent.objects.filter(pk=last.pk).update(action="test.forged", hash=forged)
    assert verdicts()[b.pk] == (False, last.seq + 1)
    assert verdicts()[a.pk] == (True, None)


@pytest.mark.django_db
def test_deletion_is_named_per_chain():
    a, b = two_centres()
    fill(a, b)
    AuditEvent.objects.filter(chain=b.pk, seq=2).delete()  # a gap
    AuditEvent.objects.filter(chain=INSTALLATION_CHAIN, seq=4).delete()  # the tail: only the head row knows
    v = verdicts()
    assert v == {0: (False, 4), a.pk: (True, None), b.pk: (False, 2)}
    reasons = {c.chain: c.reason for c in audit_verify_all()}
    assert "missing event 2" in reasons[b.pk]
    assert "events after 3 are missing" in reasons[0]


@pytest.mark.django_db
def test_a_chain_wholly_deleted_is_named():
    a, b = two_centres()
    fill(a, b)
    AuditEvent.objects.filter(chain=a.pk).delete()
    assert verdicts()[a.pk] == (False, 1)


@pytest.mark.django_db
def test_reordering_is_named():
    a, b = two_centres()
    fill(a, b)
    two, three = AuditEvent.objects.filter(chain=a.pk, seq__in=[2, 3]).order_by("seq")
    AuditEvent.objects.filter(pk=two.pk).update(seq=-1)  # swap the two rows' places (around the unique constraint)
    AuditEvent.objects.filter(pk=three.pk).update(seq=2)
    AuditEvent.objects.filter(pk=two.pk).update(seq=3)
    assert verdicts() == {0: (True, None), a.pk: (False, 2), b.pk: (True, None)}


@pytest.mark.django_db
def test_rows_moved_to_another_chain_are_named():
    a, b = two_centres()
    fill(a, b)
    # B's chain passed off as the chain of a centre that has none (or of the installation): its genesis differs
    AuditChainHead.objects.filter(chain=b.pk).delete()
    AuditEvent.objects.filter(chain=b.pk).update(chain=b.pk + 100)
    assert verdicts()[b.pk + 100] == (False, 1)


@pytest.mark.django_db
def test_verify_command_names_every_broken_chain():
    a, b = two_centres()
    fill(a, b)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "3 chains, 12 events verified" in out.getvalue()
    AuditEvent.objects.filter(chain=a.pk, seq=2).update(actor_name="mallory")
    AuditEvent.objects.filter(chain=b.pk, seq=3).delete()
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    assert exc.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert f"chain={a.pk}" in lines[0] and "seq=2" in lines[0] and "altered" in lines[0]
    assert f"chain={b.pk}" in lines[1] and "seq=3" in lines[1] and "missing" in lines[1]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_old_global_chain_verifiable_as_chain_zero():
    """Rows of the one global chain (before 0003) are chain 0 afterwards, their hashes untouched, still verified;
    the old head row (id 1) is chain 0's head, and the installation's events go on from it."""
    before, executor = ("audit", "0002_chainhead_prev_hash"), MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    executor.migrate([before])
    try:
        old = executor.loader.project_state([before]).apps
        old_event, old_head = old.get_model("audit", "AuditEvent"), old.get_model("audit", "AuditChainHead")
        prev = GENESIS
        for seq in range(1, 6):
            at = timezone.now()
            digest = event_digest(prev_hash=prev, seq=seq, at=at, actor_id=None, action="old.event", object_type="t",
                                  object_id=str(seq), before=None, after={"seq": seq}, address="")
            old_event.objects.create(seq=seq, at=at, action="old.event", object_type="t", object_id=str(seq),
                                     after={"seq": seq}, prev_hash=prev, hash=digest)
            old_head.objects.update_or_create(id=1, defaults={"seq": seq, "hash": digest, "prev_hash": prev})
            prev = digest
    finally:
        MigrationExecutor(connection).migrate(latest)
    assert audit_verify_all() == [ChainCheck(INSTALLATION_CHAIN, 5, True, None, "ok")]
    head = AuditChainHead.objects.get()
    assert (head.chain, head.seq, head.hash) == (INSTALLATION_CHAIN, 5, prev)
    ev = audit_record(actor=None, action="new.event", object_type="t", object_id="6")
    assert (ev.chain, ev.seq, ev.prev_hash) == (INSTALLATION_CHAIN, 6, prev)
    assert audit_verify() == (True, None, "ok")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_a_centres_append_does_not_wait_for_another_centres():
    """While one writer of centre A holds A's chain head (its transaction still open), an append for centre B
    completes at once; a second append for A waits (here: gives up after the lock timeout)."""
    a, b = two_centres()
    held, release, outcome = threading.Event(), threading.Event(), {}

    def hold_a():
        try:
            with transaction.atomic():
                audit_record(actor=None, action="test.hold", centre=a, object_type="t", object_id="held")
                held.set()
                release.wait(20)
        finally:
            connections.close_all()

    def append(centre, key):
        try:
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL lock_timeout = '1s'")
                audit_record(actor=None, action=f"test.{key}", centre=centre, object_type="t", object_id=key)
            outcome[key] = "appended"
        except OperationalError:
            outcome[key] = "waited"
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_a)
    holder.start()
    try:
        assert held.wait(20)
        for centre, key in ((b, "b"), (a, "a")):
            t = threading.Thread(target=append, args=(centre, key))
            t.start()
            t.join(30)
    finally:
        release.set()
        holder.join(30)
    assert outcome == {"b": "appended", "a": "waited"}
    assert audit_verify() == (True, None, "ok")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_concurrent_appends_keep_each_chain_linear():
    a, b = two_centres()

    def work(i):
        for k in range(15):
            audit_record(actor=None, action="test.concurrent", centre=(a, b, None)[i % 3], object_type="t",
                         object_id=f"{i}-{k}", after={"i": i, "k": k})

    run_in_threads(work, 6)
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 90
    assert verdicts() == {0: (True, None), a.pk: (True, None), b.pk: (True, None)}
    assert AuditEvent.objects.filter(chain=a.pk).count() == 31  # its centre.create and 30
