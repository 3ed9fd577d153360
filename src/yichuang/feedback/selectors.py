"""Reads for the feedback pages and API, and the late ones the supervision desk escalates."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from yichuang.accounts.constants import Role
from yichuang.core.errors import NotFound, PermissionDeniedError

from .constants import ComplaintState, RectificationState
from .models import Complaint, Rectification

READERS = (Role.SUPERVISOR, Role.ADMIN)


def require_reader(user) -> None:
    """Supervisors and administrators read everything; others may not use the supervision desk."""
    if user is None or not user.is_authenticated or user.role not in READERS:
        raise PermissionDeniedError("只有效能监察和管理员可以查看。", "Only supervisors and administrators may view this.")


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


def rectifications_late(*, today: dt.date) -> list[Rectification]:
    """Not yet escalated and late: the callback past its day while still open, or the reply past the due date."""
    late = Q(state=RectificationState.OPEN, callback_due__lt=today) | Q(
        state__in=(RectificationState.OPEN, RectificationState.CALLED_BACK), due__lt=today)
    return list(Rectification.objects.filter(late, escalated_at__isnull=True).select_related("rating__case"))


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


def complaints_late(*, today: dt.date) -> list[Complaint]:
    """Open tickets past their due date, not yet escalated."""
    return list(Complaint.objects.filter(state=ComplaintState.OPEN, due__lt=today, escalated_at__isnull=True))
