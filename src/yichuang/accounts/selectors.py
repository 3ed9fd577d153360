"""Reads about centres, departments and users that several apps share."""

from __future__ import annotations

from django.db import connection

from .models import Centre


def centre_lineage_ids(*centre_ids: int) -> set[int]:
    """These centres and all the centres above them (their jurisdiction chain), in one recursive query instead of
    one query per level."""
    table = Centre._meta.db_table
    marks = ", ".join(["%s"] * len(centre_ids))
    with connection.cursor() as cur:
        cur.execute(f"WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM {table} WHERE id IN ({marks}) "
                    f"UNION SELECT c.id, c.parent_id FROM {table} c JOIN up ON c.id = up.parent_id) SELECT id FROM up",
                    list(centre_ids))
        return {row[0] for row in cur.fetchall()}
