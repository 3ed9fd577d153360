"""Every write to the catalogue goes through here: validate, save live rows, re-index, freeze a version."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction

from yichuang.accounts.models import Department
from yichuang.audit.services import audit_record
from yichuang.core.errors import ValidationFailed

from django.core.files import File
from django.core.files.storage import default_storage

from .constants import (HandlingKind, HandlingLevel, MaterialForm, MaterialSource, MatterType, Medium, Necessity,
                        ResultKind, ServiceObject, Theme)
from .models import FILE_EXTENSIONS, LicenceType, MaterialRequirement, Matter, MatterVersion, Situation, WindowDomain
from .search import matter_index

MATTER_SCALARS = (
    "basic_code", "name", "matter_type", "legal_basis", "acceptance_conditions", "legal_limit_days",
    "promised_limit_days", "handling_kind", "charges", "fee_description", "fee_basis", "visits_required",
    "handling_levels", "negative_list", "result_kind", "result_name", "keywords", "faq", "process_steps",
    "form_fields", "is_active", "handling_place", "handling_hours", "consult_phone", "complaint_channel",
    "special_procedures", "service_objects", "themes",
)
# 办事指南要素 kept as plain text: (field, label, max length or None for a text field).
GUIDE_TEXTS = (
    ("handling_place", "办理地点", 300), ("handling_hours", "办理时间", 200), ("consult_phone", "咨询电话", 100),
    ("complaint_channel", "监督投诉方式", 2000), ("special_procedures", "特别程序", 4000),
)
MATERIAL_SCALARS = (
    "name", "necessity", "form", "copies", "medium", "source", "issuing_department", "applies_when",
    "sample_text", "blank_form", "review_points", "notes",
)
# 空白样表 / 示范文本 files of a material: (field, label). A material spec may give a stored name (str) or a
# django File to store; a spec without the key keeps the file the material of that code already has.
MATERIAL_FILES = (("blank_form_file", "空白样表"), ("sample_file", "示范文本"))
MATERIAL_FILE_EXTENSIONS = tuple(FILE_EXTENSIONS)
MATERIAL_FILE_MAX_BYTES = 10 * 1024 * 1024


def _fail(msg: str, msg_en: str, field: str) -> None:
    raise ValidationFailed(msg, msg_en, field=field)


def matter_validate(spec: dict[str, Any]) -> dict[str, Any]:
    """Check one matter specification; return it normalised with model instances resolved.

    ``spec`` uses model field names, with ``department`` a department code, ``domain`` a domain code and
    ``result_licence_type`` a licence-type code. Raises ValidationFailed on the first problem.
    """
    out = dict(spec)
    code = str(out.get("implementation_code") or "").strip()
    if not code:
        _fail("实施编码不能为空。", "The implementation code is required.", "implementation_code")
    out["implementation_code"] = code
    name = str(out.get("name") or "").strip()
    if not name:
        _fail("事项名称不能为空。", "The matter name is required.", "name")
    out["name"] = name
    dept = out.get("department")
    if not isinstance(dept, Department):
        found = Department.objects.filter(code=str(dept or "").strip()).first() or \
            Department.objects.filter(name=str(dept or "").strip()).first()
        if found is None:
            _fail(f"未知部门“{dept}”。", f"Unknown department {dept!r}.", "department")
        out["department"] = found
    domain = out.get("domain")
    if not isinstance(domain, WindowDomain):
        found = WindowDomain.objects.filter(code=str(domain or "").strip()).first() or \
            WindowDomain.objects.filter(name=str(domain or "").strip()).first()
        if found is None:
            _fail(f"未知窗口领域“{domain}”。", f"Unknown window domain {domain!r}.", "domain")
        out["domain"] = found
    if out.get("matter_type") not in MatterType.values:
        _fail(f"未知事项类型“{out.get('matter_type')}”。", f"Unknown matter type {out.get('matter_type')!r}.",
              "matter_type")
    for key, label in (("legal_limit_days", "法定办结时限"), ("promised_limit_days", "承诺办结时限")):
        try:
            value = int(out.get(key))
        except (TypeError, ValueError):
            _fail(f"{label}应为非负整数（工作日）。", f"{key} must be a whole number of working days.", key)
        if value < 0 or value > 3650:
            _fail(f"{label}应在0至3650个工作日之间。", f"{key} must be between 0 and 3650 working days.", key)
        out[key] = value
    if out["promised_limit_days"] > out["legal_limit_days"]:
        _fail(
            f"承诺办结时限（{out['promised_limit_days']}个工作日）不得超过法定办结时限（{out['legal_limit_days']}个工作日）。",
            f"The promised limit ({out['promised_limit_days']} days) may not exceed the legal limit "
            f"({out['legal_limit_days']} days).",
            "promised_limit_days",
        )
    out.setdefault("handling_kind", HandlingKind.IMMEDIATE if out["promised_limit_days"] == 0 else HandlingKind.PROMISED)
    if out["handling_kind"] not in HandlingKind.values:
        _fail(f"未知办件类型“{out['handling_kind']}”。", f"Unknown handling kind {out['handling_kind']!r}.",
              "handling_kind")
    try:
        out["visits_required"] = int(out.get("visits_required", 1))
    except (TypeError, ValueError):
        _fail("到现场次数应为整数。", "On-site visits must be a whole number.", "visits_required")
    if out["visits_required"] < 0 or out["visits_required"] > 10:
        _fail("到现场次数应在0至10之间。", "On-site visits must be between 0 and 10.", "visits_required")
    levels = out.get("handling_levels") or []
    bad = [lv for lv in levels if lv not in HandlingLevel.values]
    if bad:
        _fail(f"未知办理层级：{'、'.join(map(str, bad))}。", f"Unknown handling levels: {bad}.", "handling_levels")
    out["handling_levels"] = list(levels)
    out.setdefault("result_kind", ResultKind.NONE)
    if out["result_kind"] not in ResultKind.values:
        _fail(f"未知办理结果类型“{out['result_kind']}”。", f"Unknown result kind {out['result_kind']!r}.", "result_kind")
    lt = out.get("result_licence_type")
    if lt and not isinstance(lt, LicenceType):
        found = LicenceType.objects.filter(code=str(lt)).first() or LicenceType.objects.filter(name=str(lt)).first()
        if found is None:
            _fail(f"未知证照类型“{lt}”。", f"Unknown licence type {lt!r}.", "result_licence_type")
        out["result_licence_type"] = found
    if out["result_kind"] == ResultKind.LICENCE and not out.get("result_licence_type"):
        _fail("办理结果为证照时须指定证照类型。", "A matter whose result is a licence must name the licence type.",
              "result_licence_type")
    for key in ("process_steps", "form_fields"):
        out[key] = list(out.get(key) or [])
    out["faq"] = faq_validate(out.get("faq"))
    for key, label, limit in GUIDE_TEXTS:
        if key not in out:
            continue
        value = out.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            _fail(f"{label}应为文字。", f"{key} must be text.", key)
        value = value.strip()
        if len(value) > limit:
            _fail(f"{label}过长（{len(value)}字，最多{limit}字）。", f"{key} is too long ({len(value)} > {limit}).", key)
        out[key] = value
    if "service_objects" in out:
        out["service_objects"] = choice_codes(out["service_objects"], ServiceObject, "服务对象", "service_objects")
    if "themes" in out:
        out["themes"] = choice_codes(out["themes"], Theme, "主题", "themes")
    return out


def choice_codes(values, choices, label: str, field: str) -> list[str]:
    """A list of choice codes; Chinese labels are accepted and stored as codes, order kept, duplicates dropped."""
    if values is None or values == "":
        return []
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, (list, tuple)):
        _fail(f"{label}应为列表。", f"{field} must be a list.", field)
    by_label = {text: code for code, text in choices.choices}
    out: list[str] = []
    for v in values:
        code = v if v in choices.values else by_label.get(str(v).strip())
        if code is None:
            allowed = "、".join(choices.labels)
            _fail(f"未知{label}“{v}”，应为：{allowed}。",
                  f"Unknown {field} value (item {len(out) + 1}); allowed: {', '.join(choices.values)}.", field)
        if code not in out:
            out.append(code)
    return out


def faq_validate(items) -> list[dict[str, str]]:
    """常见问题 in its one shape: a list of ``{"q": 问题, "a": 回答}``, both non-empty text, no other keys."""
    if items in (None, ""):
        return []
    if not isinstance(items, (list, tuple)):
        _fail("常见问题应为列表，每项形如 {\"q\": 问题, \"a\": 回答}。",
              'The FAQ must be a list of {"q": question, "a": answer}.', "faq")
    out = []
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict) or set(item) != {"q", "a"}:
            keys = "、".join(map(str, item)) if isinstance(item, dict) else type(item).__name__
            _fail(f"常见问题第{i}条格式不对（{keys}），应只含“q”（问题）和“a”（回答）。",
                  f'FAQ item {i} must have exactly the keys "q" and "a".', "faq")
        q, a = item["q"], item["a"]
        if not isinstance(q, str) or not q.strip():
            _fail(f"常见问题第{i}条缺少问题。", f"FAQ item {i} has no question.", "faq")
        if not isinstance(a, str) or not a.strip():
            _fail(f"常见问题第{i}条“{q.strip()[:20]}”缺少回答。", f"FAQ item {i} has no answer.", "faq")
        out.append({"q": q.strip(), "a": a.strip()})
    return out


def form_fields_validate(form_fields: list, situations: list[dict]) -> list:
    """A form field may not ask again what a situation (情形) already asks: same code as a situation, or the same
    label as a situation question. The situation's answer is recorded with the case; asking twice (with
    different options) lets the two answers disagree."""
    by_code = {str(s.get("code")): s for s in situations}
    by_question = {str(s.get("question") or "").strip(): s for s in situations}
    seen: set[str] = set()
    for i, f in enumerate(form_fields, start=1):
        if not isinstance(f, dict):
            _fail(f"表单字段第{i}项应为对象（含name、label、type）。", f"Form field {i} must be an object.",
                  "form_fields")
        code = str(f.get("name") or f.get("code") or "").strip()
        label = str(f.get("label") or "").strip()
        if not code:
            _fail(f"表单字段第{i}项缺少字段名（name）。", f"Form field {i} has no name.", "form_fields")
        if code in seen:
            _fail(f"表单字段“{label or code}”的字段名“{code}”重复。", f"Duplicate form field name {code!r}.",
                  "form_fields")
        seen.add(code)
        sit = by_code.get(code) or by_question.get(label)
        if sit is not None:
            _fail(f"表单字段“{label or code}”与情形“{sit.get('question')}”重复：情形中已问过的问题，表单中不再询问。",
                  f"Form field {code!r} repeats the situation question {sit.get('code')!r}; "
                  "a question asked in the situations is not asked again in the form.", "form_fields")
    return form_fields


def situations_validate(situations: list[dict]) -> list[dict]:
    seen: set[str] = set()
    for i, s in enumerate(situations):
        code = str(s.get("code") or "").strip()
        if not code:
            _fail("情形编码不能为空。", "A situation needs a code.", f"situations.{i}.code")
        if code in seen:
            _fail(f"情形编码“{code}”重复。", f"Duplicate situation code {code!r}.", f"situations.{i}.code")
        seen.add(code)
        opts = s.get("options") or []
        if len(opts) < 2:
            _fail(f"情形“{s.get('question') or code}”至少需要两个选项。",
                  f"Situation {code!r} needs at least two options.", f"situations.{i}.options")
        opt_codes = [o.get("code") for o in opts]
        if len(set(opt_codes)) != len(opt_codes) or not all(opt_codes):
            _fail(f"情形“{code}”的选项编码为空或重复。", f"Options of {code!r} need unique codes.",
                  f"situations.{i}.options")
    return situations


def materials_validate(materials: list[dict], situations: list[dict]) -> list[dict]:
    sit_opts = {s["code"]: {o["code"] for o in s.get("options", [])} for s in situations}
    seen: set[str] = set()
    out = []
    for i, m in enumerate(materials):
        m = dict(m)
        code = str(m.get("code") or f"M{i + 1:02d}").strip()
        if code in seen:
            _fail(f"材料编码“{code}”重复。", f"Duplicate material code {code!r}.", f"materials.{i}.code")
        seen.add(code)
        m["code"] = code
        if not str(m.get("name") or "").strip():
            _fail("材料名称不能为空。", "A material needs a name.", f"materials.{i}.name")
        for key, choices, label in (("necessity", Necessity, "必要性"), ("form", MaterialForm, "原件/复印件"),
                                    ("medium", Medium, "载体"), ("source", MaterialSource, "来源")):
            value = m.get(key) or choices.values[0]
            if value not in choices.values:
                _fail(f"材料“{m['name']}”的{label}“{value}”无效。", f"Material {m['name']!r}: bad {key} {value!r}.",
                      f"materials.{i}.{key}")
            m[key] = value
        lt = m.get("licence_type")
        if lt and not isinstance(lt, LicenceType):
            found = LicenceType.objects.filter(code=str(lt)).first() or LicenceType.objects.filter(name=str(lt)).first()
            if found is None:
                _fail(f"材料“{m['name']}”引用了未知证照类型“{lt}”。", f"Unknown licence type {lt!r}.",
                      f"materials.{i}.licence_type")
            m["licence_type"] = found
        for sit, opts in (m.get("applies_when") or {}).items():
            if sit not in sit_opts:
                _fail(f"材料“{m['name']}”引用了未知情形“{sit}”。", f"Material {m['name']!r} names unknown situation {sit!r}.",
                      f"materials.{i}.applies_when")
            unknown = set(opts) - sit_opts[sit]
            if unknown:
                _fail(f"材料“{m['name']}”引用了情形“{sit}”的未知选项：{'、'.join(sorted(unknown))}。",
                      f"Unknown options {sorted(unknown)} of situation {sit!r}.", f"materials.{i}.applies_when")
        try:
            m["copies"] = int(m.get("copies") or 1)
        except (TypeError, ValueError):
            _fail(f"材料“{m['name']}”的份数应为整数。", "Copies must be a whole number.", f"materials.{i}.copies")
        out.append(m)
    return out


@transaction.atomic
def matter_save(*, spec: dict[str, Any], situations: list[dict] | None = None, materials: list[dict] | None = None,
                actor=None) -> Matter:
    """Create or update a matter by its implementation code, replace its situations and materials when given,
    re-index it for search and freeze a new version if anything changed."""
    data = matter_validate(spec)
    existing = Matter.objects.select_for_update().filter(implementation_code=data["implementation_code"]).first()
    if situations is None:
        situations = [_situation_dict(s) for s in existing.situations.all()] if existing else []
    situations = situations_validate(situations)
    if materials is None:
        materials = [_material_dict(m) for m in existing.materials.all()] if existing else []
    materials = materials_validate(materials, situations)
    form_fields_validate(data["form_fields"] if "form_fields" in data else (existing.form_fields if existing else []),
                         situations)
    old_files = ({m.code: {k: getattr(m, k).name for k, _ in MATERIAL_FILES} for m in existing.materials.all()}
                 if existing else {})
    for m in materials:
        for key, label in MATERIAL_FILES:
            if key not in m:
                m[key] = old_files.get(m["code"], {}).get(key, "")
            else:
                m[key] = _material_file_store(m[key], key, label, m["name"], m["code"])

    matter = existing or Matter(implementation_code=data["implementation_code"])
    before = matter_snapshot(matter) if existing else None
    for key in MATTER_SCALARS:
        if key in data:
            setattr(matter, key, data[key])
    matter.department = data["department"]
    matter.domain = data["domain"]
    matter.result_licence_type = data.get("result_licence_type") or None
    matter.save()
    matter.situations.all().delete()
    matter.materials.all().delete()
    Situation.objects.bulk_create([
        Situation(matter=matter, code=s["code"], question=s["question"], options=s["options"], order=i)
        for i, s in enumerate(situations)
    ])
    MaterialRequirement.objects.bulk_create([
        MaterialRequirement(matter=matter, code=m["code"], licence_type=m.get("licence_type") or None, order=i,
                            **{k: m[k] for k in MATERIAL_SCALARS if k in m},
                            **{k: m[k] for k, _ in MATERIAL_FILES})
        for i, m in enumerate(materials)
    ])
    matter_index(matter)
    version = matter_publish_version(matter=matter, actor=actor)
    audit_record(actor=actor, action="matter.update" if existing else "matter.create", obj=matter,
                 before=before, after={"version": version.number, "digest": version.digest})
    return matter


def _material_file_store(value, key: str, label: str, material: str, code: str) -> str:
    """Store a newly given file (checked: extension and size) and return its storage name; a name passes."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, File):
        _fail(f"材料“{material}”的{label}文件无效。", f"Material {code!r}: {key} is not a file.", "materials")
    name = (value.name or "").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in MATERIAL_FILE_EXTENSIONS:
        _fail(f"材料“{material}”的{label}文件类型“{ext or '无扩展名'}”不支持，应为：{'、'.join(MATERIAL_FILE_EXTENSIONS)}。",
              f"Material {code!r}: {key} must be one of {', '.join(MATERIAL_FILE_EXTENSIONS)}.", "materials")
    if value.size is not None and value.size > MATERIAL_FILE_MAX_BYTES:
        _fail(f"材料“{material}”的{label}文件超过10MB上限。", f"Material {code!r}: {key} exceeds 10 MB.",
              "materials")
    folder = MaterialRequirement._meta.get_field(key).upload_to
    return default_storage.save(f"{folder}{name}", value)


def _situation_dict(s: Situation) -> dict:
    return {"code": s.code, "question": s.question, "options": s.options}


def _material_dict(m: MaterialRequirement) -> dict:
    d = {k: getattr(m, k) for k in MATERIAL_SCALARS}
    d["code"] = m.code
    d["licence_type"] = m.licence_type.code if m.licence_type_id else None
    for key, _ in MATERIAL_FILES:
        d[key] = getattr(m, key).name or ""
    return d


def matter_snapshot(matter: Matter) -> dict[str, Any]:
    """The whole published content of a matter as plain JSON (what a version freezes)."""
    snap = {k: getattr(matter, k) for k in MATTER_SCALARS}
    snap.update({
        "implementation_code": matter.implementation_code,
        "department": {"code": matter.department.code, "name": matter.department.name},
        "domain": {"code": matter.domain.code, "name": matter.domain.name},
        "result_licence_type": (
            {"code": matter.result_licence_type.code, "name": matter.result_licence_type.name}
            if matter.result_licence_type_id else None
        ),
        "situations": [_situation_dict(s) for s in matter.situations.order_by("order", "id")],
        "materials": [
            {**_material_dict(m),
             "licence_type_name": m.licence_type.name if m.licence_type_id else None}
            for m in matter.materials.select_related("licence_type").order_by("order", "id")
        ],
    })
    return snap


def _digest(snapshot: dict) -> str:
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def matter_publish_version(*, matter: Matter, actor=None) -> MatterVersion:
    snapshot = matter_snapshot(matter)
    digest = _digest(snapshot)
    latest = matter.versions.order_by("-number").first()
    if latest is not None and latest.digest == digest:
        return latest
    return MatterVersion.objects.create(matter=matter, number=(latest.number + 1) if latest else 1,
                                        snapshot=snapshot, digest=digest,
                                        created_by=actor if getattr(actor, "pk", None) else None)


@transaction.atomic
def domain_save(*, code: str, name: str, ticket_prefix: str, order: int = 0) -> WindowDomain:
    if not code or not name or not ticket_prefix:
        _fail("领域编码、名称和号码前缀均不能为空。", "Domain code, name and ticket prefix are required.", "code")
    domain, _ = WindowDomain.objects.update_or_create(
        code=code, defaults={"name": name, "ticket_prefix": ticket_prefix.upper(), "order": order})
    return domain


@transaction.atomic
def licence_type_save(*, code: str, name: str, issuing_department: Department | None = None,
                      validity_years: int | None = None) -> LicenceType:
    lt, _ = LicenceType.objects.update_or_create(
        code=code, defaults={"name": name, "issuing_department": issuing_department, "validity_years": validity_years})
    return lt
