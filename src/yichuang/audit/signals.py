"""Every sign-in, sign-out and failed sign-in goes to the audit chain (Django's auth signals, so every path that
signs in — the login page, the admin's, the API's session login — is covered without touching it). A failed
sign-in records the username tried, never the password."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from yichuang.core.net import client_ip

from .services import audit_record


def _address(request) -> str:
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in, dispatch_uid="audit-login")
def logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user, address=_address(request))


@receiver(user_logged_out, dispatch_uid="audit-logout")
def logged_out(sender, request, user, **kwargs):
    if user is not None:  # a sign-out without a session has nobody to name
        audit_record(actor=user, action="auth.logout", obj=user, address=_address(request))


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    audit_record(actor=None, action="auth.login_failed", object_type="accounts.user", object_id=username,
                 after={"username": username}, address=_address(request))
