from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import render
from django.urls import resolve
from django.utils.translation import get_language

from .errors import DomainError


class DomainErrorMiddleware:
    """A business-rule error that escapes a page view becomes a readable page, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith("/api/"):
            return render(
                request,
                "core/error.html",
                {"error": exception, "message": exception.localized(get_language())},
                status=exception.status,
            )
        return None


class ApiTokenFastPath:
    """API calls with a bearer token skip the page middleware (sessions, CSRF, locale, messages).

    Such a call carries no cookie that matters: it authenticates by its token (``accounts.auth.TokenAuth``),
    CSRF does not apply to it, and its errors are JSON with both languages. Pages and API calls that rely on
    the session cookie still pass through the whole stack. Sits right after ``SecurityMiddleware`` so the
    security headers are still set; adds ``X-Frame-Options`` itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = "/" + getattr(settings, "API_FAST_PATH_PREFIX", "api/")

    def __call__(self, request):
        if request.path_info.startswith(self.prefix) and request.META.get(
                "HTTP_AUTHORIZATION", "").startswith("Bearer "):
            request.user = AnonymousUser()  # until the token says who it is (a bad token falls back to 401)
            match = resolve(request.path_info)
            request.resolver_match = match
            response = match.func(request, *match.args, **match.kwargs)
            if "X-Frame-Options" not in response:
                response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
            return response
        return self.get_response(request)
