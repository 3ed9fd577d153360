"""The client's address, in one place: the metrics allow-list, the login lockout, the rate limits and the audit
trail all ask ``client_ip(request)``.

Behind a reverse proxy every request's peer (REMOTE_ADDR) is the proxy. ``YICHUANG_TRUSTED_PROXIES`` (settings
``TRUSTED_PROXIES``, a comma-separated list of addresses or CIDR networks, empty by default) names the proxies
whose ``X-Forwarded-For`` is believed: the header is read from the right, skipping trusted proxies, and the first
address that is not one is the client. A peer that is not trusted is the client itself, whatever it sends.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple:
    nets = []
    for item in spec:
        item = item.strip()
        if item:
            try:
                nets.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                continue
    return tuple(nets)


def _trusted(addr: str) -> bool:
    spec = getattr(settings, "TRUSTED_PROXIES", ()) or ()
    if isinstance(spec, str):
        spec = spec.split(",")
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(spec)))


def client_ip(request) -> str:
    """The client's address (at most 45 characters), or "unknown"."""
    if request is None:
        return "unknown"
    peer = (request.META.get("REMOTE_ADDR") or "").strip()
    if peer and _trusted(peer):
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):
            try:
                ipaddress.ip_address(hop)
            except ValueError:
                break  # a malformed hop: stop at the last good trusted one
            peer = hop
            if not _trusted(hop):
                break
    return (peer or "unknown")[:45]
