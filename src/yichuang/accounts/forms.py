"""The staff login form with lockout."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import get_language

from .lockout import LoginLocked, client_ip, login_check, login_failed, login_succeeded


class LockoutAuthenticationForm(AuthenticationForm):
    locked = False

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        try:
            attempt = login_check(username=username, ip=ip)
        except LoginLocked as exc:
            self.locked = True
            raise forms.ValidationError(exc.localized(get_language()), code="locked") from None
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            login_failed(username=username, ip=ip, attempt=attempt)
            raise
        login_succeeded(username=username, ip=ip)
        return cleaned
