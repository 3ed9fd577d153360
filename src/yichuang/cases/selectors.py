"""Reads: the department inbox, case detail, history and the public progress lookup."""

from __future__ import annotations

import datetime as dt
import heapq
from typing import Any

from django.db import connection
from django.db.models import (DateField, ExpressionWrapper, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery,
                              prefetch_related_objects)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.selectors import centre_lineage_ids
from yichuang.core.errors import NotFound, PermissionDeniedError
from yichuang.core.validators import mask_id_number, mask_phone
from yichuang.workcal.workdays import add_workdays, workdays_between

from yichuang.catalog.models import Matter

from . import hooks
from .constants import CaseState as S
from .constants import Light, MaterialStatus
from .deadline import YELLOW_MIN_WORKDAYS, light, remaining_workdays
from .models import CLOCK_STATES, INBOX_CLOSED_STATES, Case, CaseMaterial, Notice, Suspension
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
        if hasattr(case, "open_suspension_start"):  # annotated by the inbox query
            start = case.open_suspension_start
        else:
            open_susp = case.suspensions.filter(end_date__isnull=True).order_by("-start_date").first()
            start = open_susp.start_date if open_susp is not None else None
        if start is not None:
            extra = max(workdays_between(start, today).value, 0)
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
# Light filters are exact in SQL for limits up to 3 × this many working days; beyond, SQL keeps a superset and
# the Python check below decides.
_LIGHT_MAX_K = 60
_INBOX_FIELDS = ("id", "number", "matter_id", "matter__name", "applicant_name", "state", "due_date", "tolerant",
                 "received_at", "promised_days", "extension_days")


# A suspended case's effective due date is its due date pushed back by the working days suspended so far. It can
# be today or later (not red) only if no working day lies between the due date and the start of the suspension,
# and no run of days off is longer than this.
_MAX_DAYS_OFF = 10


def _light_prefilter(light_filter: str, state: str, today: dt.date) -> Q:
    """A SQL condition every case in ``state`` (accepted or suspended) with ``light_filter`` today meets: exact for
    accepted cases, a superset for suspended ones (the Python check decides).

    With r the working days left after today (workdays_between) and L the limit (promised + extension days):
    red ⇔ due < today; yellow ⇔ today ≤ due and r ≤ K where K = max(2, L // 3); green ⇔ r > K; and
    r ≤ K ⇔ due < add_workdays(today, K + 1), one date per K (a CASE on K, see :func:`_yellow_bound`).
    A suspended case's clock stands still, so its effective due date is on or after ``due_date``: red needs
    ``due_date`` < today; yellow ``due_date`` < the bound; and neither yellow nor green is possible for a case that
    was already overdue when it was suspended (due date more than ``_MAX_DAYS_OFF`` days before the start)."""
    if light_filter == Light.RED:
        return Q(due_date__lt=today)
    bound = _yellow_bound(today)
    big = Q(_k__gt=_LIGHT_MAX_K)
    if state == S.SUSPENDED:
        not_red = Q(open_suspension_start__isnull=True) | Q(
            open_suspension_start__lte=ExpressionWrapper(F("due_date") + dt.timedelta(days=_MAX_DAYS_OFF),
                                                         output_field=DateField()))
        return not_red & (Q(due_date__lt=bound) | big) if light_filter == Light.YELLOW else not_red
    if light_filter == Light.YELLOW:
        return Q(due_date__gte=today) & (Q(due_date__lt=bound) | big)
    return Q(due_date__gte=add_workdays(today, YELLOW_MIN_WORKDAYS + 1).value) & (Q(due_date__gte=bound) | big)


def _k_sql() -> str:
    """K = max(2, (promised + extension days) // 3), the yellow threshold of a case in working days (integer
    division on both databases)."""
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    return (f'{greatest}({YELLOW_MIN_WORKDAYS}, ("cases_case"."promised_days" + "cases_case"."extension_days") / 3)')


def _limit_third():
    return RawSQL(_k_sql(), [], output_field=IntegerField())


def _yellow_bound(today: dt.date) -> RawSQL:
    """add_workdays(today, K + 1) for the case's K: the first due date that is no longer yellow. A simple CASE
    on K (computed once per row), one date per K up to ``_LIGHT_MAX_K``; NULL beyond."""
    days = [add_workdays(today, n + 1).value for n in range(YELLOW_MIN_WORKDAYS, _LIGHT_MAX_K + 1)]
    if connection.vendor != "postgresql":
        days = [d.isoformat() for d in days]
    whens = " ".join(f"WHEN {n} THEN %s" for n in range(YELLOW_MIN_WORKDAYS, _LIGHT_MAX_K + 1))
    cast = "::date" if connection.vendor == "postgresql" else ""
    sql = f"(CASE {_k_sql()} {whens} END){cast}"
    return RawSQL(sql, days, output_field=DateField())


def inbox_querysets(*, user, state: str | None = None, light_filter: str | None = None,
                    matter_code: str | None = None, today: dt.date | None = None) -> list[QuerySet[Case]]:
    """The inbox queries of :func:`case_inbox`, each in due-date order, not yet sliced: one query, or with a light
    filter one per state whose clock runs (each then reads one range of the (department, state, due date) index in
    order; the inbox is their merge). The benchmark EXPLAINs them."""
    today = today or timezone.localdate()
    qs: QuerySet[Case] = Case.objects.select_related("matter").only(*_INBOX_FIELDS)
    if user.role == Role.APPROVER:
        qs = qs.filter(department_id=user.department_id)
    elif user.role in (Role.CLERK, Role.GUIDE, Role.ISSUER):
        qs = qs.filter(Q(centre_id=user.centre_id) | Q(handling_centre_id=user.centre_id))
    elif user.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDeniedError("您无权查看办件列表。", "You may not view the inbox.")
    if matter_code:
        qs = qs.filter(matter_id=Subquery(Matter.objects.filter(implementation_code=matter_code).values("pk")[:1]))
    qs = qs.annotate(open_suspension_start=Subquery(
        Suspension.objects.filter(case_id=OuterRef("pk"), end_date__isnull=True).order_by("-start_date")
        .values("start_date")[:1]))
    order = (F("due_date").asc(nulls_last=True), "received_at", "id")
    if light_filter:
        states = [st for st in CLOCK_STATES if not state or st == state]
        qs = qs.alias(_k=_limit_third())
        return [qs.filter(Q(state=st) & _light_prefilter(light_filter, st, today)).order_by(*order) for st in states]
    qs = qs.filter(state=state) if state else qs.exclude(state__in=INBOX_CLOSED_STATES)
    return [qs.order_by(*order)]


def _batches(qs: QuerySet[Case], batch: int):
    """The rows of an ordered query, read one LIMITed batch at a time."""
    pos = 0
    while True:
        chunk = list(qs[pos:pos + batch])
        yield from chunk
        if len(chunk) < batch:
            return
        pos += batch


def _inbox_key(case: Case):
    return (case.due_date is None, case.due_date or dt.date.min,
            case.received_at or dt.datetime.min.replace(tzinfo=dt.UTC), case.pk)


def case_inbox(*, user, state: str | None = None, light_filter: str | None = None, matter_code: str | None = None,
               today: dt.date | None = None, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """The back-office inbox of the user's department (clerks: their centre; supervisors: all), by due date.

    One page of at most ``limit`` rows (≤ 200), ordered in SQL (due date, cases without one last), so the cost is
    that of one page whatever the size of the table: approvers read the handling department copied onto the case
    (``Case.department``) through the index (department, state, due date, …) or, unfiltered, the partial index of
    open cases; there is no count. A light filter is narrowed in SQL (exact for accepted cases, see
    :func:`_light_prefilter`) and checked in Python, reading on in due-date order until the page is full."""
    limit = max(1, min(int(limit), INBOX_MAX))
    offset = max(0, int(offset))
    today = today or timezone.localdate()
    queries = inbox_querysets(user=user, state=state, light_filter=light_filter, matter_code=matter_code,
                              today=today)
    if not light_filter:
        return [_inbox_row(c, case_light(case=c, today=today)) for c in queries[0][offset:offset + limit]]
    rows: list[dict[str, Any]] = []
    skipped, batch = 0, max(offset + limit + 1, 60)
    for case in heapq.merge(*(_batches(q, batch) for q in queries), key=_inbox_key):
        lt = case_light(case=case, today=today)
        if lt is None or lt.value != light_filter:
            continue
        if skipped < offset:
            skipped += 1
            continue
        rows.append(_inbox_row(case, lt))
        if len(rows) >= limit:
            break
    return rows


def _inbox_row(case: Case, lt: Light | None) -> dict[str, Any]:
    return {"number": case.number, "matter": case.matter.name, "applicant": case.applicant_name,
            "state": case.state, "state_label": S(case.state).label, "due_date": case.due_date,
            "light": lt.value if lt else None, "tolerant": case.tolerant, "received_at": case.received_at}


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
