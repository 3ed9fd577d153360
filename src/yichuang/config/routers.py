"""Database router: KPI and report reads to the read replica, everything else to the primary.

Settings add it (``DATABASE_ROUTERS``) together with a ``replica`` database when ``YICHUANG_REPLICA_URL`` names
one (a PostgreSQL streaming replica of ``YICHUANG_DATABASE_URL``). Reads are sent there only inside
``yichuang.core.replica.reading_from_replica()`` and only outside a transaction on the primary; writes and
migrations never go there (a hot standby refuses them anyway). In tests the replica mirrors the test database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction

from yichuang.core.replica import REPLICA, replica_wanted


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if replica_wanted() and REPLICA in settings.DATABASES and transaction.get_autocommit(DEFAULT_DB_ALIAS):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's very rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
