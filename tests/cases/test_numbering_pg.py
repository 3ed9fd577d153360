"""Case numbers stay unique when several clerks receive at once (PostgreSQL row lock on the sequence)."""

import threading

import pytest
from django.db import connection, connections

from .conftest import receive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_concurrent_receives_get_unique_numbers(world):
    numbers, errors = [], []

    def work(i):
        try:
            numbers.append(receive(world, seq=100 + i).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(numbers) == len(set(numbers)) == 6
    assert sorted(n[-4:] for n in numbers) == [f"{i:04d}" for i in range(1, 7)]
    from yichuang.audit.services import audit_verify

    assert audit_verify() == (True, None, "ok")  # the audit chain stayed linear under the concurrent writers
