"""Windows and sign-in: creating windows, clerks' skills, a clerk taking or leaving a window, pause and close.
Each change is audited, and tells ``scarcity`` that the open windows changed."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yichuang.audit.services import audit_record
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed

from .. import scarcity
from ..constants import WindowState, WindowType
from ..eligibility import overlaps, window_view
from ..models import ClerkSkill, Window, WindowSession
from .checks import lock_window, require_no_active


@transaction.atomic
def window_create(*, actor, centre, number: str, window_type: str = WindowType.GENERAL, area: str = "",
                  domains: list[WindowDomain] | None = None, department=None) -> Window:
    if window_type not in WindowType.values:
        raise ValidationFailed(f"未知的窗口类型“{window_type}”。", f"Unknown window type {window_type}.",
                               field="window_type")
    if window_type == WindowType.DEPARTMENT and department is None:
        raise ValidationFailed("专业窗口须指定所属部门。", "A department window needs a department.", field="department")
    if window_type not in (WindowType.GENERAL, WindowType.DEPARTMENT) and not domains:
        raise ValidationFailed("该类型窗口须至少指定一个可办领域。", "This window type needs at least one domain.",
                               field="domains")
    if Window.objects.filter(centre=centre, number=number).exists():
        raise ConflictError(f"窗口号“{number}”已存在。", f"Window number {number} already exists.", field="number")
    window = Window.objects.create(centre=centre, number=number, window_type=window_type, area=area,
                                   department=department)
    if domains:
        window.domains.set(domains)
    audit_record(actor=actor, action="hall.window_create", obj=window, after={"number": number, "type": window_type})
    scarcity.changed(centre.pk)
    return window


@transaction.atomic
def skill_set(*, user, domains: list[WindowDomain] = (), matters: list[Matter] = (), level: str = "junior"
              ) -> ClerkSkill:
    skill, _ = ClerkSkill.objects.update_or_create(user=user, defaults={"level": level})
    skill.domains.set(domains)
    skill.matters.set(matters)
    scarcity.clerk_changed(user.pk)
    return skill


@transaction.atomic
def clerk_sign_in(*, window: Window, clerk, now: dt.datetime | None = None) -> WindowSession:
    """The clerk takes the window; it opens and serves its type ∩ the clerk's skills."""
    now = now or timezone.now()
    window = lock_window(window)
    if window.clerk_id and window.clerk_id != clerk.pk:
        raise ConflictError(f"{window}已有人员签到（{window.clerk}）。", "Another clerk is signed in at this window.")
    skill = ClerkSkill.objects.filter(user=clerk).first()
    if skill is None or (not skill.domains.exists() and not skill.matters.exists()):
        raise ValidationFailed("该窗口人员未配置任何业务技能，请先由管理员设置可办领域或事项。",
                               "This clerk has no skills (domains or matters); an administrator must set them.",
                               code="no_skill")
    window.clerk = clerk
    if not overlaps(window_view(window)):
        raise ValidationFailed("该人员的业务技能与本窗口可办范围没有交集，不能在此窗口签到。",
                               "The clerk's skills do not overlap what this window serves.", code="no_skill")
    left = list(Window.objects.filter(clerk=clerk).exclude(pk=window.pk))
    for other in left:
        require_no_active(other)
    WindowSession.objects.filter(clerk=clerk, ended_at__isnull=True).exclude(window=window).update(ended_at=now)
    Window.objects.filter(clerk=clerk).exclude(pk=window.pk).update(clerk=None, state=WindowState.CLOSED)
    session = WindowSession.objects.filter(window=window, ended_at__isnull=True).first()
    if session is None:
        session = WindowSession.objects.create(window=window, clerk=clerk, started_at=now)
    window.state = WindowState.OPEN
    window.save(update_fields=["clerk", "state"])
    audit_record(actor=clerk, action="hall.sign_in", obj=window, after={"clerk": clerk.pk})
    for centre_id in {window.centre_id, *(w.centre_id for w in left)}:
        scarcity.changed(centre_id)
    return session


@transaction.atomic
def clerk_sign_out(*, window: Window, clerk, now: dt.datetime | None = None) -> Window:
    now = now or timezone.now()
    window = lock_window(window)
    if window.clerk_id != clerk.pk:
        raise PermissionDeniedError("您未在该窗口签到。", "You are not signed in at this window.")
    require_no_active(window)
    WindowSession.objects.filter(window=window, ended_at__isnull=True).update(ended_at=now)
    window.clerk = None
    window.state = WindowState.CLOSED
    window.save(update_fields=["clerk", "state"])
    audit_record(actor=clerk, action="hall.sign_out", obj=window)
    scarcity.changed(window.centre_id)
    return window


@transaction.atomic
def window_set_state(*, window: Window, actor, state: str) -> Window:
    """Open, pause or close a window (pause: the clerk stays, nothing is called)."""
    window = lock_window(window)
    if state not in WindowState.values:
        raise ValidationFailed(f"未知的窗口状态“{state}”。", f"Unknown window state {state}.", field="state")
    if state == WindowState.OPEN and not window.clerk_id:
        raise ValidationFailed("窗口无人签到，不能开放。请先由窗口人员签到。",
                               "Nobody is signed in at this window; a clerk must sign in first.")
    if state == WindowState.CLOSED:
        require_no_active(window)
    before = window.state
    window.state = state
    window.save(update_fields=["state"])
    audit_record(actor=actor, action="hall.window_state", obj=window, before={"state": before}, after={"state": state})
    scarcity.changed(window.centre_id)
    return window
