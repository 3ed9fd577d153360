"""The move from supervision to feedback changes no row: a rating written through supervision's last state before
the move is read through feedback's model after it (the migrations are state-only, the table is the same)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.cases.conftest import build_world
from yichuang.feedback.models import Rating

BEFORE = [("supervision", "0002_kpi_open_snapshot_and_hist_columns"), ("feedback", None)]


@pytest.mark.django_db(transaction=True)
def test_a_rating_written_before_the_move_is_read_after_it(fast_hasher):
    w = build_world()
    executor = MigrationExecutor(connection)
    leaf = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE[:1]).apps
        assert not any(m._meta.app_label == "feedback" for m in old.get_models())
        OldRating = old.get_model("supervision", "Rating")
        assert OldRating._meta.db_table == "supervision_rating"
        pk = OldRating.objects.create(centre_id=w.centre.pk, channel="offline", level=2, comment="旧评价",
                                      created_at=timezone.now()).pk
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(leaf)
    rating = Rating.objects.get(pk=pk)
    assert (rating.level, rating.comment, rating.centre_id) == (2, "旧评价", w.centre.pk)
