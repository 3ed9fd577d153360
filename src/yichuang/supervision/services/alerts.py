"""督办: who is told when something runs late. The yellow/red deadline watch over cases, the escalation of late
rectifications and tickets (feedback keeps their deadlines; this tells the supervisors and the department lead),
department leads, and the inbox messages feedback's hooks ask for when a rectification or a ticket opens."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Department, User
from yichuang.audit.services import audit_record
from yichuang.cases.constants import CaseState as S
from yichuang.cases.constants import Light
from yichuang.cases.models import Case
from yichuang.cases.selectors import case_light
from yichuang.core.errors import PermissionDeniedError
from yichuang.feedback import selectors as feedback_selectors
from yichuang.feedback import services as feedback
from yichuang.feedback.constants import ComplaintKind, RatingLevel, RectificationState
from yichuang.feedback.models import Complaint, Rectification

from ..constants import NoticeLevel
from ..models import DepartmentLead
from .inbox import inbox_post


def _today() -> dt.date:
    return timezone.localdate()


def supervisors() -> list[User]:
    return list(User.objects.filter(role=Role.SUPERVISOR, is_active=True))


def _escalation(*, sups: list[User], leads: dict[int, User], department_id: int | None) -> list[User]:
    """Who hears of something late: the supervisors and the department's lead (each once)."""
    people = list(sups)
    if department_id in leads:
        people.append(leads[department_id])
    return list({u.pk: u for u in people}.values())


def _leads() -> dict[int, User]:
    return {lead.department_id: lead.user for lead in DepartmentLead.objects.select_related("user")}


def department_lead_set(*, department: Department, user: User, actor: User | None = None) -> DepartmentLead:
    """The department lead the late cases of a department escalate to (set by an administrator or the demo)."""
    if actor is not None and not (actor.is_superuser or actor.role == Role.ADMIN):
        raise PermissionDeniedError("只有管理员可以设置部门负责人。", "Only administrators set department leads.",
                                    code="role")
    lead, _ = DepartmentLead.objects.update_or_create(department=department, defaults={"user": user})
    audit_record(actor=actor, action="supervision.lead", obj=lead, after={"department": department.code,
                                                                           "user": user.username})
    return lead


# ---------------------------------------------------------------- deadline watch


def _approvers_of(case: Case) -> list[User]:
    if case.accepted_by_id:
        return [case.accepted_by]
    return list(User.objects.filter(role=Role.APPROVER, department_id=case.matter.department_id, is_active=True,
                                    is_absent=False))


def deadline_watch(*, today: dt.date | None = None) -> dict[str, int]:
    """Turn the lights: remind the responsible approver at yellow, escalate to the department lead and the
    supervisors at red. Each case is reminded once per colour."""
    today = today or _today()
    horizon = today + dt.timedelta(days=60)
    counts = {"yellow": 0, "red": 0}
    sups, leads = supervisors(), _leads()
    # the lights need no personal numbers: deferred, a row whose numbers do not decrypt still gets its light
    qs = (Case.objects.select_related("matter__department", "accepted_by")
          .defer("applicant_id_number", "contact_phone", "agent_id_number")
          .filter(state__in=(S.ACCEPTED, S.SUSPENDED), due_date__isnull=False, due_date__lte=horizon))
    for case in qs.iterator(chunk_size=500):
        lt = case_light(case=case, today=today)
        if lt not in (Light.YELLOW, Light.RED):
            continue
        link = f"/cases/{case.number}/"
        if lt == Light.YELLOW:
            title = f"黄灯预警：{case.number}（{case.matter.name}）将于{case.due_date:%m月%d日}到期"
            for user in _approvers_of(case):
                if inbox_post(user=user, title=title, level=NoticeLevel.YELLOW, link=link,
                              key=f"yellow:{case.number}"):
                    counts["yellow"] += 1
        else:
            title = f"红灯督办：{case.number}（{case.matter.name}）已超过承诺期限{case.due_date:%m月%d日}"
            people = _approvers_of(case) + _escalation(sups=sups, leads=leads,
                                                       department_id=case.matter.department_id)
            for user in {u.pk: u for u in people}.values():
                if inbox_post(user=user, title=title, level=NoticeLevel.RED, link=link, key=f"red:{case.number}"):
                    counts["red"] += 1
    return counts


# ---------------------------------------------------------------- late rectifications and tickets


def rectification_watch(*, today: dt.date | None = None) -> int:
    """Escalate overdue rectifications (callback or reply late) to the supervisors and the department lead."""
    today = today or _today()
    n = 0
    sups, leads = supervisors(), _leads()
    for rect in feedback_selectors.rectifications_late(today=today):
        what = "回访" if rect.state == RectificationState.OPEN and today <= rect.due else "整改"
        for user in _escalation(sups=sups, leads=leads, department_id=rect.department_id):
            inbox_post(user=user, title=f"整改超期：第{rect.pk}号差评{what}已超期", level=NoticeLevel.RED,
                       link=f"/supervision/rectifications/{rect.pk}/", key=f"rect-late:{rect.pk}")
        feedback.rectification_escalated(rect=rect)
        n += 1
    return n


def complaint_watch(*, today: dt.date | None = None) -> int:
    today = today or _today()
    n = 0
    sups = supervisors()
    for c in feedback_selectors.complaints_late(today=today):
        for user in sups:
            inbox_post(user=user, title=f"工单超期：{c.number}", level=NoticeLevel.RED,
                       link=f"/supervision/complaints/{c.number}/", key=f"complaint-late:{c.number}")
        feedback.complaint_escalated(complaint=c)
        n += 1
    return n


# ---------------------------------------------------------------- feedback's hooks (joined in SupervisionConfig)


def notify_rectification_opened(rect: Rectification) -> None:
    """A bad rating opened a rectification: tell the supervisors."""
    rating = rect.rating
    what = rating.case.number if rating.case_id else f"{rating.ticket.number} 号"
    for user in supervisors():
        inbox_post(user=user, title=f"差评整改：{what}（{RatingLevel(rating.level).label}）",
                   body=rating.comment, level=NoticeLevel.YELLOW, link=f"/supervision/rectifications/{rect.pk}/",
                   key=f"rect:{rect.pk}")


def notify_complaint_opened(complaint: Complaint) -> None:
    """A ticket was opened: tell the approvers of its department."""
    if complaint.department_id is None:
        return
    for user in User.objects.filter(role=Role.APPROVER, department_id=complaint.department_id, is_active=True):
        inbox_post(user=user, title=f"{ComplaintKind(complaint.kind).label}工单 {complaint.number}",
                   body=complaint.content, link=f"/supervision/complaints/{complaint.number}/",
                   key=f"complaint:{complaint.number}")
