"""The hall's hot path: window calls answered straight from WSGI, ahead of Django's request machinery.

A clerk's call is the most frequent write of a centre and its answer is small, so the three calls

    POST /api/v1/hall/windows/<id>/call-next
    POST /api/v1/hall/windows/<id>/tickets/<ticket>/finish
    POST /api/v1/hall/windows/<id>/tickets/<ticket>/finish-and-call-next

with a bearer token, on PostgreSQL, are served here: the token is checked by ``accounts.services.
token_authenticate`` (the same cache and rules as the API), the role by ``hall.api.require_staff``, the work is
done by the same service functions the API endpoints call (``hall.services``: one prepared statement each), the
answer is the endpoint's ``TicketOut`` fields rendered by django-ninja's encoder, errors are the API's bilingual JSON,
and the response carries the headers the middleware would add. What it skips is the part that costs more than the
call itself on a 2-core machine: building a ``HttpRequest``, thirteen middleware, URL resolving and ninja's
operation dispatch.

Anything else, or anything it does not settle itself, goes to Django unchanged: no or an unknown token (401
there), SQLite, a plain-HTTP request where HTTPS is required, a database error before the call (Django reconnects
and answers). Turned off with ``YICHUANG_HALL_HOT_PATH=0``. ``tests/hall/test_hotpath.py`` checks that its
answers, errors and headers are those of the API.
"""

from __future__ import annotations

import json
import logging
import re
from http import HTTPStatus

from django.conf import settings
from django.db import DatabaseError, connection
from ninja.responses import NinjaJSONEncoder

from yichuang.accounts.services import token_authenticate
from yichuang.core.errors import DomainError
from yichuang.ops import metrics
from yichuang.ops.middleware import CSP, PERMISSIONS

from . import api, services

log = logging.getLogger(__name__)

ROUTE = re.compile(r"/api/v1/hall/windows/(\d{1,12})/(?:(call-next)|tickets/(\d{1,15})/(finish|finish-and-call-next))")


def _static_headers() -> list[tuple[str, str]]:
    headers = [("Content-Type", "application/json; charset=utf-8"), ("X-Frame-Options", settings.X_FRAME_OPTIONS),
               ("Content-Security-Policy", CSP), ("Permissions-Policy", PERMISSIONS),
               ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store")]
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return headers


class HallHotPath:
    """WSGI wrapper around Django's application (see the module text)."""

    def __init__(self, app):
        self.app = app
        self.enabled = bool(getattr(settings, "HALL_HOT_PATH", True))
        self.headers = _static_headers()
        hsts = int(getattr(settings, "SECURE_HSTS_SECONDS", 0) or 0)
        self.hsts = (f"max-age={hsts}" + ("; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else "")
                     if hsts else "")

    def __call__(self, environ, start_response):
        if (self.enabled and environ.get("REQUEST_METHOD") == "POST"
                and environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")):
            match = ROUTE.fullmatch(environ.get("PATH_INFO", ""))
            if match is not None and connection.vendor == "postgresql":
                secure = self._secure(environ)
                if secure or not settings.SECURE_SSL_REDIRECT:
                    answer = self.serve(environ, match)
                    if answer is not None:
                        return self._respond(start_response, *answer, secure=secure)
        return self.app(environ, start_response)

    @staticmethod
    def _secure(environ) -> bool:
        if environ.get("wsgi.url_scheme") == "https":
            return True
        header = settings.SECURE_PROXY_SSL_HEADER
        return bool(header) and environ.get(header[0]) == header[1]

    def _respond(self, start_response, status: int, body: bytes, *, secure: bool):
        headers = [*self.headers, ("Content-Length", str(len(body)))]
        if secure and self.hsts:
            headers.append(("Strict-Transport-Security", self.hsts))
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        metrics.request_count("POST", status)
        return [body]

    def serve(self, environ, match) -> tuple[int, bytes] | None:
        """(status, JSON body), or None to let Django answer."""
        if connection.in_atomic_block:  # never inside a request; stay out of anyone's transaction
            return None
        try:
            user = token_authenticate(environ["HTTP_AUTHORIZATION"][7:].strip())
        except DatabaseError:
            connection.close_if_unusable_or_obsolete()
            return None
        if user is None:
            return None  # Django answers 401
        window_id = int(match[1])
        try:
            api.require_staff(user)
            if match[2]:
                ticket = services.ticket_call_next(window=window_id, clerk=user)
            elif match[4] == "finish":
                ticket = services.ticket_finish(window=window_id, clerk=user, ticket=int(match[3]))
            else:
                ticket = services.ticket_finish_and_call_next(window=window_id, clerk=user, ticket=int(match[3]))
            # TicketOut's fields exactly (tests/hall/test_hotpath.py compares with the API's answer).
            data = {**api._out(ticket), "ahead": None, "estimated_wait_minutes": None}
            return 200, json.dumps(data, cls=NinjaJSONEncoder).encode()
        except DomainError as exc:
            return exc.status, json.dumps(exc.as_dict(), cls=NinjaJSONEncoder).encode()
        except DatabaseError:
            # A broken connection or a server restart. The statement is one transaction, so nothing half-done
            # is left; Django reconnects and answers (a finish that did commit is then refused as not active).
            log.warning("hall hot path: database error, handing the request to Django", exc_info=True)
            connection.close_if_unusable_or_obsolete()
            return None
