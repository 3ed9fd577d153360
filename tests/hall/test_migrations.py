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
