"""The materials of a case: ticking them, scans, 补齐补正 (the supplement notice and the supplement) and 容缺受理
(items that may follow later on the applicant's written commitment)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from yichuang.accounts.constants import Role
from yichuang.accounts.models import User
from yichuang.audit.services import audit_record
from yichuang.catalog.constants import Necessity
from yichuang.core.errors import ConflictError, NotFound, PermissionDeniedError, ValidationFailed

from ..constants import Channel, MaterialMedium, MaterialStatus, NoticeKind
from ..constants import CaseState as S
from ..models import Case, CaseMaterial, Notice
from ..selectors import case_materials
from ..uploads import upload_read
from .credit import _has_bad_credit
from .door import _begin, _lock, _today, _transition
from .notices import _notice, _worded, notice_text

BLOCKING = (MaterialStatus.MISSING, MaterialStatus.INCORRECT)


def _material_entry(value: Any) -> dict:
    if isinstance(value, str):
        return {"status": value}
    if isinstance(value, bool):
        return {"status": MaterialStatus.PROVIDED if value else MaterialStatus.MISSING}
    return dict(value or {})


def _apply_material(cm: CaseMaterial, entry: dict) -> None:
    status = entry.get("status", MaterialStatus.PROVIDED)
    if status not in MaterialStatus.values:
        raise ValidationFailed(f"材料状态“{status}”无效。", f"Invalid material status {status!r}.", field="materials")
    medium = entry.get("medium") or cm.medium or (MaterialMedium.PAPER if status == MaterialStatus.PROVIDED else "")
    if medium and medium not in MaterialMedium.values:
        raise ValidationFailed(f"材料载体“{medium}”无效。", f"Invalid medium {medium!r}.", field="materials")
    cm.status, cm.medium = status, medium
    if "note" in entry:
        cm.note = str(entry["note"] or "")[:300]


def _blocking_items(case: Case | None, *, allow_tolerant: bool = False,
                    materials: list[CaseMaterial] | None = None) -> list[dict]:
    """Required items still missing or incorrect (tolerant items too, unless allowed), in checklist order.
    ``materials``: the case's rows when the caller already holds them (else they are read)."""
    statuses = set(BLOCKING) | (set() if allow_tolerant else {MaterialStatus.TOLERANT})
    if materials is None:
        materials = case_materials(case)  # kept on the case: its detail shows them too
    return [
        {"code": m.requirement_code, "name": m.name, "status": m.status, "note": m.note}
        for m in sorted(materials, key=lambda m: (m.order, m.pk or 0))
        if m.status in statuses and m.necessity != Necessity.OPTIONAL
    ]


def _missing_error(items: list[dict], verb: str) -> ValidationFailed:
    names = "、".join(f"{i['name']}（{MaterialStatus(i['status']).label}）" for i in items)
    verb_en = {"流转": "forward the case", "完成补正": "complete the supplement", "受理": "accept the case",
               "容缺受理（以下材料不可容缺）": "accept it with items missing (these may not be missing)"}.get(verb, "go on")
    return ValidationFailed(f"材料不齐，不能{verb}：{names}。", f"Materials incomplete; cannot {verb_en}.",
                            code="materials_incomplete", details=items)


EDITABLE_ALL = (S.RECEIVED, S.SUBMITTED, S.NEEDS_SUPPLEMENT)


@transaction.atomic
def case_materials_update(*, case: Case, actor: User, materials: dict[str, Any], visit: bool = False) -> Case:
    """Tick materials. Before forwarding any item may change; afterwards only tolerant (容缺) items may be
    handed in (status → provided)."""
    if actor is None or actor.role not in (Role.CLERK, Role.GUIDE, Role.APPROVER, Role.ISSUER):
        raise PermissionDeniedError("您不能修改办件材料。", "You may not change the materials of a case.", code="role")
    case = _lock(case)
    if case.state in (S.NOT_ACCEPTED, S.WITHDRAWN, S.CLOSED):
        raise ConflictError("办件已终结，不能修改材料。", "The case is closed.", code="closed")
    by_code = {m.requirement_code: m for m in case.materials.all()}
    before = {c: by_code[c].status for c in materials if c in by_code}
    for code, raw in materials.items():
        cm = by_code.get(code)
        if cm is None:
            raise ValidationFailed(f"材料“{code}”不在本件的材料清单中。", f"Unknown material {code!r}.",
                                   field="materials")
        entry = _material_entry(raw)
        if case.state not in EDITABLE_ALL:
            if cm.status != MaterialStatus.TOLERANT or entry.get("status", MaterialStatus.PROVIDED) != \
                    MaterialStatus.PROVIDED:
                raise ConflictError("办件已流转后台，只能补交容缺材料。",
                                    "After forwarding only tolerant items may be handed in.", code="locked_materials")
        elif entry.get("status") == MaterialStatus.TOLERANT and cm.status != MaterialStatus.TOLERANT:
            raise ValidationFailed("容缺须经容缺受理办理。", "Use tolerant acceptance to mark items tolerant.",
                                   field="materials")
        _apply_material(cm, entry)
        cm.save()
    updates = ["missing_items", "updated_at"]
    case.missing_items = _blocking_items(case, allow_tolerant=False)
    if case.tolerant and not case.materials.filter(status=MaterialStatus.TOLERANT).exists():
        case.tolerant_due = None
        updates.append("tolerant_due")
    if visit:
        case.visits += 1
        updates.append("visits")
    case.save(update_fields=updates)
    audit_record(actor=actor, action="case.materials", obj=case, before=before,
                 after={c: by_code[c].status for c in materials})
    return case


@transaction.atomic
def case_visit_record(*, case: Case, actor: User | None = None) -> Case:
    """Count one physical visit of the applicant (跑动次数)."""
    case = _lock(case)
    case.visits += 1
    case.save(update_fields=["visits", "updated_at"])
    audit_record(actor=actor, action="case.visit", obj=case, after={"visits": case.visits})
    return case


@transaction.atomic
def case_attach_upload(*, case: Case, actor: User | None, requirement_code: str, filename: str, file) -> CaseMaterial:
    """Store a scan of one material under MEDIA_ROOT/cases/<number>/; the content decides the type.
    ``file`` is bytes or a Django File/UploadedFile."""
    if actor is not None and actor.role not in (Role.CLERK, Role.GUIDE, Role.APPROVER, Role.ISSUER, Role.APPLICANT):
        raise PermissionDeniedError("您不能上传办件材料。", "You may not upload materials.", code="role")
    case = _lock(case)
    if actor is not None and actor.role == Role.APPLICANT and actor.id_number != case.applicant_id_number:
        raise PermissionDeniedError("只能操作本人的办件。", "Applicants may act only on their own cases.", code="not_own")
    if case.state in (S.NOT_ACCEPTED, S.WITHDRAWN, S.CLOSED, S.ISSUED):
        raise ConflictError("办件已终结，不能上传材料。", "The case is closed.", code="closed")
    cm = case.materials.filter(requirement_code=requirement_code).first()
    if cm is None:
        raise NotFound(f"材料“{requirement_code}”不在本件的材料清单中。", f"Unknown material {requirement_code!r}.",
                       field="requirement_code")
    if case.state not in EDITABLE_ALL and cm.status != MaterialStatus.TOLERANT:
        raise ConflictError("办件已流转后台，只能补交容缺材料。",
                            "After forwarding only tolerant items may be handed in.", code="locked_materials")
    content_type, safe_name, data = upload_read(file=file, filename=filename)
    if cm.upload:
        # Remove the replaced scan only once the new one is committed.
        old_name, storage = cm.upload.name, cm.upload.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    cm.upload.save(safe_name, ContentFile(data), save=False)
    cm.content_type, cm.size, cm.medium = content_type, len(data), MaterialMedium.ELECTRONIC
    if cm.status in BLOCKING or cm.status == MaterialStatus.TOLERANT:
        cm.status = MaterialStatus.PROVIDED
    cm.save()
    case.missing_items = _blocking_items(case)
    updates = ["missing_items", "updated_at"]
    if case.tolerant and not case.materials.filter(status=MaterialStatus.TOLERANT).exists():
        case.tolerant_due = None
        updates.append("tolerant_due")
    case.save(update_fields=updates)
    audit_record(actor=actor, action="case.upload", obj=case,
                 after={"material": requirement_code, "file": cm.upload.name, "type": content_type, "size": len(data)})
    return cm


# ---------------------------------------------------------------- 补齐补正, 容缺受理


@transaction.atomic
def case_request_supplement(*, case: Case, actor: User, due_date: dt.date, items: list[dict] | None = None,
                            note: str = "") -> Notice:
    """补齐补正通知书: tells the applicant every missing or incorrect item at once, with a due date."""
    locked = _begin(case=case, to=S.NEEDS_SUPPLEMENT, actor=actor)
    if due_date <= _today():
        raise ValidationFailed("补正期限应晚于今天。", "The due date must be after today.", field="due_date")
    by_code = {m.requirement_code: m for m in locked.materials.all()}
    for item in items or []:
        cm = by_code.get(str(item.get("code")))
        if cm is None:
            raise ValidationFailed(f"材料“{item.get('code')}”不在本件的材料清单中。",
                                   f"Unknown material {item.get('code')!r}.", field="items")
        problem = item.get("problem") or MaterialStatus.MISSING
        if problem not in BLOCKING:
            raise ValidationFailed("补正原因应为缺少或需补正。", "The problem must be missing or incorrect.",
                                   field="items")
        cm.status, cm.note = problem, str(item.get("note") or cm.note)[:300]
        cm.save()
    missing = _blocking_items(locked, allow_tolerant=False)
    if not missing:
        raise ValidationFailed("没有缺少或需补正的材料，无需补正。", "Nothing is missing or incorrect.", field="items")
    locked = _transition(locked=locked, to=S.NEEDS_SUPPLEMENT, actor=actor, reason=note,
                         data={"items": [i["code"] for i in missing], "due": due_date.isoformat()},
                         updates={"missing_items": missing, "supplement_due": due_date})
    text = notice_text("supplement", case=locked, due_date=due_date, note=note,
                       items=[{**i, "status_label": MaterialStatus(i["status"]).label} for i in missing])
    return _notice(case=locked, kind=NoticeKind.SUPPLEMENT, actor=actor,
                   content={"items": missing, "due_date": due_date.isoformat(), "note": note}, text=text)


@transaction.atomic
def case_supplement(*, case: Case, actor: User, materials: dict[str, Any]) -> Case:
    """补正: the items arrive; the case returns to received (at a window), forwarded (handed to the back office)
    or submitted (the applicant answered online: back-office pre-review again)."""
    role = getattr(actor, "role", None)
    to = S.FORWARDED if role == Role.APPROVER else S.SUBMITTED if role == Role.APPLICANT else S.RECEIVED
    locked = _begin(case=case, to=to, actor=actor)
    if locked.state != S.NEEDS_SUPPLEMENT:
        raise ConflictError("办件不在待补正状态。", "The case is not waiting for a supplement.", code="state")
    if materials:
        by_code = {m.requirement_code: m for m in locked.materials.all()}
        for code, raw in materials.items():
            cm = by_code.get(code)
            if cm is None:
                raise ValidationFailed(f"材料“{code}”不在本件的材料清单中。", f"Unknown material {code!r}.",
                                       field="materials")
            entry = _material_entry(raw)
            if entry.get("status") == MaterialStatus.TOLERANT:
                raise ValidationFailed("容缺须经容缺受理办理。", "Use tolerant acceptance for tolerant items.",
                                       field="materials")
            _apply_material(cm, entry)
            cm.save()
    missing = _blocking_items(locked, allow_tolerant=False)
    if missing:
        raise _missing_error(missing, "完成补正")
    updates: dict[str, Any] = {"missing_items": [], "supplement_due": None}
    if to == S.RECEIVED and locked.channel != Channel.ONLINE:
        updates["visits"] = locked.visits + 1
    return _transition(locked=locked, to=to, actor=actor, reason="材料已补齐补正",
                       data={"items": sorted(materials)}, updates=updates)


@transaction.atomic
def case_accept_tolerant(*, case: Case, actor: User, items: list[str], commitment: str, due_date: dt.date) -> Case:
    """容缺受理: items flagged tolerant may follow later on the applicant's written commitment; the case is
    forwarded now. Refused to applicants flagged for bad credit."""
    locked = _begin(case=case, to=S.FORWARDED, actor=actor)
    if locked.state != S.RECEIVED:
        raise ConflictError("只有已收件的办件可以容缺受理。", "Only received cases can be accepted tolerantly.",
                            code="state")
    if locked.bad_credit or _has_bad_credit(locked.applicant_identifier):
        raise PermissionDeniedError("申请人存在失信记录，不适用容缺受理。",
                                    "Applicants flagged for bad credit cannot use tolerant acceptance.",
                                    code="bad_credit")
    commitment = (commitment or "").strip()
    if not commitment:
        raise ValidationFailed("容缺受理须记录申请人的书面承诺。", "The applicant's written commitment is required.",
                               field="commitment")
    if due_date <= _today():
        raise ValidationFailed("容缺补交期限应晚于今天。", "The due date must be after today.", field="due_date")
    if not items:
        raise ValidationFailed("请选择容缺的材料。", "Choose the tolerant items.", field="items")
    by_code = {m.requirement_code: m for m in locked.materials.all()}
    for code in items:
        cm = by_code.get(code)
        if cm is None:
            raise ValidationFailed(f"材料“{code}”不在本件的材料清单中。", f"Unknown material {code!r}.", field="items")
        if cm.necessity != Necessity.TOLERANT:
            raise ValidationFailed(f"材料“{cm.name}”不在容缺受理范围内。", f"Item {code!r} is not eligible for "
                                   "tolerant acceptance.", field="items", code="not_tolerant")
        if cm.status not in BLOCKING:
            raise ValidationFailed(f"材料“{cm.name}”已提交，无需容缺。", f"Item {code!r} was provided.", field="items")
        cm.status = MaterialStatus.TOLERANT
        cm.save()
    missing = _blocking_items(locked, allow_tolerant=True)
    if missing:
        raise _missing_error(missing, "容缺受理（以下材料不可容缺）")
    tolerant_items = [{"code": c, "name": by_code[c].name} for c in items]
    locked = _transition(locked=locked, to=S.FORWARDED, actor=actor, reason="容缺受理",
                         data={"tolerant": items, "due": due_date.isoformat()},
                         updates={"tolerant": True, "tolerant_commitment": commitment, "tolerant_due": due_date,
                                  "missing_items": tolerant_items})
    _notice(case=locked, kind=NoticeKind.TOLERANT_COMMITMENT, actor=actor,
            **_worded(NoticeKind.TOLERANT_COMMITMENT, locked, items=tolerant_items))
    return locked
