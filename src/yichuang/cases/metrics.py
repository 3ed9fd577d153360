"""The cases app's gauges on /metrics, read from the database at scrape time (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .constants import CaseState as S
from .models import Case

NOT_OPEN = (S.CLOSED, S.WITHDRAWN, S.NOT_ACCEPTED, S.DRAFT)


class CaseCollector:
    def collect(self):
        open_cases = GaugeMetricFamily("yichuang_cases_open", "Open cases by state.", labels=["state"])
        for row in (Case.objects.exclude(state__in=NOT_OPEN).values("state").annotate(n=Count("id"))
                    .order_by("state")):
            open_cases.add_metric([row["state"]], row["n"])
        yield open_cases
        # The clock runs only while accepted: a suspended case's due date moves with the suspension.
        overdue = Case.objects.filter(state=S.ACCEPTED, due_date__lt=timezone.localdate()).count()
        yield GaugeMetricFamily("yichuang_cases_overdue",
                                "Accepted cases past their promised due date (red light).", value=overdue)
