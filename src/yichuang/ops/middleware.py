"""Request counting for /metrics and security headers on every response."""

from __future__ import annotations

from . import metrics

# Content-Security-Policy limited to what every page already satisfies (no framing, no plugins, no foreign
# <base>, forms post only to us); script and style sources are left to the pages.
CSP = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        metrics.request_count(request.method or "GET", response.status_code)
        return response


class SecurityHeadersMiddleware:
    """Adds what Django's SecurityMiddleware and XFrameOptionsMiddleware do not: CSP frame-ancestors,
    Permissions-Policy, and no-store for API answers (they may carry personal data). X-Content-Type-Options,
    Referrer-Policy and Cross-Origin-Opener-Policy are Django's (the SECURE_* settings)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        if request.path.startswith("/api/") and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
