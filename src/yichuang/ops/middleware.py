"""Request counting for /metrics and security headers on every response."""

from __future__ import annotations

import secrets

from . import metrics

# Content-Security-Policy: no framing, no plugins, no foreign <base>, forms post only to us, and scripts only from
# our static files or an inline <script nonce="{{ request.csp_nonce }}"> of this very answer (a name that closes a
# <script> and opens another cannot run). Style sources are left to the pages.
CSP = ("frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'; "
       "script-src 'self' 'nonce-{nonce}'")
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
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP.format(nonce=request.csp_nonce))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS)
        if "Cache-Control" not in response.headers and _private(request, response):
            response.headers["Cache-Control"] = "no-store"
        return response


def _private(request, response) -> bool:
    """An answer no browser or proxy may keep: every API answer, every page of a signed-in user, and every file or
    PDF (a scan, a notice, an export) and page reached with a case's query code, even without signing in. Public
    catalogue pages of the anonymous stay cacheable."""
    user = getattr(request, "user", None)
    if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
        return True
    ctype = response.headers.get("Content-Type", "")
    return ("code" in request.GET or "Content-Disposition" in response.headers
            or not ctype.startswith(("text/html", "text/css", "application/javascript", "text/javascript", "image/")))

