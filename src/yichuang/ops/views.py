"""/healthz and /metrics."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from yichuang.accounts.constants import Role
from yichuang.accounts.services import token_authenticate
from yichuang.core.net import client_ip

from . import metrics

METRICS_ROLES = {Role.SUPERVISOR, Role.ADMIN}


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers a query, 503 otherwise (for load balancers and orchestrators)."""
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception as exc:  # noqa: BLE001 — any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable", "error": type(exc).__name__},
                            status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _ip_allowed(request) -> bool:
    addr = client_ip(request)
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    for item in settings.YICHUANG_METRICS_ALLOW:
        try:
            if ip in ipaddress.ip_network(item, strict=False):
                return True
        except ValueError:
            continue
    return False


def _staff_allowed(request) -> bool:
    user = getattr(request, "user", None)
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        user = token_authenticate(header[7:].strip())
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and (user.role in METRICS_ROLES or user.is_superuser))


@never_cache
@require_GET
def metrics_view(request):
    """Prometheus text format (OpenMetrics when the scraper asks for it); open to the addresses in
    ``YICHUANG_METRICS_ALLOW`` or a supervisor's/admin's token or session."""
    if not (_ip_allowed(request) or _staff_allowed(request)):
        return JsonResponse({"code": "forbidden", "message": "无权读取监控指标。",
                             "message_en": "You may not read the metrics."}, status=403)
    body, content_type = metrics.render(request.headers.get("Accept", ""))
    return HttpResponse(body, content_type=content_type)
