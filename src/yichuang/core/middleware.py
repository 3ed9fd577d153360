import json
import re

from django.db import InternalError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .errors import DomainError, ValidationFailed, storage_error


class DomainErrorMiddleware:
    """A business-rule error that escapes a page view becomes a readable page, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InternalError)) and not request.path.startswith("/api/"):
            exception = storage_error(exception) or exception  # a full disk or read-only database: 503
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(
                request,
                "core/error.html",
                {"error": exception, "message": exception.localized(get_language())},
                status=exception.status,
            )
        return None


# NUL and the other control characters (tab, newline and carriage return aside): no text a person types has them,
# PostgreSQL refuses NUL outright (a 500 before), SQLite stores it, and a signed notice could not show them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _control_field(value, path: str = "") -> str | None:
    """The first field (dotted path) whose text holds a control character, else None."""
    if isinstance(value, str):
        return path or "body" if _CONTROL.search(value) else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and _CONTROL.search(key):
            return f"{path}.{key}".strip(".")
        found = _control_field(item, f"{path}.{key}".strip("."))
        if found:
            return found
    return None


class ControlCharacterMiddleware:
    """Refuses, with a 400 naming the field, any query parameter, form field or JSON field holding NUL or another
    control character, the same on SQLite and PostgreSQL, before it reaches a view or the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = _control_field({k: request.GET.getlist(k) for k in request.GET})
        if field is None and request.method in ("POST", "PUT", "PATCH"):
            ctype = request.content_type or ""
            if ctype == "application/json":
                try:
                    field = _control_field(json.loads(request.body or b"null"))
                except (ValueError, UnicodeDecodeError):
                    field = None  # the API's own parser answers a body that is not JSON
            elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                field = _control_field({k: request.POST.getlist(k) for k in request.POST})
        if field is None:
            return self.get_response(request)
        field = re.sub(r"\.\d+$", "", field)  # a form field's list index
        err = ValidationFailed(f"“{field}”含有不可见的控制字符（如 NUL），请删除后重试。",
                               f"Field {field!r} contains a control character (such as NUL); remove it and retry.",
                               code="control_character", field=field)
        if request.path.startswith("/api/"):
            return JsonResponse(err.as_dict(), status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "core/error.html", {"error": err, "message": err.localized(get_language())},
                      status=400)
