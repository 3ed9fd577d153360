"""What the case pages share: the staff check and date fields."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.views import redirect_to_login

from yichuang.accounts.constants import Role
from yichuang.core.errors import (
    PermissionDeniedError,
    ValidationFailed,
)


def _date(value: str, *, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise ValidationFailed(f"请填写正确的{label}（年-月-日）。", f"Give a valid {field} (YYYY-MM-DD).",
                               field=field) from exc


def _staff(request, roles=(Role.CLERK, Role.GUIDE)):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.role not in roles:
        raise PermissionDeniedError("您的角色不能使用此页面。", "Your role may not use this page.")
    return None
