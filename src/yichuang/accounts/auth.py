"""API authentication: a bearer token (``Authorization: Bearer <key>``) or the page session."""

from ninja.security import HttpBearer, SessionAuth

from .services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            request.api_token_key = token  # the key this call came with (DELETE /auth/token revokes it)
        return user


class StaffSessionAuth(SessionAuth):
    """The page session, for calls without a bearer token. A call that sends a token stands or falls by it:
    a wrong token is a 401, not a CSRF failure of the cookie-less session check."""

    def __call__(self, request):
        if request.META.get("HTTP_AUTHORIZATION", "").startswith("Bearer "):
            return None
        return super().__call__(request)


token_auth = TokenAuth()
api_auth = [token_auth, StaffSessionAuth()]
