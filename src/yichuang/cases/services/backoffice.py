"""The back office: 流转 (front desk → back office), 受理 / 不予受理, 中止 and 恢复计时, 延期, and the decision
(准予 / 不予, 即办件 at once). The department and its A/B posts are checked by the door (:mod:`..posts`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import User
from yichuang.catalog.constants import HandlingKind
from yichuang.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from yichuang.core.validators import validate_credit_code
from yichuang.workcal.workdays import workdays_between

from .. import hooks
from ..constants import NoticeKind, SuspensionReason
from ..constants import CaseState as S
from ..deadline import clock_fields
from ..extension import extension_check
from ..models import Case, Notice, Suspension
from ..posts import department_check
from ..selectors import case_result_fields
from .door import _begin, _history, _lock, _today, _transition
from .materials import _blocking_items, _missing_error, case_supplement
from .notices import _acceptance_notice, _notice, _worded


@transaction.atomic
def case_forward(*, case: Case, actor: User, reason: str = "") -> Case:
    """流转: received → forwarded (front desk) or submitted → forwarded (online pre-review passed)."""
    locked = _begin(case=case, to=S.FORWARDED, actor=actor, with_materials=True)
    if locked.state == S.NEEDS_SUPPLEMENT:
        return case_supplement(case=locked, actor=actor, materials={})
    missing = _blocking_items(locked, allow_tolerant=locked.tolerant)
    if missing:
        raise _missing_error(missing, "流转")
    return _transition(locked=locked, to=S.FORWARDED, actor=actor, reason=reason, updates={"missing_items": []})


@transaction.atomic
def case_accept(*, case: Case, actor: User, today: dt.date | None = None, reason: str = "") -> Case:
    """受理: the clock starts today; 受理通知书."""
    today = today or _today()
    locked = _begin(case=case, to=S.ACCEPTED, actor=actor)
    if locked.state != S.FORWARDED:
        raise ConflictError("办件需先流转到后台才能受理。", "Forward the case before accepting it.", code="state")
    materials = list(locked.materials.all())
    missing = _blocking_items(locked, allow_tolerant=locked.tolerant, materials=materials)
    if missing:
        raise _missing_error(missing, "受理")
    locked = _transition(locked=locked, to=S.ACCEPTED, actor=actor, reason=reason,
                         updates={"accepted_by": actor, "accepted_at": today, **clock_fields(locked, today)})
    _acceptance_notice(locked, actor, materials)
    return locked


@transaction.atomic
def case_not_accept(*, case: Case, actor: User, reason: str, legal_basis: str) -> Notice:
    """不予受理, with the reason and the legal basis (不予受理通知书)."""
    reason, legal_basis = (reason or "").strip(), (legal_basis or "").strip()
    locked = _begin(case=case, to=S.NOT_ACCEPTED, actor=actor)
    if not reason:
        raise ValidationFailed("请填写不予受理的理由。", "The reason is required.", field="reason")
    if not legal_basis:
        raise ValidationFailed("请填写不予受理的法律依据。", "The legal basis is required.", field="legal_basis")
    locked = _transition(locked=locked, to=S.NOT_ACCEPTED, actor=actor, reason=reason,
                         data={"legal_basis": legal_basis}, updates={"decided_by": actor,
                                                                     "decided_at": timezone.now()})
    words = _worded(NoticeKind.NON_ACCEPTANCE, locked, reason=reason, legal_basis=legal_basis)
    notice = _notice(case=locked, kind=NoticeKind.NON_ACCEPTANCE, actor=actor, text=words["text"],
                     content={"reason": reason, "legal_basis": legal_basis, **words["content"]})
    # 一件事: the dependents cannot go on
    hooks.on_case_decided.fire(case=locked, approved=False, actor=actor, result_data={}, reason=reason)
    return notice


@transaction.atomic
def case_suspend(*, case: Case, actor: User, reason: str, note: str = "", today: dt.date | None = None) -> Case:
    """中止计时 for 现场勘验, 技术审查, 听证, 专家评审 or 公示."""
    if reason not in SuspensionReason.values:
        raise ValidationFailed("中止原因应为现场勘验、技术审查、听证、专家评审或公示。",
                               "The reason must be one of the statutory suspension reasons.", field="reason")
    today = today or _today()
    locked = _begin(case=case, to=S.SUSPENDED, actor=actor)
    susp = Suspension.objects.create(case=locked, reason=reason, note=note, start_date=today)
    locked = _transition(locked=locked, to=S.SUSPENDED, actor=actor, reason=SuspensionReason(reason).label,
                         data={"reason": reason, "note": note, "start": today.isoformat()})
    _notice(case=locked, kind=NoticeKind.SUSPENSION, actor=actor,
            **_worded(NoticeKind.SUSPENSION, locked, suspension=susp))
    return locked


@transaction.atomic
def case_resume(*, case: Case, actor: User, today: dt.date | None = None) -> Case:
    """恢复计时: the deadline moves by the working days suspended."""
    today = today or _today()
    locked = _begin(case=case, to=S.ACCEPTED, actor=actor)
    if locked.state != S.SUSPENDED:
        raise ConflictError("办件未中止计时。", "The case is not suspended.", code="state")
    susp = locked.suspensions.filter(end_date__isnull=True).order_by("-start_date").first()
    days = max(workdays_between(susp.start_date, today).value, 0) if susp else 0
    if susp:
        susp.end_date, susp.workdays = today, days
        susp.save()
    locked.suspended_workdays += days
    return _transition(locked=locked, to=S.ACCEPTED, actor=actor, reason="恢复计时",
                       data={"suspended_workdays": days},
                       updates={"suspended_workdays": locked.suspended_workdays,
                                **clock_fields(locked, locked.accepted_at)})


@transaction.atomic
def case_extend(*, case: Case, actor: User, days: int, approved_by: User, reason: str) -> Case:
    """延期 once, approved by a supervisor (效能监察) or administrator as the organ's head, within the law
    (:mod:`..extension`)."""
    locked = _lock(case)
    if actor is None or actor.role != Role.APPROVER:
        raise PermissionDeniedError("只有后台审批员可以申请延期。", "Only approvers may extend.", code="role")
    department_check(case=locked, actor=actor)
    extension_check(case=locked, actor=actor, days=days, approved_by=approved_by, reason=reason)
    locked.extension_days = days
    locked.extension_approved_by = approved_by
    for key, value in clock_fields(locked, locked.accepted_at).items():
        setattr(locked, key, value)
    locked.save()
    _history(case=locked, frm=locked.state, to=locked.state, actor=actor, reason=reason, action="case.extend",
             data={"event": "extend", "days": days, "approved_by": approved_by.pk,
                   "due": locked.due_date.isoformat()})
    return locked


# ---------------------------------------------------------------- the decision


def _decision_notice(case: Case, actor: User, approve: bool, opinion: str, legal_basis: str) -> Notice:
    words = _worded(NoticeKind.DECISION, case, approved=approve, opinion=opinion, legal_basis=legal_basis)
    return _notice(case=case, kind=NoticeKind.DECISION, actor=actor, text=words["text"],
                   content={"approved": approve, "opinion": opinion, "legal_basis": legal_basis,
                            "result_name": case.matter.result_name or "", **words["content"]})


@transaction.atomic
def case_decide(*, case: Case, actor: User, approve: bool, opinion: str = "", legal_basis: str = "",
                result_data: dict | None = None) -> Case:
    """准予 / 不予. ``result_data``: what the decision produces for others (e.g. the new 统一社会信用代码 of a
    设立登记), recorded on the history row and handed to the one-thing bundle the case belongs to, if any."""
    to = S.APPROVED if approve else S.DENIED
    locked = _begin(case=case, to=to, actor=actor)
    if not approve and not (opinion or "").strip():
        raise ValidationFailed("不予许可须说明理由。", "A denial needs its reasons.", field="opinion")
    if approve:
        result_data = _result_data_checked(locked, result_data)
    data = {"legal_basis": legal_basis} if legal_basis else {}
    if result_data:
        data["result_data"] = dict(result_data)
    locked = _transition(locked=locked, to=to, actor=actor, reason=opinion, data=data or None,
                         updates={"decided_by": actor, "decided_at": timezone.now()})
    if approve:  # the result licence, if any, for the holder the decision names
        hooks.on_case_approved.fire(case=locked, actor=actor, result_data=result_data)
    _decision_notice(locked, actor, approve, opinion, legal_basis)
    # 一件事: release or stop the dependent sub-cases
    hooks.on_case_decided.fire(case=locked, approved=approve, actor=actor, result_data=result_data or {},
                               reason=opinion)
    return locked


RESULT_FIELDS_EN = {"credit_code": "the unified social credit code"}


def _result_data_checked(case: Case, result_data: dict | None) -> dict:
    """What an approval produces (办结产出, see ``selectors.case_result_fields``): every required item given, a
    统一社会信用代码 valid by its check character (GB 32100-2015); blank values dropped."""
    given = {str(k): str(v).strip() for k, v in (result_data or {}).items() if str(v or "").strip()}
    # Only a licence needs a holder named by the decision; what a bundle's sub-case produces for the later
    # matters is checked by the bundle (bundles.services.bundle_case_decided) in this same transaction.
    fields = case_result_fields(case=case) if (case.matter_version.snapshot or {}).get("result_kind") == "licence" \
        else []
    missing = [f for f in fields if f["required"] and not given.get(f["code"])]
    if missing:
        labels = "、".join(f["label"] for f in missing)
        raise ValidationFailed(f"准予前请填写办理结果：{labels}（证照发给该主体，后续事项也将使用）。",
                               "Approving this case needs its result data: "
                               + ", ".join(RESULT_FIELDS_EN.get(f["code"], f["code"]) for f in missing) + ".",
                               field=missing[0]["code"], code="result_data_required",
                               details=[{"field": f["code"], "label": f["label"]} for f in missing])
    if given.get("credit_code"):
        given["credit_code"] = validate_credit_code(given["credit_code"], field="credit_code")
    return given


def case_approve(*, case: Case, actor: User, opinion: str = "", legal_basis: str = "",
                 result_data: dict | None = None) -> Case:
    """准予. ``result_data``: what the decision produces (the new 统一社会信用代码 of a 设立登记, see
    ``selectors.case_result_fields``)."""
    return case_decide(case=case, actor=actor, approve=True, opinion=opinion, legal_basis=legal_basis,
                       result_data=result_data)


def case_deny(*, case: Case, actor: User, opinion: str, legal_basis: str = "") -> Case:
    return case_decide(case=case, actor=actor, approve=False, opinion=opinion, legal_basis=legal_basis)


@transaction.atomic
def case_accept_and_decide(*, case: Case, actor: User, approve: bool = True, opinion: str = "",
                           legal_basis: str = "", result_data: dict | None = None,
                           today: dt.date | None = None) -> Case:
    """即办件: accepted and decided in one step (two history rows, one transaction); ``result_data`` as for
    ``case_approve`` (个体工商户设立登记 decided at once produces its credit code)."""
    locked = _lock(case)
    if locked.matter_version.snapshot.get("handling_kind") != HandlingKind.IMMEDIATE:
        raise ConflictError("只有即办件可以当场受理并办结。", "Only immediate matters are accepted and decided at once.",
                            code="not_immediate")
    locked = case_accept(case=locked, actor=actor, today=today, reason="即办件")
    return case_decide(case=locked, actor=actor, approve=approve, opinion=opinion, legal_basis=legal_basis,
                       result_data=result_data)
