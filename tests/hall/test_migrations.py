"""Storage settings the hall's migrations give its tables on PostgreSQL."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL storage parameters")
def test_ticket_table_is_vacuumed_by_a_fixed_number_of_changed_rows():
    # 0005: without it autovacuum waits for a fifth of the table to change, and dead entries of called tickets
    # pile up at the head of the claim index that every call reads.
    with connection.cursor() as cur:
        cur.execute("SELECT reloptions FROM pg_class WHERE relname = 'hall_ticket'")
        options = set(cur.fetchone()[0] or [])
    assert {"autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=2000"} <= options


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_a_windows_open_ticket_is_found_through_the_partial_unique_index():
    # 0006: hall_ticket keeps only the indexes the calls need (each one takes a new entry at every call and
    # finish); a window's open ticket is looked up through the index that holds only open tickets.
    from yichuang.hall.constants import ACTIVE_STATES
    from yichuang.hall.models import Ticket

    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'hall_ticket' ORDER BY indexname")
        names = [r[0] for r in cur.fetchall()]
        assert names == ["hall_one_active_ticket_per_window", "hall_ticket_number", "hall_ticket_pkey",
                         "hall_ticket_unique", "hall_ticket_waiting"]
        sql, params = Ticket.objects.filter(window_id=1, state__in=ACTIVE_STATES).values("id").query.sql_with_params()
        cur.execute("SET enable_seqscan = off")
        try:
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
        finally:
            cur.execute("RESET enable_seqscan")
    assert "hall_one_active_ticket_per_window" in plan
