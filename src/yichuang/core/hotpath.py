"""Hot paths: the most frequent API writes answered straight from WSGI, ahead of Django's request machinery.

A subclass names its routes (``ROUTE``, matched against the path of a POST with a bearer token), the setting that
turns it off and ``handle``, which does the work with the same services, token check, JSON encoder and bilingual
errors as the API endpoint. What is skipped is the part that costs more than a small write on a 2-core machine:
building an ``HttpRequest``, the middleware, URL resolving and django-ninja's operation dispatch. The response
carries the headers the middleware would add.

Anything a hot path does not settle itself goes to Django unchanged: no or an unknown token (401 there), SQLite, a
plain-HTTP request where HTTPS is required, a body the endpoint's schema refuses (Django gives its 422), and, where
``RETRY_IN_DJANGO`` allows it, a database error. Used by ``hall.hotpath`` (window calls) and ``cases.hotpath``
(收件, 流转); wired in ``config/wsgi.py``.
"""

from __future__ import annotations

import io
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

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024  # larger JSON bodies are Django's (its own limits and errors apply)


def _static_headers() -> list[tuple[str, str]]:
    headers = [("Content-Type", "application/json; charset=utf-8"), ("X-Frame-Options", settings.X_FRAME_OPTIONS),
               ("Content-Security-Policy", CSP), ("Permissions-Policy", PERMISSIONS),
               ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "no-store")]
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    return headers


def encode(data) -> bytes:
    """JSON as the API renders it."""
    return json.dumps(data, cls=NinjaJSONEncoder).encode()


class HotPath:
    """WSGI wrapper around another WSGI application (see the module text)."""

    ROUTE: re.Pattern
    SETTING: str  # the setting that turns this hot path off
    RETRY_IN_DJANGO = False  # on a database error, hand the request to Django (only for steps safe to repeat)

    def __init__(self, app):
        self.app = app
        self.enabled = bool(getattr(settings, self.SETTING, True))
        self.headers = _static_headers()
        hsts = int(getattr(settings, "SECURE_HSTS_SECONDS", 0) or 0)
        self.hsts = (f"max-age={hsts}" + ("; includeSubDomains" if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS else "")
                     if hsts else "")

    def __call__(self, environ, start_response):
        if (self.enabled and environ.get("REQUEST_METHOD") == "POST"
                and environ.get("HTTP_AUTHORIZATION", "").startswith("Bearer ")):
            match = self.ROUTE.fullmatch(environ.get("PATH_INFO", ""))
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

    @staticmethod
    def read_body(environ) -> bytes | None:
        """The request body, put back for Django to read again; None when it is not a small JSON body."""
        if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return None
        if length <= 0 or length > MAX_BODY:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body

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
        try:
            answer = self.handle(environ, match, user)
            return None if answer is None else (answer[0], encode(answer[1]))
        except DomainError as exc:
            return exc.status, encode(exc.as_dict())
        except DatabaseError:
            connection.close_if_unusable_or_obsolete()
            if self.RETRY_IN_DJANGO:
                # The step is one transaction, so nothing half-done is left; Django reconnects and answers.
                log.warning("hot path: database error, handing the request to Django", exc_info=True)
                return None
            log.exception("hot path: database error")
            return 503, encode({"code": "database_unavailable", "message": "数据库暂不可用，请稍后重试。",
                                "message_en": "The database is unavailable; try again shortly."})

    def handle(self, environ, match, user) -> tuple[int, object] | None:
        """(status, data to render as JSON), or None to let Django answer; a DomainError is the API's error."""
        raise NotImplementedError
