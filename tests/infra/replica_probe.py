"""Run by tests/infra/test_replica.py in a process of its own, configured as a server is (YICHUANG_DATABASE_URL and
YICHUANG_REPLICA_URL): reads the KPI dashboard, counting the queries each database served, then makes a write
inside reading_from_replica(). Prints what it saw as JSON."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
django.setup()

from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yichuang.accounts.models import Centre
from yichuang.core.replica import reading_from_replica
from yichuang.hall import services as hall
from yichuang.hall.models import Window
from yichuang.supervision.kpi import kpi_dashboard


def main(centre_code: str, window_number: str) -> dict:
    today = timezone.localdate()
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        kpis = kpi_dashboard(start=today, end=today)
    with connections["replica"].cursor() as cur:
        cur.execute("SELECT pg_is_in_recovery()")
        replica_in_recovery = cur.fetchone()[0]
    written = None
    if window_number:
        with reading_from_replica():  # a write in the replica's context still goes to the primary
            written = hall.window_create(actor=None, centre=Centre.objects.get(code=centre_code),
                                         number=window_number).pk
    return {"kpi_windows": kpis["windows"], "primary_windows": Window.objects.count(),
            "replica_queries": len(on_replica), "primary_queries": len(on_primary),
            "replica_in_recovery": replica_in_recovery, "written": written}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")))
