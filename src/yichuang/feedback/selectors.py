"""Reads for the feedback pages and API, and the late ones the supervision desk escalates."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.core.errors import NotFound, PermissionDeniedError

from .constants import (
    BAD_LEVELS,
    SATISFIED_LEVELS,
    AppealState,
    ComplaintState,
    RectificationState,
)
from .models import Complaint, Rating, RatingAppeal, Rectification

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


# ---------------------------------------------------------------- 申诉复核


def _appeal_scope(qs, user, *, rating_prefix: str = "rating__"):
    """Supervisors and administrators see every appeal; a clerk those of ratings of them; an approver those of
    the department's ratings."""
    if user is None or not user.is_authenticated:
        raise PermissionDeniedError("请先登录。", "Sign in first.")
    if user.role in READERS:
        return qs
    if user.role == Role.CLERK:
        return qs.filter(**{f"{rating_prefix}clerk_id": user.pk})
    if user.role == Role.APPROVER:
        return qs.filter(**{f"{rating_prefix}department_id": user.department_id})
    raise PermissionDeniedError("您无权查看申诉。", "You may not view appeals.")


def appeals(*, user) -> list[RatingAppeal]:
    qs = RatingAppeal.objects.select_related("rating__case", "rating__ticket", "rating__department", "filed_by",
                                             "decided_by")
    return list(_appeal_scope(qs, user).order_by("state", "-filed_at", "-id")[:300])


def appeal_get(*, pk: int, user) -> RatingAppeal:
    qs = RatingAppeal.objects.select_related("rating__case", "rating__ticket", "rating__department", "filed_by",
                                             "decided_by")
    found = _appeal_scope(qs, user).filter(pk=pk).first()
    if found is None:
        raise NotFound("申诉不存在。", "No such appeal.")
    return found


def ratings_appealable(*, user) -> list[Rating]:
    """The bad ratings this clerk or department may still appeal (not yet appealed, not excluded)."""
    if user is None or not user.is_authenticated or user.role not in (Role.CLERK, Role.APPROVER):
        return []
    qs = Rating.objects.filter(level__in=BAD_LEVELS, appeal__isnull=True, excluded_at__isnull=True) \
        .select_related("case", "ticket")
    return list(_appeal_scope(qs, user, rating_prefix="").order_by("-created_at")[:100])


def rating_get(*, pk: int) -> Rating:
    r = Rating.objects.filter(pk=pk).first()
    if r is None:
        raise NotFound("评价不存在。", "No such rating.")
    return r


# ---------------------------------------------------------------- 好差评 公开 (monthly disclosure)

WINDOW_SERVICE = "窗口排队服务"


def disclosure_month(*, year: int, month: int) -> dict:
    """The month's 好差评 results and rectifications per department, for the public page: counts, the
    satisfaction rate and the rectified share, nothing personal. Follow-ups (复评) and ratings excluded by an
    upheld appeal are not counted; a rating of a window service (no department) counts under the centre."""
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1))
    rows: dict[tuple, dict] = {}
    qs = (Rating.objects.filter(created_at__gte=start, created_at__lt=end, followup_of__isnull=True,
                                excluded_at__isnull=True)
          .values_list("centre__name", "department__name", "level", "rectification__state"))
    for centre, dept, level, rect_state in qs.iterator(chunk_size=2000):
        row = rows.setdefault((centre, dept or WINDOW_SERVICE), {
            "centre": centre, "department": dept or WINDOW_SERVICE, "ratings": 0, "satisfied": 0, "bad": 0,
            "rectifications": 0, "rectified": 0})
        row["ratings"] += 1
        row["satisfied"] += level in SATISFIED_LEVELS
        row["bad"] += level in BAD_LEVELS
        if rect_state:
            row["rectifications"] += 1
            row["rectified"] += rect_state == RectificationState.CLOSED
    out = sorted(rows.values(), key=lambda r: (r["centre"], r["department"]))
    total = {k: sum(r[k] for r in out) for k in ("ratings", "satisfied", "bad", "rectifications", "rectified")}
    for r in [*out, total]:
        r["satisfaction_rate"] = round(r["satisfied"] / r["ratings"], 4) if r["ratings"] else None
        r["rectified_share"] = round(r["rectified"] / r["rectifications"], 4) if r["rectifications"] else None
    upheld = RatingAppeal.objects.filter(decided_at__gte=start, decided_at__lt=end, state=AppealState.UPHELD).count()
    return {"month": f"{year:04d}-{month:02d}", "rows": out, "total": total, "appeals_upheld": upheld}
