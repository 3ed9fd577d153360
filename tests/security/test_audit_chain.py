"""The audit chain: on PostgreSQL an event is appended in one statement that computes the hash in the database;
it must be the hash Python's event_digest gives, for any content, and stay linear under concurrent writers."""

import pytest
from django.db import connection

from tests.threads import run_in_threads
from yichuang.audit.models import AuditChainHead, AuditEvent
from yichuang.audit.services import _SEQ_MARK, audit_record, audit_verify, event_digest


@pytest.mark.django_db
@pytest.mark.parametrize("after", [
    {"说明": "中文，含“引号”与\\反斜杠", "n": 1.5, "nested": {"a": [1, None, True]}},
    {"seq": _SEQ_MARK, "text": f'"seq":{_SEQ_MARK}'},  # the split mark inside the content
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
    assert stored.prev_hash == AuditEvent.objects.get(seq=stored.seq - 1).hash
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash, head.prev_hash) == (stored.seq, stored.hash, stored.prev_hash)
    assert audit_verify() == (True, None, "ok")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_concurrent_appends_keep_one_linear_chain():
    def work(i):
        for k in range(15):
            audit_record(actor=None, action="test.concurrent", object_type="t", object_id=f"{i}-{k}",
                         after={"i": i, "k": k})

    run_in_threads(work, 6)
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 90
    assert audit_verify() == (True, None, "ok")
