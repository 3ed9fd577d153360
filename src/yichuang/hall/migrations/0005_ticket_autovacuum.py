"""Vacuum hall_ticket by the number of changed rows, not by a fraction of the table (PostgreSQL only).

Every call moves a ticket out of the waiting queue and leaves a dead entry at the head of the claim index
(hall_ticket_waiting), which the next calls step over until VACUUM removes it. PostgreSQL's default starts an
autovacuum when a fifth of the table has changed: with a year of closed tickets in the table that is hundreds of
thousands of calls, and calls get slower meanwhile. A fixed threshold of 2,000 changed rows keeps the head of the
index clean at any table size (tests/hall/test_migrations.py checks the setting).
"""

from django.db import migrations

OPTIONS = {"autovacuum_vacuum_scale_factor": "0", "autovacuum_vacuum_threshold": "2000",
           "autovacuum_analyze_scale_factor": "0.02"}


def _alter(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _alter(schema_editor, "ALTER TABLE hall_ticket SET (" + ", ".join(f"{k} = {v}" for k, v in OPTIONS.items()) + ")")


def backwards(apps, schema_editor):
    _alter(schema_editor, "ALTER TABLE hall_ticket RESET (" + ", ".join(OPTIONS) + ")")


class Migration(migrations.Migration):

    dependencies = [
        ("hall", "0004_fewer_ticket_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
