"""Reads: the department inbox, case detail, history and the public progress lookup."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.core.errors import NotFound, PermissionDeniedError
from yichuang.core.validators import mask_id_number
from yichuang.workcal.workdays import add_workdays, workdays_between

from .constants import CaseState as S
from .constants import Light, MaterialStatus
from .deadline import light, remaining_workdays
from .models import Case

CLOCK_STATES = (S.ACCEPTED, S.SUSPENDED)


def case_get(*, number: str) -> Case:
    case = Case.objects.select_related("matter__department", "centre", "handling_centre", "matter_version") \
        .filter(number=(number or "").strip()).first()
    if case is None:
        raise NotFound("办件不存在。", "No such case.")
    return case


def case_visible_to(*, user, case: Case) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.APPLICANT:
        return bool(user.id_number) and user.id_number == case.applicant_id_number
    if user.role == Role.APPROVER:
        return user.department_id == case.matter.department_id
    if user.role in (Role.CLERK, Role.GUIDE, Role.ISSUER) and user.centre_id:
        # Front office: cases received here or handled here (跨域通办: both centres), or under this centre.
        return user.centre_id in _centre_lineage(case.centre) | _centre_lineage(case.handling_centre)
    return True


def _centre_lineage(centre) -> set[int]:
    return {centre.pk, *(c.pk for c in centre.ancestors())}


def case_get_for(*, user, number: str) -> Case:
    case = case_get(number=number)
    if not case_visible_to(user=user, case=case):
        raise PermissionDeniedError("您无权查看该办件。", "You may not view this case.")
    return case


def case_light(*, case: Case, today: dt.date | None = None) -> Light | None:
    if case.state not in CLOCK_STATES or case.due_date is None:
        return None
    today = today or timezone.localdate()
    return light(due_date=effective_due_date(case=case, today=today), today=today,
                 limit_days=case.promised_days + case.extension_days)


def effective_due_date(*, case: Case, today: dt.date) -> dt.date | None:
    """The due date as of today: while suspended the clock stands still, so the days of the open
    suspension so far push it back too."""
    if case.due_date is None:
        return None
    if case.state == S.SUSPENDED:
        open_susp = case.suspensions.filter(end_date__isnull=True).order_by("-start_date").first()
        if open_susp is not None:
            extra = max(workdays_between(open_susp.start_date, today).value, 0)
            return add_workdays(case.due_date, extra).value
    return case.due_date


def case_missing_items(*, case: Case) -> list[dict[str, Any]]:
    return [
        {"code": m.requirement_code, "name": m.name, "status": m.status,
         "status_label": MaterialStatus(m.status).label, "note": m.note}
        for m in case.materials.filter(status__in=(MaterialStatus.MISSING, MaterialStatus.INCORRECT,
                                                    MaterialStatus.TOLERANT)).exclude(necessity="optional")
    ]


def _deadline(case: Case, today: dt.date) -> dict[str, Any]:
    lt = case_light(case=case, today=today)
    due = effective_due_date(case=case, today=today)
    running = case.state in CLOCK_STATES
    return {
        "accepted_at": case.accepted_at, "due_date": due, "legal_due_date": case.legal_due_date,
        "deemed_accepted": case.deemed_accepted, "provisional": case.provisional,
        "remaining_workdays": remaining_workdays(due_date=due, today=today) if due and running else None,
        "legal_overdue": bool(running and case.legal_due_date and today > case.legal_due_date),
        "light": lt.value if lt else None, "light_label": lt.label if lt else None,
    }


INBOX_MAX = 200


def case_inbox(*, user, state: str | None = None, light_filter: str | None = None, matter_code: str | None = None,
               today: dt.date | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """The back-office inbox of the user's department (clerks: their centre; supervisors: all), by due date.

    One page of at most ``limit`` rows (≤ 200), ordered in SQL (due date, cases without one last), so the cost is
    that of one page whatever the size of the table. A light filter reads on in due-date order until the page is
    full."""
    limit = max(1, min(int(limit), INBOX_MAX))
    offset = max(0, int(offset))
    today = today or timezone.localdate()
    qs: QuerySet[Case] = Case.objects.select_related("matter")
    if user.role == Role.APPROVER:
        qs = qs.filter(matter__department_id=user.department_id)
    elif user.role in (Role.CLERK, Role.GUIDE, Role.ISSUER):
        qs = qs.filter(centre_id=user.centre_id) | qs.filter(handling_centre_id=user.centre_id)
    elif user.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDeniedError("您无权查看办件列表。", "You may not view the inbox.")
    if state:
        qs = qs.filter(state=state)
    else:
        qs = qs.exclude(state__in=(S.CLOSED, S.WITHDRAWN, S.NOT_ACCEPTED, S.DRAFT))
    if matter_code:
        qs = qs.filter(matter__implementation_code=matter_code)
    ordered = qs.order_by(F("due_date").asc(nulls_last=True), "received_at", "id")
    if not light_filter:
        ordered = ordered[offset:offset + limit]
    rows, skipped = [], 0
    for case in ordered.iterator(chunk_size=500):
        lt = case_light(case=case, today=today)
        if light_filter:
            if lt is None or lt.value != light_filter:
                continue
            if skipped < offset:
                skipped += 1
                continue
        rows.append({"number": case.number, "matter": case.matter.name, "applicant": case.applicant_name,
                     "state": case.state, "state_label": S(case.state).label, "due_date": case.due_date,
                     "light": lt.value if lt else None, "tolerant": case.tolerant, "received_at": case.received_at})
        if len(rows) >= limit:
            break
    return rows


def case_history(*, case: Case, with_staff: bool = True) -> list[dict[str, Any]]:
    out = []
    for t in case.transitions.select_related("actor").order_by("at", "id"):
        row = {"from_state": t.from_state, "to_state": t.to_state, "to_label": S(t.to_state).label, "at": t.at,
               "event": (t.data or {}).get("event", "transition")}
        if with_staff:
            row.update({"actor": str(t.actor) if t.actor else "系统", "reason": t.reason, "data": t.data})
        out.append(row)
    return out


def case_detail(*, case: Case, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "number": case.number, "state": case.state, "state_label": S(case.state).label,
        "matter_code": case.matter.implementation_code, "matter": case.matter.name,
        "matter_version": case.matter_version.number, "answers": case.answers,
        "department": case.matter.department.name, "centre": case.centre.code,
        "handling_centre": case.handling_centre.code, "channel": case.channel,
        "applicant_kind": case.applicant_kind, "applicant_name": case.applicant_name,
        "applicant_id_number": mask_id_number(case.applicant_id_number),
        "applicant_credit_code": case.applicant_credit_code, "contact_phone": case.contact_phone,
        "agent_name": case.agent_name, "form_data": case.form_data,
        "tolerant": case.tolerant, "tolerant_due": case.tolerant_due, "supplement_due": case.supplement_due,
        "visits": case.visits, "received_at": case.received_at,
        "promised_days": case.promised_days, "legal_days": case.legal_days,
        "suspended_workdays": case.suspended_workdays, "extension_days": case.extension_days,
        **_deadline(case, today),
        "materials": [
            {"code": m.requirement_code, "name": m.name, "necessity": m.necessity, "status": m.status,
             "medium": m.medium, "note": m.note, "has_upload": bool(m.upload), "content_type": m.content_type,
             "size": m.size}
            for m in case.materials.all()
        ],
        "notices": [{"kind": n.kind, "number": n.number, "created_at": n.created_at, "content": n.content,
                     "text": n.text} for n in case.notices.all()],
    }


# What the applicant reads: once the result is handed over (or posted), the case is done for them.
PUBLIC_LABELS = {S.ISSUED: "已办结（结果已送达）", S.CLOSED: "已办结", S.FORWARDED: "审查中", S.SUBMITTED: "已提交，待预审"}


def case_progress(*, number: str, id_last4: str, today: dt.date | None = None) -> dict[str, Any]:
    """办件进度查询 for applicants: number + last 4 characters of the ID number (or credit code).
    The same NotFound for an unknown number and a wrong code, so nothing leaks. No staff names."""
    today = today or timezone.localdate()
    case = Case.objects.select_related("matter").filter(number=(number or "").strip()).first()
    code = (id_last4 or "").strip().upper()
    ok = case is not None and len(code) == 4 and code == case.applicant_identifier[-4:].upper()
    if not ok:
        raise NotFound("未找到办件，请核对办件编号和证件号码后四位。",
                       "No case found; check the case number and the last four characters of the ID.")
    return {
        "number": case.number, "matter": case.matter.name, "state": case.state, "state_label": S(case.state).label,
        "public_label": PUBLIC_LABELS.get(case.state, S(case.state).label),
        "history": case_history(case=case, with_staff=False), "missing": case_missing_items(case=case),
        "supplement_due": case.supplement_due, "tolerant_due": case.tolerant_due, **_deadline(case, today),
    }


# Actions a page offers, with the state each leads to. The page shows only what the statemachine and the user's
# role allow; the services check again (and decide A/B posts, 受审分离 and the rest) when the form is sent.
ACTION_TARGETS: dict[str, tuple[tuple[str, ...], str]] = {
    # action: (from states, to state)
    "forward": ((S.RECEIVED, S.SUBMITTED), S.FORWARDED),
    "supplement_request": ((S.RECEIVED, S.SUBMITTED, S.FORWARDED), S.NEEDS_SUPPLEMENT),
    "tolerant": ((S.RECEIVED,), S.FORWARDED),
    "supplement": ((S.NEEDS_SUPPLEMENT,), ""),
    "accept": ((S.FORWARDED,), S.ACCEPTED),
    "not_accept": ((S.FORWARDED,), S.NOT_ACCEPTED),
    "decide_now": ((S.FORWARDED,), S.ACCEPTED),
    "suspend": ((S.ACCEPTED,), S.SUSPENDED),
    "resume": ((S.SUSPENDED,), S.ACCEPTED),
    "approve": ((S.ACCEPTED,), S.APPROVED),
    "deny": ((S.ACCEPTED,), S.DENIED),
    "ready": ((S.APPROVED, S.DENIED), S.READY),
    "issue": ((S.READY,), S.ISSUED),
    "close": ((S.ISSUED,), S.CLOSED),
    "withdraw": ((S.SUBMITTED, S.RECEIVED, S.NEEDS_SUPPLEMENT, S.FORWARDED), S.WITHDRAWN),
}


def _supplement_target(user) -> str:
    if user.role == Role.APPROVER:
        return S.FORWARDED
    if user.role == Role.APPLICANT:
        return S.SUBMITTED
    return S.RECEIVED


def case_actions(*, user, case: Case) -> list[str]:
    """The actions the case page offers ``user`` now (a hint for the page; the services decide)."""
    from .statemachine import TRANSITIONS

    if user is None or not user.is_authenticated:
        return []
    out = []
    for action, (froms, to) in ACTION_TARGETS.items():
        if case.state not in froms:
            continue
        to = to or _supplement_target(user)
        rule = TRANSITIONS.get((case.state, to))
        if rule is None or user.role not in rule.roles:
            continue
        if rule.department and user.department_id != case.matter.department_id:
            continue
        if action == "decide_now" and case.matter_version.snapshot.get("handling_kind") != "immediate":
            continue
        if action == "tolerant" and not case.materials.filter(necessity="tolerant",
                                                              status__in=(MaterialStatus.MISSING,
                                                                          MaterialStatus.INCORRECT)).exists():
            continue
        out.append(action)
    if (case.state in (S.ACCEPTED, S.SUSPENDED) and user.role == Role.APPROVER and not case.extension_days
            and user.department_id == case.matter.department_id):
        out.append("extend")
    staff = (Role.CLERK, Role.GUIDE, Role.APPROVER, Role.ISSUER)
    if user.role in (Role.CLERK, Role.GUIDE) and case.state in (S.RECEIVED, S.NEEDS_SUPPLEMENT):
        out.append("materials")
    elif user.role in staff and case.materials.filter(status=MaterialStatus.TOLERANT).exists() \
            and case.state not in (S.NOT_ACCEPTED, S.WITHDRAWN, S.CLOSED):
        out.append("tolerant_in")
    return out


def cases_of_applicant(*, user, limit: int = 100) -> list[Case]:
    """An applicant's own cases (by the ID number on the account), newest first."""
    if not getattr(user, "id_number", ""):
        return []
    return list(Case.objects.select_related("matter").filter(applicant_id_number=user.id_number)
                .order_by("-received_at")[:limit])
