"""Reads: case detail, history, the actions a page offers and the public progress lookup; the department inbox
and the deadline light are :mod:`.inbox` (re-exported here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.selectors import centre_lineage_ids
from yichuang.core.errors import NotFound, PermissionDeniedError
from yichuang.core.validators import mask_id_number, mask_phone

from . import hooks
from .constants import CaseState as S
from .constants import MaterialStatus
from .deadline import remaining_workdays
from .forms import form_masked
from .inbox import INBOX_MAX, case_inbox, case_light, effective_due_date, inbox_querysets  # noqa: F401 (re-exported)
from .models import CLOCK_STATES, Case, CaseMaterial, Notice
from .statemachine import TRANSITIONS


def case_get(*, number: str) -> Case:
    case = Case.objects.select_related("matter", "department", "centre", "handling_centre", "matter_version") \
        .defer("matter_version__snapshot").filter(number=(number or "").strip()).first()
    if case is None:
        raise NotFound("办件不存在。", "No such case.")
    return case


def case_visible_to(*, user, case: Case) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.APPLICANT:
        return bool(user.id_number) and user.id_number == case.applicant_id_number
    if user.role == Role.APPROVER:
        return user.department_id == case.department_id
    if user.role in (Role.CLERK, Role.GUIDE, Role.ISSUER) and user.centre_id:
        # Front office: cases received here or handled here (跨域通办: both centres), or under this centre.
        if user.centre_id in (case.centre_id, case.handling_centre_id):
            return True  # the usual case, without the query up the centre tree
        return user.centre_id in centre_lineage_ids(case.centre_id, case.handling_centre_id)
    return True


def case_check_visible(*, user, case: Case) -> None:
    """Refuse a user who may not see the case (:func:`case_visible_to`)."""
    if not case_visible_to(user=user, case=case):
        raise PermissionDeniedError("您无权查看该办件。", "You may not view this case.")


def case_get_for(*, user, number: str) -> Case:
    case = case_get(number=number)
    case_check_visible(user=user, case=case)
    return case


_REF_FIELDS = ("id", "number", "department_id", "applicant_id_number", "centre_id", "handling_centre_id")


def case_materials(case: Case) -> list[CaseMaterial]:
    """The case's material rows in checklist order: read once and kept on the case (as ``prefetch_related``
    would keep them), unless they are kept already."""
    prefetch_related_objects([case], Prefetch("materials", queryset=CaseMaterial.objects.order_by("order", "id")))
    return list(case.materials.all())


def case_notices(case: Case) -> list[Notice]:
    """The case's notices, oldest first (read once and kept on the case, as :func:`case_materials`). A case
    locked by a service knows whether it has any (``has_notices``, kept true by the service that adds one)."""
    if getattr(case, "has_notices", True) is False:
        return []
    prefetch_related_objects([case], Prefetch("notices", queryset=Notice.objects.order_by("created_at", "id")))
    return list(case.notices.all())


def case_key_for(*, user, number: str) -> Case:
    """The case a step is about, by its number and not read yet: the step's service reads and locks it in one
    query and checks there, first, that ``user`` may see it (``services.door._lock``). For the services that lock the
    case before they look at it (forward, accept, decide); the others take :func:`case_ref_for`."""
    key = Case(number=(number or "").strip())
    key.viewer = user
    return key


def case_ref_for(*, user, number: str) -> Case:
    """The case a write is about, read narrowly (the service locks and re-reads the row), after the same
    visibility check as :func:`case_get_for`."""
    case = Case.objects.only(*_REF_FIELDS).filter(number=(number or "").strip()).first()
    if case is None:
        raise NotFound("办件不存在。", "No such case.")
    case_check_visible(user=user, case=case)
    return case


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
        "department": case.department.name, "centre": case.centre.code,
        "handling_centre": case.handling_centre.code, "channel": case.channel,
        "applicant_kind": case.applicant_kind, "applicant_name": case.applicant_name,
        "applicant_id_number": mask_id_number(case.applicant_id_number),
        "applicant_credit_code": case.applicant_credit_code, "contact_phone": mask_phone(case.contact_phone),
        "agent_name": case.agent_name,
        "form_data": form_masked((case.matter_version.snapshot or {}).get("form_fields"), case.form_data),
        "tolerant": case.tolerant, "tolerant_due": case.tolerant_due, "supplement_due": case.supplement_due,
        "visits": case.visits, "received_at": case.received_at,
        "promised_days": case.promised_days, "legal_days": case.legal_days,
        "suspended_workdays": case.suspended_workdays, "extension_days": case.extension_days,
        **_deadline(case, today),
        "materials": [
            {"code": m.requirement_code, "name": m.name, "necessity": m.necessity, "status": m.status,
             "medium": m.medium, "note": m.note, "has_upload": bool(m.upload), "content_type": m.content_type,
             "size": m.size}
            for m in case_materials(case)
        ],
        "notices": [{"kind": n.kind, "number": n.number, "created_at": n.created_at, "content": n.content,
                     "text": n.text} for n in case_notices(case)],
        # What approving must record (the approve/decide-now body's ``result_data``), while a decision is due.
        "result_fields": case_result_fields(case=case) if case.state == S.ACCEPTED or (
            case.state == S.FORWARDED and case.matter.handling_kind == "immediate") else [],  # 即办件: decide-now
    }


# What the applicant reads: once the result is handed over (or posted), the case is done for them.
PUBLIC_LABELS = {S.ISSUED: "已办结（结果已送达）", S.CLOSED: "已办结", S.FORWARDED: "审查中", S.SUBMITTED: "已提交，待预审"}


def case_progress(*, number: str, id_last4: str, today: dt.date | None = None) -> dict[str, Any]:
    """办件进度查询 for applicants: number + last 4 characters of the applicant's identifier — a person's ID
    number, a company's 统一社会信用代码 (``Case.applicant_identifier``, as the notices print it).
    The same NotFound for an unknown number and a wrong code, so nothing leaks. No staff names."""
    today = today or timezone.localdate()
    case = Case.objects.select_related("matter").filter(number=(number or "").strip()).first()
    code = (id_last4 or "").strip().upper()
    ok = case is not None and len(code) == 4 and code == case.applicant_identifier[-4:].upper()
    if not ok:
        raise NotFound("未找到办件，请核对办件编号和身份证号码（企业为统一社会信用代码）后四位。",
                       "No case found; check the case number and the last four characters of the ID number "
                       "(for a company, of the unified social credit code).")
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


# ---------------------------------------------------------------- what a decision produces (办结产出)

def case_result_fields(*, case: Case) -> list[dict[str, Any]]:
    """What approving ``case`` records for others, asked on the approve form and checked by the service:
    ``[{"code", "label", "required", "value"}]``, as the apps above cases say (``hooks.result_fields``: a one-thing
    bundle names what its sub-case produces for the later matters; the licence library asks for the new
    统一社会信用代码 of an organisation that has none yet, so that its licence goes to the company)."""
    result = hooks.ResultFields()
    hooks.result_fields.fire(case=case, result=result)
    return list(result.fields.values())
