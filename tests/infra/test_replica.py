"""KPI and report reads go to a read replica (issue 20, item 7), against a REAL streaming replica of the local
PostgreSQL that the test starts on another port (pg_basebackup -R, pg_ctl start as the postgres user).

With the replica's replay paused, a window added on the primary is missing from the KPI dashboard read through
the replica while the primary counts it — so the KPI really was read there; a write made inside
reading_from_replica() lands on the primary; once replay resumes, the KPI shows both new windows."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
from django.db import connection

from tests.hall.hall_world import build_hall
from yichuang.hall import services as hall
from yichuang.hall.models import Window

from .replica import streaming_replica, why_not
from .server import ROOT, field_keys

pytestmark = [pytest.mark.postgres]


def _probe(db_url: str, replica_url: str, centre_code: str, write: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YICHUANG_")}
    env.update({"YICHUANG_DATABASE_URL": db_url, "YICHUANG_REPLICA_URL": replica_url,
                "YICHUANG_FIELD_KEYS": field_keys(), "YICHUANG_LOG_LEVEL": "ERROR", "YICHUANG_JIEBA_WARM": "0"})
    run = subprocess.run([sys.executable, "-m", "tests.infra.replica_probe", centre_code, write], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_kpi_reads_go_to_the_streaming_replica_and_writes_to_the_primary():
    reason = why_not()
    if reason:
        pytest.skip(reason)
    w = build_hall()  # one window, committed on the primary
    s = connection.settings_dict
    auth = (s.get("USER") or "postgres") + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    db_url = f"postgres://{auth}@{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"
    t0 = time.monotonic()
    with streaming_replica() as replica:
        print(f"replica up in {time.monotonic() - t0:.1f} s")
        replica.wait_replayed(s["NAME"])
        replica.query(s["NAME"], "SELECT pg_wal_replay_pause()")
        hall.window_create(actor=None, centre=w["centre"], number="2")  # on the primary; the replica waits

        t1 = time.monotonic()
        seen = _probe(db_url, replica.url(s["NAME"]), w["centre"].code, write="3")
        print(f"probe {time.monotonic() - t1:.1f} s: {seen}")
        assert seen["replica_in_recovery"] is True
        assert seen["kpi_windows"] == 1, seen  # read on the paused replica
        assert seen["primary_windows"] == 3, seen  # the primary has window 2 and the probe's window 3
        assert seen["replica_queries"] > 0 and seen["primary_queries"] == 0, seen
        assert Window.objects.filter(pk=seen["written"], number="3").exists()

        replica.query(s["NAME"], "SELECT pg_wal_replay_resume()")
        lag = replica.wait_replayed(s["NAME"])
        after = _probe(db_url, replica.url(s["NAME"]), w["centre"].code)
        print(f"replayed {lag:.2f} s after resuming; then {after}")
        assert after["kpi_windows"] == 3 and after["replica_queries"] > 0, (after, lag)
