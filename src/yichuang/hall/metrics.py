"""The hall's gauge on /metrics, read from the database at scrape time (registered in apps.py)."""

from __future__ import annotations

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from .models import Ticket


class HallCollector:
    def collect(self):
        waiting = GaugeMetricFamily("yichuang_hall_waiting_tickets", "Tickets waiting in each centre's hall.",
                                    labels=["centre", "name"])
        for row in (Ticket.objects.filter(state="waiting").values("centre__code", "centre__name")
                    .annotate(n=Count("id")).order_by("centre__code")):
            waiting.add_metric([row["centre__code"], row["centre__name"]], row["n"])
        yield waiting
