"""Prometheus text exposition for /metrics.

Request counters live in the process (a ``Counter`` per method and status). With ``YICHUANG_REDIS_URL`` set
they are also added to one Redis hash, and /metrics then reports the cluster-wide totals, so every worker of a
multi-process deployment answers the same. Queue lengths and case figures are read from the database at scrape
time, so they are always the truth, whichever process answers.
"""

from __future__ import annotations

import threading
from collections import Counter

from django.conf import settings
from django.utils import timezone

_lock = threading.Lock()
_requests: Counter = Counter()
REDIS_KEY = "yichuang:metrics:http_requests"


def _redis():
    if not settings.YICHUANG_REDIS_URL:
        return None
    import redis

    return redis.Redis.from_url(settings.YICHUANG_REDIS_URL, socket_timeout=0.2, socket_connect_timeout=0.2)


def request_count(method: str, status: int) -> None:
    key = (method.upper()[:10], int(status))
    with _lock:
        _requests[key] += 1
    client = _redis()
    if client is not None:
        try:
            client.hincrby(REDIS_KEY, f"{key[0]}:{key[1]}", 1)
        except Exception:  # noqa: BLE001 — metrics never break a request
            pass


def request_counts() -> dict[tuple[str, int], int]:
    client = _redis()
    if client is not None:
        try:
            raw = client.hgetall(REDIS_KEY)
            out = {}
            for k, v in raw.items():
                method, status = k.decode().split(":")
                out[(method, int(status))] = int(v)
            return out
        except Exception:  # noqa: BLE001
            pass
    with _lock:
        return dict(_requests)


def reset() -> None:
    with _lock:
        _requests.clear()


def _esc(value) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def render() -> str:
    from django.db.models import Count

    from yichuang.cases.constants import CaseState as S
    from yichuang.cases.models import Case
    from yichuang.hall.models import Ticket

    lines: list[str] = []

    def family(name: str, kind: str, help_text: str, samples: list[tuple[dict, float]]):
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            label_text = ",".join(f'{k}="{_esc(v)}"' for k, v in labels.items())
            lines.append(f"{name}{{{label_text}}} {value}" if label_text else f"{name} {value}")

    family("yichuang_http_requests_total", "counter", "HTTP requests by method and status.",
           [({"method": m, "status": s}, n) for (m, s), n in sorted(request_counts().items())])

    waiting = (Ticket.objects.filter(state="waiting").values("centre__code", "centre__name")
               .annotate(n=Count("id")).order_by("centre__code"))
    family("yichuang_hall_waiting_tickets", "gauge", "Tickets waiting in each centre's hall.",
           [({"centre": r["centre__code"], "name": r["centre__name"]}, r["n"]) for r in waiting])

    closed = (S.CLOSED, S.WITHDRAWN, S.NOT_ACCEPTED, S.DRAFT)
    open_by_state = (Case.objects.exclude(state__in=closed).values("state").annotate(n=Count("id"))
                     .order_by("state"))
    family("yichuang_cases_open", "gauge", "Open cases by state.",
           [({"state": r["state"]}, r["n"]) for r in open_by_state])
    # The clock runs only while accepted: a suspended case's due date moves with the suspension.
    overdue = Case.objects.filter(state=S.ACCEPTED, due_date__lt=timezone.localdate()).count()
    family("yichuang_cases_overdue", "gauge", "Accepted cases past their promised due date (red light).",
           [({}, overdue)])
    return "\n".join(lines) + "\n"
