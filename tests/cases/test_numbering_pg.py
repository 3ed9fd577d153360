"""Case numbers stay unique when several clerks receive at once (PostgreSQL row lock on the sequence)."""

import pytest
from django.db import connection

from tests.threads import run_in_threads

from .conftest import receive

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_concurrent_receives_get_unique_numbers(world):
    numbers = []
    run_in_threads(lambda i: numbers.append(receive(world, seq=100 + i).number), 6)
    assert len(numbers) == len(set(numbers)) == 6
    assert sorted(n[-4:] for n in numbers) == [f"{i:04d}" for i in range(1, 7)]
    from yichuang.audit.services import audit_verify

    assert audit_verify() == (True, None, "ok")  # the audit chain stayed linear under the concurrent writers
