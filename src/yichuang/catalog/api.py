"""Catalogue API: search, matter detail, the checklist for answers, departments and domains; admin writes."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from ninja import File, Form, Router, Schema
from pydantic import ConfigDict
from ninja.files import UploadedFile

from yichuang.accounts.auth import api_auth
from yichuang.accounts.constants import Role
from yichuang.accounts.models import Department
from yichuang.core.errors import PermissionDeniedError, ValidationFailed

from . import selectors, services
from .checklist import checklist_build
from .constants import ServiceObject, Theme
from .excel import catalog_import_workbook
from .models import WindowDomain

router = Router(tags=["catalog 事项目录"])


class Error(Schema):
    code: str
    message: str
    message_en: str


class MatterBrief(Schema):
    implementation_code: str
    basic_code: str
    name: str
    department_code: str
    department_name: str
    domain_code: str
    matter_type: str
    handling_kind: str
    legal_limit_days: int
    promised_limit_days: int
    visits_required: int
    online_only: bool
    negative_list: bool
    service_objects: list[str]
    themes: list[str]


class FaqOut(Schema):
    q: str
    a: str


class OptionOut(Schema):
    code: str
    label: str


class SituationOut(Schema):
    code: str
    question: str
    options: list[OptionOut]


class MatterDetail(MatterBrief):
    version: int
    legal_basis: str
    acceptance_conditions: str
    charges: bool
    fee_description: str
    fee_basis: str
    handling_levels: list[str]
    result_kind: str
    result_name: str
    result_licence_type: str | None
    keywords: str
    process_steps: list[Any]
    faq: list[FaqOut]
    form_fields: list[Any]
    situations: list[SituationOut]
    handling_place: str
    handling_hours: str
    consult_phone: str
    complaint_channel: str
    special_procedures: str
    guide_url: str
    qr_url: str


class ChecklistIn(Schema):
    answers: dict[str, str] = {}

    model_config = ConfigDict(json_schema_extra={"examples": [{"answers": {"apply_type": "first"}}]})


class ChecklistItemOut(Schema):
    code: str
    name: str
    necessity: str
    form: str
    copies: int
    medium: str
    source: str
    licence_type: str | None
    licence_type_name: str | None
    issuing_department: str
    review_points: str
    sample_text: str
    blank_form: str
    exempt: bool
    blank_form_url: str | None
    sample_file_url: str | None


class ChecklistOut(Schema):
    matter_code: str
    matter_name: str
    version: int
    answers: dict[str, str]
    unanswered: list[SituationOut]
    complete: bool
    items: list[ChecklistItemOut]


class DepartmentOut(Schema):
    code: str
    name: str
    short_name: str


class DomainOut(Schema):
    code: str
    name: str
    ticket_prefix: str


class VersionOut(Schema):
    number: int
    created_at: str
    digest: str


class ImportOut(Schema):
    ok: bool
    summary: str
    errors: list[dict[str, Any]]
    warnings: list[Any]


def _brief(m) -> dict:
    return {
        "implementation_code": m.implementation_code, "basic_code": m.basic_code, "name": m.name,
        "department_code": m.department.code, "department_name": m.department.name, "domain_code": m.domain.code,
        "matter_type": m.matter_type, "handling_kind": m.handling_kind, "legal_limit_days": m.legal_limit_days,
        "promised_limit_days": m.promised_limit_days, "visits_required": m.visits_required,
        "online_only": m.online_only, "negative_list": m.negative_list,
        "service_objects": list(m.service_objects or []), "themes": list(m.themes or []),
    }


@router.get("/matters", response={200: list[MatterBrief], 400: Error}, summary="搜索、浏览事项 Search or browse matters")
def matters_search(request, q: str = "", department: str | None = None, domain: str | None = None,
                   audience: str | None = None, theme: str | None = None, limit: int = 20, offset: int = 0):
    """中文、全拼或首字母 (开饭店, 身份证, sfz, shenfenzheng)；`q` 为空时按实施编码列出全部已发布事项（`offset` 翻页）。
    `audience`：person（个人）或 legal_person（法人）；`theme`：主题编码或名称，如 company_start（开办企业）。
    负面清单事项（不在本中心办理）也列出，`negative_list` 为 true。"""
    return [_brief(m) for m in selectors.matter_search(query=q, limit=max(1, min(limit, 100)),
                                                       department=department, domain=domain, audience=audience,
                                                       theme=theme, offset=max(0, offset),
                                                       with_negative_list=True)]


@router.get("/matters/{code}", response={200: MatterDetail, 404: Error}, summary="事项详情（办事指南） Matter detail")
def matter_detail(request, code: str):
    matter = selectors.matter_get(code=code)
    version = selectors.matter_current_version(matter=matter)
    snap = version.snapshot
    elements = {e.key: e.value for e in selectors.matter_guide_elements(matter=matter, snapshot=snap)}
    return {
        **_brief(matter), "version": version.number,
        **{k: snap[k] for k in ("legal_basis", "acceptance_conditions", "charges", "fee_description", "fee_basis",
                                "handling_levels", "result_kind", "result_name", "keywords", "process_steps",
                                "faq", "form_fields", "situations")},
        **elements,
        "service_objects": list(snap.get("service_objects") or []), "themes": list(snap.get("themes") or []),
        "result_licence_type": (snap.get("result_licence_type") or {}).get("code"),
        "guide_url": request.build_absolute_uri(reverse("catalog:detail", args=[matter.implementation_code])),
        "qr_url": request.build_absolute_uri(reverse("catalog:qr", args=[matter.implementation_code])),
    }


def _file_url(request, code: str, item, kind: str) -> str | None:
    name = item.blank_form_file if kind == "blank" else item.sample_file
    if not name:
        return None
    return request.build_absolute_uri(reverse("catalog:material_file", args=[code, item.code, kind]))


def _checklist(request, code: str, answers: dict[str, str]) -> dict:
    matter = selectors.matter_get(code=code)
    version = selectors.matter_current_version(matter=matter)
    cl = checklist_build(version.snapshot, answers)
    return {"matter_code": cl.matter_code, "matter_name": cl.matter_name, "version": version.number,
            "answers": cl.answers, "unanswered": cl.unanswered, "complete": cl.complete,
            "items": [{**vars(i), "blank_form_url": _file_url(request, code, i, "blank"),
                       "sample_file_url": _file_url(request, code, i, "sample")} for i in cl.items]}


@router.post("/matters/{code}/checklist", response={200: ChecklistOut, 400: Error, 404: Error},
             summary="一次性告知清单 Checklist for answers")
def matter_checklist(request, code: str, payload: ChecklistIn):
    return _checklist(request, code, payload.answers)


@router.get("/matters/{code}/versions", response={200: list[VersionOut], 404: Error},
            summary="事项版本 Matter versions")
def matter_versions(request, code: str):
    matter = selectors.matter_get(code=code)
    return [{"number": v.number, "created_at": v.created_at.isoformat(), "digest": v.digest}
            for v in matter.versions.order_by("-number")]


@router.get("/departments", response=list[DepartmentOut], summary="部门 Departments")
def departments(request):
    return list(Department.objects.filter(is_active=True).values("code", "name", "short_name"))


class ChoiceOut(Schema):
    code: str
    name: str


@router.get("/themes", response=list[ChoiceOut], summary="主题（浏览分类） Themes to browse by")
def themes(request):
    """`GET /matters?theme=<code>` 的取值。"""
    return [{"code": c, "name": t} for c, t in Theme.choices]


@router.get("/audiences", response=list[ChoiceOut], summary="服务对象（个人/法人） Service objects")
def audiences(request):
    """`GET /matters?audience=<code>` 的取值。"""
    return [{"code": c, "name": t} for c, t in ServiceObject.choices]


@router.get("/domains", response=list[DomainOut], summary="办事领域 Window domains")
def domains(request):
    return list(WindowDomain.objects.values("code", "name", "ticket_prefix"))


def _require_admin(user) -> None:
    if not (user.is_superuser or user.role == Role.ADMIN):
        raise PermissionDeniedError("只有管理员可以修改事项目录。", "Only administrators may change the catalogue.")


@router.post("/import", auth=api_auth, response={200: ImportOut, 400: Error, 401: Error, 403: Error},
             summary="导入实施清单 Import a catalogue workbook")
def catalog_import(request, file: File[UploadedFile], dry_run: Form[bool] = False):
    """上传 实施清单 .xlsx；逐行报告错误（工作表、行号、原因）。表单字段 `dry_run=true` 只校验不写入
    (a form field of the upload: check only, write nothing)."""
    _require_admin(request.auth)
    if file.size > 20 * 1024 * 1024:
        raise ValidationFailed("文件超过20MB上限。", "The file exceeds the 20 MB limit.", field="file")
    report = catalog_import_workbook(path_or_file=file, dry_run=dry_run, actor=request.auth)
    body = report.as_dict()
    return {"ok": report.ok, "summary": report.summary(), "errors": body.get("errors", []),
            "warnings": body.get("warnings", [])}
