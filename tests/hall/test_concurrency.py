"""Many windows calling at once never get the same ticket (PostgreSQL: SELECT … FOR UPDATE SKIP LOCKED)."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections

from yichuang.core.errors import NotFound
from yichuang.hall import services
from yichuang.hall.constants import EventKind, TicketState
from yichuang.hall.models import Ticket, TicketEvent, Window

pytestmark = pytest.mark.postgres

N_TICKETS = 200
N_WINDOWS = 16


@pytest.mark.django_db(transaction=True)
def test_concurrent_call_next_claims_each_ticket_once(hall):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency proof runs on PostgreSQL only")
    pairs = []
    for i in range(N_WINDOWS):
        clerk = hall.clerk(domains=[hall.a, hall.b])
        pairs.append((hall.window(number=f"W{i:02d}", clerk_user=clerk), clerk))
    for i in range(N_TICKETS):
        services.ticket_issue(centre=hall.centre, domain=hall.a if i % 3 else hall.b)

    called: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(N_WINDOWS)

    def worker(window_id: int, clerk):
        try:
            window = Window.objects.get(pk=window_id)
            start.wait()
            while True:
                try:
                    ticket = services.ticket_call_next(window=window, clerk=clerk)
                except NotFound:
                    break
                with lock:
                    called.append(ticket.pk)
                services.ticket_finish(window=window, clerk=clerk, ticket=ticket)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(w.pk, c)) for w, c in pairs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors, errors
    counts = Counter(called)
    assert len(counts) == N_TICKETS, "a ticket was lost"
    assert max(counts.values()) == 1, "a ticket was called twice"
    assert not Ticket.objects.exclude(state=TicketState.DONE).exists()
    assert TicketEvent.objects.filter(kind=EventKind.CALLED).count() == N_TICKETS
    assert len({w for w in Ticket.objects.values_list("window_id", flat=True)}) > 1


@pytest.mark.django_db(transaction=True)
def test_double_click_at_one_window_calls_one_ticket(hall):
    """Two call-next at the same window at the same moment: one ticket is called, the other call is refused."""
    from yichuang.core.errors import ConflictError

    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL")
    clerk = hall.clerk(domains=[hall.a])
    window = hall.window(number="D1", clerk_user=clerk)
    for _ in range(10):
        services.ticket_issue(centre=hall.centre, domain=hall.a)
    for _round in range(5):
        outcomes: list = []
        start = threading.Barrier(4)

        def caller():
            try:
                start.wait()
                outcomes.append(services.ticket_call_next(window=window.pk, clerk=clerk).pk)
            except ConflictError:
                outcomes.append("refused")
            finally:
                connections.close_all()

        threads = [threading.Thread(target=caller) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        called = [o for o in outcomes if o != "refused"]
        assert len(called) == 1 and outcomes.count("refused") == 3, outcomes
        assert Ticket.objects.filter(window=window, state__in=["called", "serving"]).count() == 1
        services.ticket_finish(window=window.pk, clerk=clerk, ticket=called[0])
