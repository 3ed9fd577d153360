"""Every write to the e-licence library (电子证照库), audited in the same transaction.

A licence is issued when a case whose matter's result is a licence is approved (:func:`licence_issue_for_case`,
called from ``cases.services.case_decide``); it can be suspended and reinstated, revoked and renewed. When a
case is received, the materials that a licence the applicant holds can satisfy are marked 免提交 and linked to
that licence (:func:`case_materials_link_licences`) — 《优化营商环境条例》: what can be checked through sharing
must not be asked for on paper.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre, Department, User
from yichuang.audit.services import audit_record
from yichuang.catalog.models import LicenceType
from yichuang.core.errors import ConflictError, NotFound, PermissionDeniedError, ValidationFailed
from yichuang.core.validators import validate_credit_code, validate_id_number

from . import selectors
from .constants import HolderKind, LicenceStatus
from .models import ELicence, LicenceSequence, LicenceUse


def _today() -> dt.date:
    return timezone.localdate()


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _default_valid_to(lt: LicenceType, valid_from: dt.date) -> dt.date | None:
    # A licence valid N years ends the day before the N-th anniversary (e.g. 2026-03-01 → 2031-02-28).
    if not lt.validity_years:
        return None
    return _add_years(valid_from, lt.validity_years) - dt.timedelta(days=1)


def licence_number_next(*, licence_type: LicenceType, division: str, year: int) -> str:
    """Type code + 6-digit division code + year + 5-digit yearly sequence, drawn under a row lock."""
    with transaction.atomic():
        LicenceSequence.objects.get_or_create(licence_type=licence_type, year=year)
        seq = LicenceSequence.objects.select_for_update().get(licence_type=licence_type, year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
        return f"{licence_type.code}{(division or '000000')[:6]}{year}{seq.last:05d}"


def _check_staff(actor: User | None, licence: ELicence | None = None) -> None:
    """Approvers of the issuing department and administrators manage licences; scheduled jobs may too."""
    if actor is None:
        return
    if actor.role == Role.ADMIN or actor.is_superuser:
        return
    if actor.role == Role.APPROVER and (licence is None or licence.issuer_id is None
                                        or licence.issuer_id == actor.department_id):
        return
    raise PermissionDeniedError("只有发证部门的审批人员或管理员可以管理电子证照。",
                                "Only approvers of the issuing department or administrators manage e-licences.",
                                code="role")


def _snapshot(lic: ELicence) -> dict:
    return {"number": lic.number, "type": lic.licence_type.code, "status": lic.status,
            "valid_from": lic.valid_from.isoformat(), "valid_to": lic.valid_to.isoformat() if lic.valid_to else None}


def _holder(kind: str, identifier: str) -> str:
    if kind == HolderKind.PERSON:
        return validate_id_number(identifier, field="holder_identifier")
    if kind == HolderKind.COMPANY:
        return validate_credit_code(identifier, field="holder_identifier")
    raise ValidationFailed("持证主体类型应为自然人或法人。", "Holder kind must be person or company.", field="holder_kind")


@transaction.atomic
def licence_issue(*, licence_type: LicenceType | str, holder_kind: str, holder_name: str, holder_identifier: str,
                  actor: User | None = None, issuer: Department | None = None, centre: Centre | None = None,
                  valid_from: dt.date | None = None, valid_to: dt.date | None = None, source_case=None,
                  data: dict | None = None) -> ELicence:
    """发证: put a new licence into the library."""
    if isinstance(licence_type, str):
        found = LicenceType.objects.select_related("issuing_department__centre").filter(code=licence_type).first()
        if found is None:
            raise NotFound(f"证照类型“{licence_type}”不存在。", f"Unknown licence type {licence_type!r}.",
                           field="licence_type")
        licence_type = found
    _check_staff(actor)
    holder_name = (holder_name or "").strip()
    if not holder_name:
        raise ValidationFailed("请填写持证主体名称。", "The holder's name is required.", field="holder_name")
    identifier = _holder(holder_kind, holder_identifier)
    issuer = issuer or licence_type.issuing_department
    if issuer is None:
        raise ValidationFailed("请指定发证部门。", "The issuing department is required.", field="issuer")
    centre = centre or issuer.centre
    valid_from = valid_from or _today()
    valid_to = valid_to if valid_to is not None else _default_valid_to(licence_type, valid_from)
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed("有效期截止日不能早于起始日。", "The validity ends before it starts.", field="valid_to")
    lic = ELicence.objects.create(
        licence_type=licence_type, number=licence_number_next(licence_type=licence_type, division=centre.code,
                                                              year=valid_from.year),
        holder_kind=holder_kind, holder_name=holder_name, holder_identifier=identifier, issuer=issuer,
        issuer_name=issuer.name, centre=centre, valid_from=valid_from, valid_to=valid_to,
        status=LicenceStatus.ACTIVE, source_case=source_case, data=data or {}, issued_at=timezone.now(),
        issued_by=actor)
    audit_record(actor=actor, action="licence.issue", obj=lic,
                 after={**_snapshot(lic), "holder": holder_name, "case": getattr(source_case, "number", None)})
    return lic


def _lock(licence: ELicence) -> ELicence:
    try:
        return ELicence.objects.select_for_update().select_related("licence_type").get(pk=licence.pk)
    except ELicence.DoesNotExist as exc:
        raise NotFound("电子证照不存在。", "No such e-licence.") from exc


def _set_status(*, licence: ELicence, actor: User | None, to: str, allowed_from: tuple[str, ...], reason: str,
                action: str, reason_required: bool = True) -> ELicence:
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ValidationFailed("请填写原因。", "The reason is required.", field="reason")
    lic = _lock(licence)
    _check_staff(actor, lic)
    if lic.status not in allowed_from:
        raise ConflictError(f"证照当前状态为“{LicenceStatus(lic.status).label}”，不能执行此操作。",
                            f"The licence is {lic.status}; this step is not allowed.", code="licence_state")
    before = _snapshot(lic)
    lic.status, lic.status_reason, lic.status_changed_at = to, reason[:300], timezone.now()
    lic.save(update_fields=["status", "status_reason", "status_changed_at"])
    audit_record(actor=actor, action=action, obj=lic, before=before, after={**_snapshot(lic), "reason": reason})
    return lic


@transaction.atomic
def licence_suspend(*, licence: ELicence, actor: User | None, reason: str) -> ELicence:
    """暂扣: a suspended licence no longer satisfies materials until reinstated."""
    return _set_status(licence=licence, actor=actor, to=LicenceStatus.SUSPENDED, allowed_from=(LicenceStatus.ACTIVE,),
                       reason=reason, action="licence.suspend")


@transaction.atomic
def licence_reinstate(*, licence: ELicence, actor: User | None, reason: str = "") -> ELicence:
    """恢复: a suspended licence becomes active again (unless its validity ended meanwhile)."""
    lic = _set_status(licence=licence, actor=actor, to=LicenceStatus.ACTIVE, allowed_from=(LicenceStatus.SUSPENDED,),
                      reason=reason or "恢复", action="licence.reinstate", reason_required=False)
    if lic.valid_to is not None and lic.valid_to < _today():
        return _set_status(licence=lic, actor=None, to=LicenceStatus.EXPIRED, allowed_from=(LicenceStatus.ACTIVE,),
                           reason="有效期届满", action="licence.expire")
    return lic


@transaction.atomic
def licence_revoke(*, licence: ELicence, actor: User | None, reason: str) -> ELicence:
    """撤销/注销: final; a revoked licence never satisfies a material again."""
    return _set_status(licence=licence, actor=actor, to=LicenceStatus.REVOKED,
                       allowed_from=(LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED, LicenceStatus.EXPIRED),
                       reason=reason, action="licence.revoke")


@transaction.atomic
def licence_renew(*, licence: ELicence, actor: User | None, valid_to: dt.date | None = None, source_case=None,
                  reason: str = "") -> ELicence:
    """延续: the same number, a new validity period from the day after the old one ends (or today if later)."""
    lic = _lock(licence)
    _check_staff(actor, lic)
    if lic.status not in (LicenceStatus.ACTIVE, LicenceStatus.EXPIRED):
        raise ConflictError(f"证照当前状态为“{LicenceStatus(lic.status).label}”，不能延续。",
                            f"A {lic.status} licence cannot be renewed.", code="licence_state")
    if lic.valid_to is None:
        raise ConflictError("长期有效的证照无需延续。", "A licence without an end date needs no renewal.",
                            code="no_end")
    start = max(lic.valid_to + dt.timedelta(days=1), _today())
    new_to = valid_to or _default_valid_to(lic.licence_type, start)
    if new_to is None or new_to <= lic.valid_to:
        raise ValidationFailed("延续后的有效期应晚于原有效期。", "The renewed validity must end later.", field="valid_to")
    before = _snapshot(lic)
    lic.valid_to, lic.status, lic.renewals = new_to, LicenceStatus.ACTIVE, lic.renewals + 1
    lic.status_reason, lic.status_changed_at = (reason or "延续")[:300], timezone.now()
    lic.save(update_fields=["valid_to", "status", "renewals", "status_reason", "status_changed_at"])
    audit_record(actor=actor, action="licence.renew", obj=lic, before=before,
                 after={**_snapshot(lic), "case": getattr(source_case, "number", None), "reason": reason})
    return lic


def licences_expire(*, today: dt.date | None = None) -> list[ELicence]:
    """Job: active or suspended licences whose validity ended become expired."""
    today = today or _today()
    done = []
    for pk in ELicence.objects.filter(status__in=(LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED),
                                      valid_to__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            lic = _lock(ELicence(pk=pk))
            if lic.status in (LicenceStatus.ACTIVE, LicenceStatus.SUSPENDED) and lic.valid_to and lic.valid_to < today:
                done.append(_set_status(licence=lic, actor=None, to=LicenceStatus.EXPIRED, allowed_from=(lic.status,),
                                        reason="有效期届满", action="licence.expire"))
    return done


# ---------------------------------------------------------------- hooks from cases


def _form_value(snapshot: dict, form_data: dict, test) -> str:
    for f in snapshot.get("form_fields") or []:
        code = f.get("code") or f.get("name")
        value = str((form_data or {}).get(code) or "").strip() if code else ""
        if value and test(f):
            return value
    return ""


def organisation_name(snapshot: dict, form_data: dict) -> str:
    """The organisation a case's form names (企业名称, 个体工商户名称, 经营者名称, 单位名称): the first text field
    whose label ends in 名称 and is filled."""
    return _form_value(snapshot, form_data, lambda f: (f.get("type") or "text") == "text"
                       and str(f.get("label") or "").endswith("名称"))


def form_credit_code(snapshot: dict, form_data: dict) -> str:
    """The 统一社会信用代码 a case's form carries (a field of type credit_code), if any."""
    return _form_value(snapshot, form_data, lambda f: f.get("type") == "credit_code").upper()


def licence_holder_for_case(*, case, result_data: dict | None = None) -> dict:
    """Who holds the licence a case produces: {"kind", "name", "identifier"}.

    A licence produced for an organisation goes to the organisation under its 统一社会信用代码, never to the legal
    representative who signed the application: the code the decision produced (设立登记: ``result_data``), else
    the company applicant's own, else the one its form carries (a restaurant's 食品经营许可 filed by its
    representative); the name is the organisation's as the form gives it. Otherwise the person who applied."""
    snapshot = case.matter_version.snapshot or {}
    form = case.form_data or {}
    org = organisation_name(snapshot, form)
    company = case.applicant_kind == "company" and bool(case.applicant_credit_code)
    produced = str((result_data or {}).get("credit_code") or "").strip().upper()
    if produced:
        name = str((result_data or {}).get("holder_name") or "").strip()
        return {"kind": HolderKind.COMPANY, "identifier": produced,
                "name": name or (case.applicant_name if company else org or case.applicant_name)}
    if company:
        return {"kind": HolderKind.COMPANY, "name": case.applicant_name, "identifier": case.applicant_credit_code}
    in_form = form_credit_code(snapshot, form)
    if in_form:
        return {"kind": HolderKind.COMPANY, "name": org or case.applicant_name, "identifier": in_form}
    return {"kind": HolderKind.PERSON, "name": case.applicant_name, "identifier": case.applicant_id_number}


def licence_issue_for_case(*, case, actor: User | None, result_data: dict | None = None) -> ELicence | None:
    """On approval (准予许可): a matter whose result is a licence puts it into the library, for the holder of
    :func:`licence_holder_for_case` (``result_data``: what the decision produced, e.g. the new credit code).

    The situation answer ``apply_type`` steers it: 延续 renews the holder's licence of that type, 注销 revokes it,
    anything else issues a new licence (变更 replaces the old one, which is revoked as 换发)."""
    snapshot = case.matter_version.snapshot or {}
    lt_info = snapshot.get("result_licence_type")
    if snapshot.get("result_kind") != "licence" or not lt_info:
        return None
    lt = LicenceType.objects.select_related("issuing_department").filter(code=lt_info["code"]).first()
    if lt is None:
        return None
    holder = licence_holder_for_case(case=case, result_data=result_data)
    kind, identifier = holder["kind"], holder["identifier"]
    current = selectors.licence_current(identifier=identifier, type_code=lt.code)
    apply_type = (case.answers or {}).get("apply_type")
    if apply_type == "renew" and current is not None and current.valid_to is not None:
        return licence_renew(licence=current, actor=None, source_case=case, reason=f"办件{case.number}准予延续")
    if apply_type == "cancel":
        if current is not None:
            return licence_revoke(licence=current, actor=None, reason=f"办件{case.number}准予注销")
        return None
    # Issued by the system on the approver's decision (recorded as ``decided_by``), not by a licence officer.
    lic = licence_issue(licence_type=lt, holder_kind=kind, holder_name=holder["name"],
                        holder_identifier=identifier, actor=None, issuer=case.matter.department,
                        centre=case.handling_centre, source_case=case,
                        data={"matter": case.matter.name, "matter_code": case.matter.implementation_code,
                              "answers": case.answers, "result_name": snapshot.get("result_name") or lt.name,
                              "decided_by": str(actor) if actor else ""})
    if current is not None:
        licence_revoke(licence=current, actor=None, reason=f"已换发新证 {lic.number}")
    return lic


def case_materials_link_licences(*, case) -> list[LicenceUse]:
    """After receipt: every 免提交 material that a valid library licence satisfies is linked to it."""
    by_code = {m["code"]: m.get("licence_type") for m in (case.matter_version.snapshot or {}).get("materials", [])}
    # An organisation holds licences under its credit code, even when the legal representative's ID is on the case.
    identifier = case.applicant_credit_code if case.applicant_kind == "company" else case.applicant_id_number
    uses = []
    for cm in case.materials.filter(status="exempt"):
        type_code = by_code.get(cm.requirement_code)
        lic = selectors.licence_current(identifier=identifier, type_code=type_code) if type_code else None
        if lic is None:
            continue
        uses.append(LicenceUse.objects.create(case_material=cm, licence=lic))
        cm.note = f"已有有效电子证照，免提交（{lic.licence_type.name} {lic.number}）"[:300]
        cm.medium = "electronic"
        cm.save(update_fields=["note", "medium"])
    if uses:
        audit_record(actor=None, action="case.licences_linked", obj=case,
                     after={u.case_material.requirement_code: u.licence.number for u in uses})
    return uses
