"""Every write for one-thing bundles: defining a bundle, applying (window or online), the data and order between
sub-cases, and the one hand-over. Sub-cases are normal cases created and moved through ``cases.services`` —
the one door for case states — so 受审分离, department isolation and the audit chain hold for them too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre, User
from yichuang.audit.services import audit_record
from yichuang.cases import services as cases
from yichuang.cases.constants import ApplicantKind, Channel, MaterialMedium, MaterialStatus
from yichuang.cases.forms import form_decrypt, form_encrypt, form_validate
from yichuang.cases.models import Case
from yichuang.catalog.models import Matter
from yichuang.core.errors import ConflictError, NotFound, PermissionDeniedError, ValidationFailed
from yichuang.core.validators import validate_credit_code, validate_id_number
from yichuang.crossregion.rules import on_behalf_check
from yichuang.workcal.workdays import add_workdays

from . import union
from .constants import APPROVED_STATES, DONE_STATES, BundleCaseState, ItemStatus
from .critical import critical_path
from .dag import ancestors, check_dag, descendants
from .models import Bundle, BundleCase, BundleCaseItem, BundleItem, BundleSequence
from .selectors import bundle_definition

KEY_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


# ---------------------------------------------------------------- definition


def _clean_map(value: Any, label: str, field: str) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ValidationFailed(f"{label}格式应为“编码=编码”的对应关系。", f"{field} must map codes to codes.", field=field)
    return {k.strip(): v.strip() for k, v in value.items() if k.strip() and v.strip()}


def bundle_validate(*, spec: dict[str, Any], items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Check a bundle definition; return the items cleaned (matter objects resolved). Errors name the item."""
    code, name = str(spec.get("code") or "").strip(), str(spec.get("name") or "").strip()
    if not code:
        raise ValidationFailed("一件事编码不能为空。", "The bundle code is required.", field="code")
    if not name:
        raise ValidationFailed("一件事名称不能为空。", "The bundle name is required.", field="name")
    if len(items) < 2:
        raise ValidationFailed(f"一件事“{name}”至少应包含两个事项。", "A bundle joins at least two matters.",
                               field="items")
    out, seen = [], set()
    for i, raw in enumerate(items):
        key = str(raw.get("key") or "").strip().lower()
        if not key or not set(key) <= KEY_CHARS:
            raise ValidationFailed(f"第{i + 1}个环节的编码“{key}”无效（小写字母、数字、下划线）。",
                                   f"Item key {key!r} is invalid (a-z, 0-9, _).", field=f"items.{i}.key")
        if key in seen:
            raise ValidationFailed(f"环节编码“{key}”重复。", f"Duplicate item key {key!r}.", field=f"items.{i}.key")
        seen.add(key)
        matter = raw.get("matter")
        if not isinstance(matter, Matter):
            matter = Matter.objects.select_related("department").filter(implementation_code=str(matter or "").strip()
                                                                        ).first()
        if matter is None:
            raise NotFound(f"环节“{key}”的事项“{raw.get('matter')}”不存在。", f"Unknown matter for item {key!r}.",
                           field=f"items.{i}.matter")
        requires = raw.get("requires") or []
        if isinstance(requires, str):
            requires = [r for r in requires.replace("，", ",").replace("、", ",").split(",")]
        requires = [str(r).strip().lower() for r in requires if str(r).strip()]
        field_map = _clean_map(raw.get("field_map"), "字段映射", "field_map")
        own = {str(f.get("code") or f.get("name")) for f in matter.form_fields or []}
        bad = [v for v in field_map.values() if v not in own]
        if bad:
            raise ValidationFailed(f"环节“{key}”（{matter.name}）的字段映射指向不存在的表单字段：{'、'.join(bad)}。",
                                   f"Field map of {key!r} names unknown form fields {bad}.",
                                   field=f"items.{i}.field_map")
        material_map = _clean_map(raw.get("material_map"), "材料共享", "material_map")
        mcodes = set(matter.materials.values_list("code", flat=True))
        bad = [k for k in material_map if k not in mcodes]
        if bad:
            raise ValidationFailed(f"环节“{key}”（{matter.name}）的材料共享指向不存在的材料：{'、'.join(bad)}。",
                                   f"Material map of {key!r} names unknown materials {bad}.",
                                   field=f"items.{i}.material_map")
        produces = _clean_map(raw.get("produces"), "办结产出", "produces")
        out.append({"key": key, "matter": matter, "requires": requires, "field_map": field_map,
                    "material_map": material_map, "produces": produces, "order": i})
    check_dag({it["key"]: it["requires"] for it in out}, {it["key"]: it["matter"].name for it in out})
    producers: dict[str, str] = {}
    for it in out:
        for f in it["produces"]:
            if f in producers:
                raise ValidationFailed(f"字段“{f}”由多个环节产出（{producers[f]}、{it['key']}）。",
                                       f"Field {f!r} is produced by two items.", field=f"items.{it['order']}.produces")
            producers[f] = it["key"]
    requires = {it["key"]: it["requires"] for it in out}
    for it in out:
        for shared in it["field_map"]:
            pk = producers.get(shared)
            if pk and pk != it["key"] and pk not in ancestors(requires, it["key"]):
                raise ValidationFailed(
                    f"环节“{it['key']}”使用“{shared}”，但产出它的环节“{pk}”不是其前置环节。",
                    f"Item {it['key']!r} uses {shared!r}, produced by {pk!r}, which is not a prerequisite.",
                    field=f"items.{it['order']}.requires")
    return out


@transaction.atomic
def bundle_save(*, spec: dict[str, Any], items: list[dict[str, Any]], actor=None) -> Bundle:
    """Create or replace a bundle definition (admin, workbook import, demo). A cycle is refused, naming it."""
    cleaned = bundle_validate(spec=spec, items=items)
    code = str(spec["code"]).strip()
    fields = [{"code": str(f.get("code")), "label": str(f.get("label") or f.get("code"))}
              for f in spec.get("fields") or [] if f.get("code")]
    bundle, created = Bundle.objects.update_or_create(code=code, defaults={
        "name": str(spec["name"]).strip(), "description": spec.get("description") or "",
        "keywords": spec.get("keywords") or "", "fields": fields, "is_active": spec.get("is_active", True)})
    keep = {it["key"] for it in cleaned}
    stale = bundle.items.exclude(key__in=keep)
    if stale.exists():
        stale.delete()
    for it in cleaned:
        BundleItem.objects.update_or_create(bundle=bundle, key=it["key"], defaults={
            "matter": it["matter"], "requires": it["requires"], "field_map": it["field_map"],
            "material_map": it["material_map"], "produces": it["produces"], "order": it["order"]})
    audit_record(actor=actor, action="bundle.save", obj=bundle,
                 after={"code": code, "created": created, "items": [
                     {"key": it["key"], "matter": it["matter"].implementation_code, "requires": it["requires"]}
                     for it in cleaned]})
    return bundle


# ---------------------------------------------------------------- applying


def _number_next(*, centre: Centre, day: dt.date) -> str:
    BundleSequence.objects.get_or_create(centre=centre, day=day)
    seq = BundleSequence.objects.select_for_update().get(centre=centre, day=day)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"YJS{centre.code}{day:%Y%m%d}{seq.last:04d}"


def _material_entries(raw: dict[str, Any], channel: str) -> dict[str, dict]:
    out = {}
    for key, value in (raw or {}).items():
        if isinstance(value, bool):
            value = {"status": MaterialStatus.PROVIDED if value else MaterialStatus.MISSING}
        elif isinstance(value, str):
            value = {"status": value}
        entry = dict(value or {})
        if entry.get("status", MaterialStatus.PROVIDED) == MaterialStatus.PROVIDED and not entry.get("medium"):
            entry["medium"] = MaterialMedium.ELECTRONIC if channel == Channel.ONLINE else MaterialMedium.PAPER
        out[str(key)] = entry
    return out


@transaction.atomic
def bundle_apply(*, bundle: Bundle | str, actor: User | None, channel: str = Channel.WINDOW,
                 applicant_kind: str = ApplicantKind.PERSON, applicant_name: str, id_number: str = "",
                 credit_code: str = "", contact_name: str = "", contact_phone: str = "", contact_address: str = "",
                 answers: dict[str, str] | None = None, form_data: dict[str, Any] | None = None,
                 materials: dict[str, Any] | None = None, ticket_number: str = "",
                 held_licence_types: list[str] | set[str] = ()) -> BundleCase:
    """一件事一次办: one questionnaire, one union form, one checklist, one number. Matters without prerequisites
    go to their departments now (window: received and forwarded; online: submitted for pre-review); the others
    wait (等待前置事项) and follow when their prerequisites are approved."""
    if isinstance(bundle, str):
        bundle = Bundle.objects.filter(code=bundle).first()
        if bundle is None:
            raise NotFound("一件事不存在。", "No such bundle.", field="bundle")
    if not bundle.is_active:
        raise ValidationFailed(f"一件事“{bundle.name}”已停用。", "The bundle is inactive.", field="bundle")
    if channel == Channel.ONLINE:
        # The rules of a single online application (受审分离: no approver, issuer or supervisor files one).
        cases.case_online_filer_check(actor=actor, applicant_kind=applicant_kind, id_number=id_number)
    else:
        if channel not in Channel.values:
            raise ValidationFailed(f"未知渠道“{channel}”。", f"Unknown channel {channel!r}.", field="channel")
        if actor is None or actor.role not in (Role.CLERK, Role.GUIDE):
            raise PermissionDeniedError("只有综窗受理员或帮办代办员可以收件。",
                                        "Only window clerks and guides receive cases.", code="role")
    applicant_name = (applicant_name or "").strip()
    if not applicant_name:
        raise ValidationFailed("请填写申请人名称。", "The applicant name is required.", field="applicant_name")
    if applicant_kind == ApplicantKind.PERSON:
        id_number, credit_code = validate_id_number(id_number, field="id_number"), ""
    elif applicant_kind == ApplicantKind.COMPANY:
        credit_code = validate_credit_code(credit_code, field="credit_code")
        id_number = validate_id_number(id_number, field="id_number") if id_number else ""
    else:
        raise ValidationFailed("申请人类型应为自然人或法人。", "Applicant kind must be person or company.",
                               field="applicant_kind")
    defn = bundle_definition(bundle=bundle)
    answers = {k: v for k, v in (answers or {}).items() if v not in (None, "")}
    missing_q = union.unanswered(defn, answers)
    if missing_q:
        raise ValidationFailed("请先回答情形：" + "、".join(q["question"] for q in missing_q) + "。",
                               "Answer every situation question first.", field="answers")
    per_item_answers = union.item_answers(defn, answers)
    form = {str(k): v for k, v in (form_data or {}).items()}
    asked = {f["code"] for f in union.asked_fields(defn)}
    unknown = sorted(set(form) - asked)
    if unknown:
        raise ValidationFailed(f"联合表单中没有这些字段：{'、'.join(unknown)}。", f"Unknown union form fields {unknown}.",
                               field="form_data")
    # Check each matter's form now, so the applicant hears every problem at the window, once.
    problems: list[dict] = []
    cleaned: dict[str, dict] = {}
    for it in defn["items"]:
        try:
            cleaned[it["key"]] = form_validate(union.fields_for_now(it, defn), union.item_form_data(it, form, {}))
        except ValidationFailed as exc:
            problems.extend(exc.details or [{"field": exc.field, "msg": exc.message, "msg_en": exc.message_en}])
    if problems:
        seen, msgs = set(), []
        for p in problems:
            if p["msg"] not in seen:
                seen.add(p["msg"])
                msgs.append(p["msg"])
        raise ValidationFailed("联合表单填写有误：" + "；".join(msgs), "Union form errors: " +
                               "; ".join(sorted({p.get("msg_en", "") for p in problems})), field="form_data",
                               details=problems)
    held = set(held_licence_types or [])
    checklist = union.merged_checklist(defn, answers, held)
    entries = _material_entries(materials or {}, channel)
    known = {m["key"] for m in checklist}
    unknown = sorted(set(entries) - known)
    if unknown:
        raise ValidationFailed(f"材料“{'、'.join(unknown)}”不在本一件事的材料清单中。",
                               f"Materials {unknown} are not on the bundle's checklist.", field="materials")
    missing = [m for m in checklist if not m["exempt"] and m["necessity"] != "optional"
               and entries.get(m["key"], {}).get("status") != MaterialStatus.PROVIDED]
    if missing:
        raise ValidationFailed("材料不齐，请一次性补齐：" + "、".join(m["name"] for m in missing) + "。",
                               "Materials incomplete: " + ", ".join(m["key"] for m in missing) + ".",
                               field="materials", code="materials_incomplete",
                               details=[{"key": m["key"], "name": m["name"]} for m in missing])
    centre = getattr(actor, "centre", None) if channel != Channel.ONLINE else None
    if centre is None:
        first = next(it for it in defn["items"] if not it["requires"])
        centre = Matter.objects.select_related("department__centre").get(
            implementation_code=first["matter_code"]).department.centre
    elif channel != Channel.ONLINE:
        # 跨域通办: every matter must be receivable here now, not only the first wave — a later refusal would
        # block the approval of its prerequisite.
        for m in Matter.objects.select_related("department__centre").filter(
                implementation_code__in=[it["matter_code"] for it in defn["items"]]):
            on_behalf_check(matter=m, centre=centre, handling_centre=m.department.centre)
    today = timezone.localdate()
    requires = {it["key"]: it["requires"] for it in defn["items"]}
    total, _path = critical_path({it["key"]: it["promised_days"] for it in defn["items"]}, requires)
    due = add_workdays(today, total)
    parent = BundleCase.objects.create(
        number=_number_next(centre=centre, day=today), bundle=bundle, centre=centre, channel=channel,
        applicant_kind=applicant_kind, applicant_name=applicant_name, applicant_id_number=id_number,
        applicant_credit_code=credit_code, contact_name=contact_name, contact_phone=contact_phone,
        contact_address=contact_address, answers=answers,
        form_data=form_encrypt(union.asked_fields(defn), form),  # ID and phone numbers encrypted, as a case's
        materials=[{**m, "status": MaterialStatus.EXEMPT if m["exempt"] else
                    entries.get(m["key"], {}).get("status", MaterialStatus.MISSING)} for m in checklist],
        held_licence_types=sorted(held), ticket_number=ticket_number,
        received_by=actor if channel != Channel.ONLINE else None, filed_by=actor, promised_days=total, due_date=due.value,
        provisional=due.provisional)
    by_item: dict[str, dict[str, dict]] = {it["key"]: {} for it in defn["items"]}
    for m in checklist:
        entry = entries.get(m["key"])
        for key, code in m["serves"]:
            if entry is not None and not m["exempt"]:
                by_item[key][code] = entry
    items = {i.key: i for i in bundle.items.all()}
    for n, it in enumerate(defn["items"]):
        BundleCaseItem.objects.create(parent=parent, item=items[it["key"]], key=it["key"], order=n,
                                      answers=per_item_answers[it["key"]],
                                      form_data=form_encrypt(it["snapshot"].get("form_fields"), cleaned[it["key"]]),
                                      materials=by_item[it["key"]])
    audit_record(actor=actor, action="bundle_case.apply", obj=parent,
                 after={"number": parent.number, "bundle": bundle.code, "channel": channel,
                        "critical_days": total, "due": due.value.isoformat()})
    for pitem in parent.items.select_related("item").order_by("order", "id"):
        if not pitem.item.requires:
            _release(parent=parent, pitem=pitem, defn=defn)
    return parent


def _applicant_for(parent: BundleCase) -> dict[str, Any]:
    """Once 设立登记 produced a credit code, the later matters are filed in the new company's name."""
    credit = parent.produced.get("credit_code")
    if credit and parent.applicant_kind == ApplicantKind.PERSON:
        return {"applicant_kind": ApplicantKind.COMPANY, "credit_code": credit, "id_number": parent.applicant_id_number,
                "applicant_name": parent.form_data.get("enterprise_name") or parent.applicant_name}
    return {"applicant_kind": parent.applicant_kind, "credit_code": parent.applicant_credit_code,
            "id_number": parent.applicant_id_number, "applicant_name": parent.applicant_name}


def _release(*, parent: BundleCase, pitem: BundleCaseItem, defn: dict) -> Case:
    """等待前置事项 → a normal case in the department's back office."""
    item = next(it for it in defn["items"] if it["key"] == pitem.key)
    # The union form in full only to file it again: the sub-case stores its ID/phone numbers encrypted (receipt).
    form = union.item_form_data(item, form_decrypt(union.asked_fields(defn), parent.form_data), parent.produced)
    held = set(parent.held_licence_types) | set(union.shared_licence_types(defn, pitem.key))
    common = dict(matter_code=item["matter_code"], answers=pitem.answers, form_data=form, materials=pitem.materials,
                  contact_name=parent.contact_name, contact_phone=parent.contact_phone,
                  contact_address=parent.contact_address, held_licence_types=held, **_applicant_for(parent))
    reason = f"一件事“{parent.bundle.name}”（{parent.number}）"
    if parent.channel == Channel.ONLINE:
        # Filed by whoever filed the bundle (history and audit name them, not 系统), by the same rules as then.
        case = cases.case_submit_online(actor=parent.filed_by, **common)
    else:
        clerk = parent.received_by
        case = cases.case_receive(actor=clerk, channel=parent.channel, centre=parent.centre,
                                  ticket_number=parent.ticket_number, **common)
        case = cases.case_forward(case=case, actor=clerk, reason=reason)
    pitem.case, pitem.status = case, ItemStatus.RELEASED
    pitem.form_data = form_encrypt(item["snapshot"].get("form_fields"), form)
    pitem.released_at = timezone.now()
    pitem.message = "" if not item["requires"] else "前置事项已办结，已流转部门办理。"
    pitem.save()
    audit_record(actor=None, action="bundle_case.release", obj=parent,
                 after={"number": parent.number, "item": pitem.key, "case": case.number,
                        "filed_by": parent.filed_by.username if parent.filed_by_id else None})
    return case


# ---------------------------------------------------------------- after a sub-case's decision


def _produced_clean(*, parent: BundleCase, pitem: BundleCaseItem, defn: dict, result_data: dict) -> dict:
    item = next(it for it in defn["items"] if it["key"] == pitem.key)
    produces = item["produces"]
    missing = [label for code, label in produces.items() if not str(result_data.get(code) or "").strip()]
    if missing:
        raise ValidationFailed(
            f"本件属于一件事“{parent.bundle.name}”，准予时须填写办理结果：{'、'.join(missing)}（后续事项将自动使用）。",
            f"This case belongs to a bundle: approving it requires the result data {sorted(produces)}.",
            field="result_data", code="result_data_required")
    out = {}
    for code in produces:
        value = str(result_data[code]).strip()
        if code == "credit_code":
            value = validate_credit_code(value, field="result_data")
        out[code] = value
    return out


def bundle_case_decided(*, case: Case, approved: bool, actor: User | None, result_data: dict, reason: str) -> None:
    """Called by ``cases.services`` inside the decision's transaction. Approved: record what the case produced
    and release every waiting matter whose prerequisites are now all approved. Denied or not accepted: stop every
    matter that depends on it (they cannot be decided without it) and tell the applicant what that means."""
    pitem = BundleCaseItem.objects.select_related("item").filter(case_id=case.pk).first()
    if pitem is None:
        return
    parent = BundleCase.objects.select_for_update().select_related("bundle").get(pk=pitem.parent_id)
    defn = bundle_definition(bundle=parent.bundle)
    pitems = {p.key: p for p in parent.items.select_related("item", "case")}
    requires = {k: list(p.item.requires or []) for k, p in pitems.items()}
    if approved:
        produced = _produced_clean(parent=parent, pitem=pitem, defn=defn, result_data=result_data)
        pitem.result_data = produced
        pitem.save(update_fields=["result_data"])
        parent.produced = {**parent.produced, **produced}
        parent.save(update_fields=["produced"])
        pitems[pitem.key].case.state = case.state
        for key, p in pitems.items():
            if p.status != ItemStatus.WAITING:
                continue
            if all(pitems[r].case_id and (pitems[r].case.state in APPROVED_STATES or pitems[r].pk == pitem.pk)
                   for r in requires[key]):
                _release(parent=parent, pitem=p, defn=defn)
        audit_record(actor=actor, action="bundle_case.produced", obj=parent,
                     after={"number": parent.number, "item": pitem.key, "data": produced})
        return
    stopped = [k for k in sorted(descendants(requires, pitem.key), key=lambda k: pitems[k].order)
               if pitems[k].status == ItemStatus.WAITING]
    name = pitem.item.matter.name
    outcome = {"not_accepted": "不予受理", "withdrawn": "已撤回"}.get(case.state, "未获准予")
    for key in stopped:
        p = pitems[key]
        p.status = ItemStatus.STOPPED
        p.message = f"前置事项“{name}”{outcome}，本事项无法办理，已终止。"
        p.save(update_fields=["status", "message"])
    others = [pitems[k].item.matter.name for k in pitems if k != pitem.key and k not in stopped]
    stopped_names = [pitems[k].item.matter.name for k in stopped]
    text = (f"您申请的一件事“{parent.bundle.name}”（编号{parent.number}）中，“{name}”{outcome}"
            + (f"（理由：{reason}）" if reason else "") + "。")
    if stopped_names:
        text += (f"依赖它的“{'、'.join(stopped_names)}”须以其办理结果为前提，因此无法继续办理，已终止，不收取任何费用；")
    if others:
        text += f"其余事项（{'、'.join(others)}）照常办理，结果将一并交付。"
    text += "问题解决后，您可重新申请本一件事。"
    outcome_en = {"not_accepted": "was not accepted", "withdrawn": "was withdrawn"}.get(case.state, "was denied")
    text_en = (f"In your bundle {parent.number}, {pitem.item.matter.implementation_code} {outcome_en}. "
               + (f"{len(stopped)} matter(s) that need its result cannot go on and are stopped, free of charge. "
                  if stopped else "") + ("The other matters continue; their results are handed over together. "
                                         if others else "") + "You may apply again once the problem is solved.")
    parent.messages = [*parent.messages, {"at": timezone.now().isoformat(), "kind": "stopped", "item": pitem.key,
                                          "stopped": stopped, "text": text, "text_en": text_en}]
    parent.save(update_fields=["messages"])
    audit_record(actor=actor, action="bundle_case.stopped", obj=parent,
                 after={"number": parent.number, "item": pitem.key, "stopped": stopped})


# ---------------------------------------------------------------- the approver's decision with result data


def bundle_subcase_decide(*, case: Case | str, actor: User, approve: bool, opinion: str = "", legal_basis: str = "",
                          result_data: dict | None = None) -> Case:
    if isinstance(case, str):
        found = Case.objects.filter(number=case).first()
        if found is None:
            raise NotFound("办件不存在。", "No such case.")
        case = found
    return cases.case_decide(case=case, actor=actor, approve=approve, opinion=opinion, legal_basis=legal_basis,
                             result_data={k: v for k, v in (result_data or {}).items() if str(v or "").strip()})


# ---------------------------------------------------------------- one hand-over


@transaction.atomic
def bundle_case_issue(*, parent: BundleCase | str, actor: User, method: str, signed_by: str = "", address: str = "",
                      carrier: str = "", tracking_no: str = "") -> BundleCase:
    """统一出件, once for the whole bundle: every sub-case must be done; each decided sub-case is marked ready and
    handed over (or posted in one parcel, one tracking number) at the receiving centre."""
    if isinstance(parent, str):
        found = BundleCase.objects.filter(number=parent).first()
        if found is None:
            raise NotFound("一件事办件不存在。", "No such bundle case.")
        parent = found
    parent = BundleCase.objects.select_for_update().select_related("bundle", "centre").get(pk=parent.pk)
    if actor is None or actor.role not in (Role.ISSUER, Role.CLERK):
        raise PermissionDeniedError("只有出件窗口或综窗受理员可以出件。", "Only issuance clerks issue results.",
                                    code="role")
    if parent.state == BundleCaseState.ISSUED:
        raise ConflictError("本一件事已出件。", "Already issued.", code="state")
    pitems = list(parent.items.select_related("case", "item__matter").order_by("order", "id"))
    open_items = [p.item.matter.name for p in pitems if p.status == ItemStatus.WAITING
                  or (p.status == ItemStatus.RELEASED and p.case.state not in DONE_STATES)]
    if open_items:
        raise ConflictError("以下事项尚未办结，须全部办结后一次出件：" + "、".join(open_items) + "。",
                            "Every sub-case must be done before the one hand-over.", code="not_done")
    handed = []
    for p in pitems:
        if p.status != ItemStatus.RELEASED or p.case.state not in ("approved", "denied", "ready"):
            continue
        case = p.case
        if case.state != "ready":
            case = cases.case_mark_ready(case=case, actor=actor)
        cases.case_issue(case=case, actor=actor, method=method, signed_by=signed_by, address=address,
                         carrier=carrier, tracking_no=tracking_no)
        handed.append(case.number)
    parent.state, parent.issued_at = BundleCaseState.ISSUED, timezone.now()
    parent.save(update_fields=["state", "issued_at"])
    audit_record(actor=actor, action="bundle_case.issue", obj=parent,
                 after={"number": parent.number, "cases": handed, "method": method, "tracking_no": tracking_no})
    return parent
