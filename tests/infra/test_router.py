"""The replica router's rules, on either database (the real replica is in test_replica.py): reads go to the
replica only inside reading_from_replica(), only when a replica is configured and only outside a transaction on
the primary; writes and migrations never."""

import pytest
from django.db import transaction

from yichuang.config.routers import ReplicaRouter
from yichuang.core.replica import reading_from_replica, replica_wanted
from yichuang.hall.models import Window


def test_without_a_replica_everything_is_the_primary(db):
    router = ReplicaRouter()
    with reading_from_replica():
        assert replica_wanted() and router.db_for_read(Window) == "default"
    assert not replica_wanted()
    assert router.db_for_write(Window) == "default"
    assert router.allow_migrate("default", "hall") and not router.allow_migrate("replica", "hall")


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_with_a_replica_only_marked_reads_outside_a_transaction_go_there(transactional_db, settings):
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    router = ReplicaRouter()
    assert router.db_for_read(Window) == "default"

    @reading_from_replica()
    def report():
        return router.db_for_read(Window)

    assert report() == "replica"
    with transaction.atomic():  # inside a transaction the primary answers: it must see its own writes
        assert report() == "default"
    with reading_from_replica():
        assert router.db_for_write(Window) == "default"
    assert router.db_for_read(Window) == "default"  # the mark ends with the block
