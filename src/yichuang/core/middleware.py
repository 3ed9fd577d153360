from django.db import InternalError, OperationalError
from django.shortcuts import render
from django.utils.translation import get_language

from .errors import DomainError, storage_error


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
