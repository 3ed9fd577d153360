"""Reads: bundle definitions (with the union form and checklist), bundle cases with composite status and deadline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.selectors import centre_lineage_ids
from yichuang.cases.constants import CaseState
from yichuang.cases.forms import form_masked
from yichuang.core.errors import NotFound, PermissionDeniedError
from yichuang.workcal.workdays import add_workdays

from . import union
from .constants import APPROVED_STATES, DONE_STATES, BundleCaseState, ItemStatus
from .critical import critical_path, projected_finish
from .dag import check_dag
from .models import Bundle, BundleCase


def bundle_list(*, active_only: bool = True) -> QuerySet[Bundle]:
    qs = Bundle.objects.prefetch_related("items__matter__department")
    return qs.filter(is_active=True) if active_only else qs


def bundle_get(*, code: str) -> Bundle:
    bundle = Bundle.objects.filter(code=(code or "").strip()).first()
    if bundle is None:
        raise NotFound(f"一件事“{code}”不存在。", f"No bundle {code!r}.")
    return bundle


def bundle_definition(*, bundle: Bundle) -> dict[str, Any]:
    """The definition the pure functions of ``union`` work on, from each matter's current version."""
    items = []
    for it in bundle.items.select_related("matter__department", "matter__result_licence_type").order_by("order", "id"):
        version = it.matter.versions.order_by("-number").first()
        snapshot = version.snapshot if version else {"implementation_code": it.matter.implementation_code,
                                                     "name": it.matter.name}
        items.append({"key": it.key, "name": it.matter.name, "matter_code": it.matter.implementation_code,
                      "department": it.matter.department.name, "requires": list(it.requires or []),
                      "field_map": dict(it.field_map or {}), "material_map": dict(it.material_map or {}),
                      "produces": dict(it.produces or {}), "snapshot": snapshot,
                      "promised_days": snapshot.get("promised_limit_days", it.matter.promised_limit_days),
                      "result_licence_type": it.matter.result_licence_type.code if it.matter.result_licence_type_id
                      else None})
    return {"code": bundle.code, "name": bundle.name, "fields": list(bundle.fields or []), "items": items}


def bundle_plan(*, defn: dict) -> dict[str, Any]:
    """Order, critical path and the waves in which sub-cases reach their departments."""
    requires = {it["key"]: it["requires"] for it in defn["items"]}
    durations = {it["key"]: it["promised_days"] for it in defn["items"]}
    total, path = critical_path(durations, requires)
    names = {it["key"]: it["name"] for it in defn["items"]}
    depth: dict[str, int] = {}
    for key in check_dag(requires, names):
        depth[key] = 1 + max([depth[p] for p in requires[key]], default=0)
    waves: dict[int, list[str]] = {}
    for key, d in depth.items():
        waves.setdefault(d, []).append(key)
    serial = sum(durations.values())
    return {"critical_days": total, "critical_path": path, "critical_names": [names[k] for k in path],
            "serial_days": serial, "waves": [waves[d] for d in sorted(waves)]}


def bundle_public(*, bundle: Bundle, answers: dict[str, str] | None = None) -> dict[str, Any]:
    """What the apply page and the API show: matters, order, questionnaire, union form, merged checklist."""
    defn = bundle_definition(bundle=bundle)
    answers = answers or {}
    names = {it["key"]: it["name"] for it in defn["items"]}
    return {
        "code": bundle.code, "name": bundle.name, "description": bundle.description,
        "items": [{"key": it["key"], "name": it["name"], "matter_code": it["matter_code"],
                   "department": it["department"], "requires": it["requires"], "promised_days": it["promised_days"],
                   "requires_names": [names[k] for k in it["requires"]], "produces": it["produces"]}
                  for it in defn["items"]],
        "plan": bundle_plan(defn=defn),
        "questionnaire": union.questionnaire(defn),
        "unanswered": [q["name"] for q in union.unanswered(defn, answers)],
        "fields": union.asked_fields(defn),
        "produced_fields": [f for f in union.shared_fields(defn) if f["produced_by"]],
        "checklist": union.merged_checklist(defn, answers) if not union.unanswered(defn, answers) else [],
    }


# ---------------------------------------------------------------- bundle cases


def bundle_case_get(*, number: str) -> BundleCase:
    parent = BundleCase.objects.select_related("bundle", "centre").filter(number=(number or "").strip()).first()
    if parent is None:
        raise NotFound("一件事办件不存在。", "No such bundle case.")
    return parent


def bundle_case_visible_to(*, user, parent: BundleCase) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.role == Role.APPLICANT:
        return bool(user.id_number) and user.id_number == parent.applicant_id_number
    if user.role == Role.APPROVER:
        return parent.items.filter(item__matter__department_id=user.department_id).exists()
    if user.role in (Role.CLERK, Role.GUIDE, Role.ISSUER) and user.centre_id:
        lineage = centre_lineage_ids(parent.centre_id)
        return user.centre_id in lineage or parent.items.filter(case__handling_centre_id=user.centre_id).exists()
    return True


def bundle_case_get_for(*, user, number: str) -> BundleCase:
    parent = bundle_case_get(number=number)
    if not bundle_case_visible_to(user=user, parent=parent):
        raise PermissionDeniedError("您无权查看该一件事办件。", "You may not view this bundle case.")
    return parent


def composite_state(rows: list[dict[str, Any]], issued: bool) -> tuple[str, str]:
    """The applicant's one status over the sub-cases."""
    if issued:
        return BundleCaseState.ISSUED, BundleCaseState.ISSUED.label
    if any(r["status"] == ItemStatus.WAITING for r in rows) or \
            any(r["status"] == ItemStatus.RELEASED and r["state"] not in DONE_STATES for r in rows):
        done = sum(1 for r in rows if r["status"] == ItemStatus.STOPPED or r["state"] in DONE_STATES)
        return BundleCaseState.IN_PROGRESS, f"办理中（{done}/{len(rows)} 项已办结）"
    return BundleCaseState.READY, BundleCaseState.READY.label


def bundle_case_detail(*, parent: BundleCase, today: dt.date | None = None, with_staff: bool = True
                       ) -> dict[str, Any]:
    today = today or timezone.localdate()
    pitems = list(parent.items.select_related("item__matter__department", "case__handling_centre", "case__centre")
                  .order_by("order", "id"))
    requires = {p.key: list(p.item.requires or []) for p in pitems}
    durations = {p.key: (p.case.promised_days if p.case_id else p.item.matter.promised_limit_days) for p in pitems}
    known: dict[str, dt.date] = {}
    for p in pitems:
        if p.case_id and p.case.decided_at:
            known[p.key] = timezone.localdate(p.case.decided_at)
        elif p.case_id and p.case.due_date:
            known[p.key] = p.case.due_date
        elif p.status == ItemStatus.STOPPED:
            known[p.key] = timezone.localdate(parent.created_at)
    start = timezone.localdate(parent.created_at)
    finish = projected_finish(requires=requires, durations=durations, known=known, start=start,
                              add_workdays=lambda d, n: add_workdays(d, n).value)
    total, path = critical_path(durations, requires)
    names = {p.key: p.item.matter.name for p in pitems}
    rows = []
    for p in pitems:
        case = p.case
        row = {"key": p.key, "matter": p.item.matter.name, "matter_code": p.item.matter.implementation_code,
               "department": p.item.matter.department.name, "requires": requires[p.key],
               "requires_names": [names[k] for k in requires[p.key]], "status": p.status,
               "status_label": ItemStatus(p.status).label, "case_number": case.number if case else None,
               "state": case.state if case else None,
               "state_label": CaseState(case.state).label if case else ItemStatus(p.status).label,
               "due_date": case.due_date if case else None, "projected_finish": finish.get(p.key),
               "handling_centre": case.handling_centre.name if case else None,
               "message": p.message, "result_data": p.result_data if with_staff or p.result_data else {},
               "on_critical_path": p.key in path, "promised_days": durations[p.key]}
        rows.append(row)
    state, label = composite_state(rows, parent.state == BundleCaseState.ISSUED)
    projected = max(finish.values()) if finish else None
    return {
        "number": parent.number, "bundle": parent.bundle.name, "bundle_code": parent.bundle.code,
        "centre": parent.centre.name, "channel": parent.channel, "applicant_name": parent.applicant_name,
        "state": state, "state_label": label, "items": rows, "messages": parent.messages,
        "critical_days": total, "critical_path": [names[k] for k in path], "due_date": parent.due_date,
        "projected_due_date": projected, "overdue": bool(projected and parent.state != BundleCaseState.ISSUED
                                                         and parent.due_date and today > parent.due_date),
        "provisional": parent.provisional,
        # ID and phone numbers masked, as on a case
        "form_data": form_masked(union.asked_fields(bundle_definition(bundle=parent.bundle)), parent.form_data)
        if with_staff else {},
        "materials": parent.materials, "produced": parent.produced, "ticket_number": parent.ticket_number,
        "produced_rows": [{"code": code, "label": label, "value": parent.produced[code]}
                          for p in pitems for code, label in (p.item.produces or {}).items() if code in parent.produced],
        "issued_at": parent.issued_at, "created_at": parent.created_at,
        "can_issue": state == BundleCaseState.READY,
        "approved": [r["key"] for r in rows if r["state"] in APPROVED_STATES],
    }


def bundle_cases_for(*, user, limit: int = 100) -> list[BundleCase]:
    """Bundle cases a user may see: an applicant's own, a clerk's centre's, an approver's department's."""
    qs = BundleCase.objects.select_related("bundle", "centre").order_by("-created_at")
    if user.role == Role.APPLICANT:
        if not user.id_number:
            return []
        qs = qs.filter(applicant_id_number=user.id_number)
    elif user.role == Role.APPROVER:
        qs = qs.filter(items__item__matter__department_id=user.department_id).distinct()
    elif user.role in (Role.CLERK, Role.GUIDE, Role.ISSUER):
        qs = (qs.filter(centre_id=user.centre_id) | qs.filter(items__case__handling_centre_id=user.centre_id)).distinct()
    return list(qs[:limit])


def bundle_progress(*, number: str, id_last4: str, today: dt.date | None = None) -> dict[str, Any]:
    """一件事进度查询 for applicants: the one number + the last 4 characters of the ID number (or credit code).
    The same NotFound for an unknown number and a wrong code; no staff names, no form data."""
    parent = BundleCase.objects.select_related("bundle", "centre").filter(number=(number or "").strip()).first()
    code = (id_last4 or "").strip().upper()
    # A company's bundle case opens with its credit code (as the notice prints it), a person's with the ID number.
    ident = "" if parent is None else (
        parent.applicant_credit_code if parent.applicant_kind == "company" and parent.applicant_credit_code
        else parent.applicant_id_number or parent.applicant_credit_code)
    if parent is None or len(code) != 4 or code != ident[-4:].upper():
        raise NotFound("未找到一件事办件，请核对编号和证件号码后四位。",
                       "No bundle case found; check the number and the last four characters of the ID.")
    d = bundle_case_detail(parent=parent, today=today, with_staff=False)
    return {k: d[k] for k in ("number", "bundle", "state", "state_label", "critical_days", "due_date",
                              "projected_due_date", "messages")} | {
        "items": [{k: r[k] for k in ("matter", "department", "state_label", "message", "projected_finish")}
                  for r in d["items"]]}
