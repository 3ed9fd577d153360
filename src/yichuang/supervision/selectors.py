"""Reads for supervision pages and API."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.cases.constants import CaseState as S
from yichuang.cases.models import Case
from yichuang.core.errors import NotFound, PermissionDeniedError

from .constants import ComplaintState, RectificationState
from .models import Complaint, InboxMessage, Rectification

READERS = (Role.SUPERVISOR, Role.ADMIN)


def require_reader(user) -> None:
    """Supervisors and administrators read everything; others may not use the supervision desk."""
    if user is None or not user.is_authenticated or user.role not in READERS:
        raise PermissionDeniedError("只有效能监察和管理员可以查看。", "Only supervisors and administrators may view this.")


def overdue_cases(*, limit: int = 100) -> list[Case]:
    today = timezone.localdate()
    return list(Case.objects.select_related("matter__department")
                .filter(state__in=(S.ACCEPTED, S.SUSPENDED), due_date__lt=today).order_by("due_date")[:limit])


def rectifications_open(*, user=None) -> list[Rectification]:
    qs = Rectification.objects.select_related("rating__case", "rating__ticket", "department") \
        .exclude(state=RectificationState.CLOSED)
    if user is not None and user.role == Role.APPROVER:
        qs = qs.filter(department_id=user.department_id)
    return list(qs.order_by("due", "id")[:200])


def rectification_get(*, pk: int, user) -> Rectification:
    r = Rectification.objects.select_related("rating__case", "rating__ticket", "department").filter(pk=pk).first()
    if r is None:
        raise NotFound("整改不存在。", "No such rectification.")
    if user.role == Role.APPROVER and user.department_id == r.department_id:
        return r
    require_reader(user)
    return r


def complaints(*, user, state: str | None = None) -> list[Complaint]:
    qs = Complaint.objects.select_related("department", "matter")
    if user.role == Role.APPROVER:
        qs = qs.filter(department_id=user.department_id)
    elif user.role not in READERS + (Role.GUIDE, Role.CLERK):
        raise PermissionDeniedError("您无权查看工单。", "You may not view tickets.")
    if state in ComplaintState.values:
        qs = qs.filter(state=state)
    return list(qs.order_by("state", "due", "id")[:300])


def complaint_get(*, number: str, user) -> Complaint:
    c = Complaint.objects.select_related("department", "matter").filter(number=number).first()
    if c is None:
        raise NotFound("工单不存在。", "No such ticket.")
    if user.role == Role.APPROVER and user.department_id != c.department_id:
        raise PermissionDeniedError("该工单不属于您的部门。", "This ticket belongs to another department.")
    if user.role not in READERS + (Role.GUIDE, Role.CLERK, Role.APPROVER):
        raise PermissionDeniedError("您无权查看工单。", "You may not view tickets.")
    return c


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
        from yichuang.core.errors import ValidationFailed
        raise ValidationFailed("日期格式应为 年-月-日。", "Dates must be YYYY-MM-DD.", field="start") from exc
    if s > e:
        s, e = e, s
    return s, e
