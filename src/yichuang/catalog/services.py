"""Every write to the catalogue goes through here: validate, save live rows, re-index, freeze a version."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction

from yichuang.accounts.models import Department
from yichuang.audit.services import audit_record
from yichuang.core.errors import ValidationFailed

from .constants import HandlingKind, HandlingLevel, MaterialForm, MaterialSource, MatterType, Medium, Necessity, ResultKind
from .models import LicenceType, MaterialRequirement, Matter, MatterVersion, Situation, WindowDomain
from .search import matter_index

MATTER_SCALARS = (
    "basic_code", "name", "matter_type", "legal_basis", "acceptance_conditions", "legal_limit_days",
    "promised_limit_days", "handling_kind", "charges", "fee_description", "fee_basis", "visits_required",
    "handling_levels", "negative_list", "result_kind", "result_name", "keywords", "faq", "process_steps",
    "form_fields", "is_active",
)
MATERIAL_SCALARS = (
    "name", "necessity", "form", "copies", "medium", "source", "issuing_department", "applies_when",
    "sample_text", "blank_form", "review_points", "notes",
)


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
    for key in ("faq", "process_steps", "form_fields"):
        out[key] = list(out.get(key) or [])
    return out


def situations_validate(situations: list[dict]) -> list[dict]:
    seen: set[str] = set()
    for s in situations:
        code = str(s.get("code") or "").strip()
        if not code:
            _fail("情形编码不能为空。", "A situation needs a code.", "situations")
        if code in seen:
            _fail(f"情形编码“{code}”重复。", f"Duplicate situation code {code!r}.", "situations")
        seen.add(code)
        opts = s.get("options") or []
        if len(opts) < 2:
            _fail(f"情形“{s.get('question') or code}”至少需要两个选项。",
                  f"Situation {code!r} needs at least two options.", "situations")
        opt_codes = [o.get("code") for o in opts]
        if len(set(opt_codes)) != len(opt_codes) or not all(opt_codes):
            _fail(f"情形“{code}”的选项编码为空或重复。", f"Options of {code!r} need unique codes.", "situations")
    return situations


def materials_validate(materials: list[dict], situations: list[dict]) -> list[dict]:
    sit_opts = {s["code"]: {o["code"] for o in s.get("options", [])} for s in situations}
    seen: set[str] = set()
    out = []
    for i, m in enumerate(materials):
        m = dict(m)
        code = str(m.get("code") or f"M{i + 1:02d}").strip()
        if code in seen:
            _fail(f"材料编码“{code}”重复。", f"Duplicate material code {code!r}.", "materials")
        seen.add(code)
        m["code"] = code
        if not str(m.get("name") or "").strip():
            _fail("材料名称不能为空。", "A material needs a name.", "materials")
        for key, choices, label in (("necessity", Necessity, "必要性"), ("form", MaterialForm, "原件/复印件"),
                                    ("medium", Medium, "载体"), ("source", MaterialSource, "来源")):
            value = m.get(key) or choices.values[0]
            if value not in choices.values:
                _fail(f"材料“{m['name']}”的{label}“{value}”无效。", f"Material {m['name']!r}: bad {key} {value!r}.",
                      "materials")
            m[key] = value
        lt = m.get("licence_type")
        if lt and not isinstance(lt, LicenceType):
            found = LicenceType.objects.filter(code=str(lt)).first() or LicenceType.objects.filter(name=str(lt)).first()
            if found is None:
                _fail(f"材料“{m['name']}”引用了未知证照类型“{lt}”。", f"Unknown licence type {lt!r}.", "materials")
            m["licence_type"] = found
        for sit, opts in (m.get("applies_when") or {}).items():
            if sit not in sit_opts:
                _fail(f"材料“{m['name']}”引用了未知情形“{sit}”。", f"Material {m['name']!r} names unknown situation {sit!r}.",
                      "materials")
            unknown = set(opts) - sit_opts[sit]
            if unknown:
                _fail(f"材料“{m['name']}”引用了情形“{sit}”的未知选项：{'、'.join(sorted(unknown))}。",
                      f"Unknown options {sorted(unknown)} of situation {sit!r}.", "materials")
        try:
            m["copies"] = int(m.get("copies") or 1)
        except (TypeError, ValueError):
            _fail(f"材料“{m['name']}”的份数应为整数。", "Copies must be a whole number.", "materials")
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
                            **{k: m[k] for k in MATERIAL_SCALARS if k in m})
        for i, m in enumerate(materials)
    ])
    matter_index(matter)
    version = matter_publish_version(matter=matter, actor=actor)
    audit_record(actor=actor, action="matter.update" if existing else "matter.create", obj=matter,
                 before=before, after={"version": version.number, "digest": version.digest})
    return matter


def _situation_dict(s: Situation) -> dict:
    return {"code": s.code, "question": s.question, "options": s.options}


def _material_dict(m: MaterialRequirement) -> dict:
    d = {k: getattr(m, k) for k in MATERIAL_SCALARS}
    d["code"] = m.code
    d["licence_type"] = m.licence_type.code if m.licence_type_id else None
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
