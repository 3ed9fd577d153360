"""API authentication: a bearer token (``Authorization: Bearer <key>``) or the page session."""

from ninja.security import HttpBearer, SessionAuth

from .services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    pass


api_auth = [TokenAuth(), SessionAuth()]
