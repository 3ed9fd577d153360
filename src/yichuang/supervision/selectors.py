"""Reads for supervision pages and API. Who may read the desk (``require_reader``) is feedback's rule too, so it
lives there and is used here."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yichuang.cases.constants import CaseState as S
from yichuang.cases.models import Case
from yichuang.core.errors import ValidationFailed
from yichuang.feedback.selectors import READERS, require_reader

from .models import InboxMessage

__all__ = ["READERS", "inbox_of", "overdue_cases", "parse_range", "require_reader"]


def overdue_cases(*, limit: int = 100) -> list[Case]:
    today = timezone.localdate()
    return list(Case.objects.select_related("matter__department")
                .filter(state__in=(S.ACCEPTED, S.SUSPENDED), due_date__lt=today).order_by("due_date")[:limit])


def inbox_of(*, user, unread_only: bool = False, limit: int = 100) -> list[InboxMessage]:
    qs = InboxMessage.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return list(qs[:limit])


def parse_range(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        e = dt.date.fromisoformat(end) if end else today
        s = dt.date.fromisoformat(start) if start else e - dt.timedelta(days=29)
    except ValueError as exc:
        raise ValidationFailed("日期格式应为 年-月-日。", "Dates must be YYYY-MM-DD.", field="start") from exc
    if s > e:
        s, e = e, s
    return s, e
