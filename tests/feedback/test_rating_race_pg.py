"""20 ratings of one ticket at once (PostgreSQL): exactly one rating, at most one rectification."""

import threading

import pytest
from django.db import connection

from tests.threads import run_in_threads
from yichuang.core.errors import DomainError
from yichuang.feedback import services as fb
from yichuang.feedback.models import Rating, Rectification

from .conftest import decided_case, finished_ticket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 20


def _race(submit):
    start, lock, refused = threading.Barrier(N), threading.Lock(), []

    def work(i):
        start.wait()
        try:
            submit(i)
        except DomainError as exc:
            with lock:
                refused.append(exc.code)

    run_in_threads(work, N)
    return refused


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_twenty_concurrent_ratings_of_one_ticket_make_one(world):
    ticket, code = finished_ticket(world)
    codes = [code] * (N // 2) + [fb.rating_code_issue(ticket=ticket) for _ in range(N // 2)]  # same and other codes
    refused = _race(lambda i: fb.rating_submit(ticket=ticket, level=1, code=codes[i]))
    assert Rating.objects.filter(ticket=ticket).count() == 1
    assert Rectification.objects.count() == 1
    assert len(refused) == N - 1 and set(refused) <= {"rated", "code_used"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency")
def test_twenty_concurrent_ratings_of_one_case_make_one(world):
    case = decided_case(world)
    codes = [fb.rating_code_issue(case=case) for _ in range(N)]
    refused = _race(lambda i: fb.rating_submit(case=case, level=2, code=codes[i]))
    assert Rating.objects.filter(case=case).count() == 1
    assert Rectification.objects.count() <= 1
    assert len(refused) == N - 1
