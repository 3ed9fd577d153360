"""REST routes for one-thing bundles under /api/v1/bundles. Thin: parse, call one service or selector."""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema
from pydantic import ConfigDict

from yichuang.accounts.auth import api_auth
from yichuang.accounts.constants import Role
from yichuang.cases import selectors as case_selectors
from yichuang.cases.constants import ApplicantKind, Channel
from yichuang.core.errors import PermissionDeniedError

from . import selectors, services

router = Router(tags=["bundles 一件事"])


class BundleApplyIn(Schema):
    applicant_kind: str = ApplicantKind.PERSON
    applicant_name: str
    id_number: str = ""
    credit_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_address: str = ""
    answers: dict[str, str] = {}
    form_data: dict[str, Any] = {}
    materials: dict[str, Any] = {}
    channel: str = Field("", description="window 窗口收件 或 online 网上申请；不填按角色 Empty: by the caller's role")
    ticket_number: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "applicant_kind": "company", "applicant_name": "重庆建国餐饮有限公司", "credit_code": "",
        "contact_name": "王建国", "contact_phone": "13800138000", "contact_address": "重庆市九龙坡区科园一路3号",
        "answers": {}, "form_data": {"company_name": "重庆建国餐饮有限公司"}, "materials": {}, "channel": "window"}]})


class SubcaseDecisionIn(Schema):
    approve: bool = Field(description="true 准予、false 不予 true approves, false denies")
    opinion: str = ""
    legal_basis: str = ""
    result_data: dict[str, str] = Field({}, description="办结产出（如新的统一社会信用代码 credit_code），供后续事项使用 "
                                                        "What the decision produces for the next matters")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "approve": True, "opinion": "符合设立登记条件，准予登记。", "legal_basis": "《中华人民共和国市场主体登记管理条例》",
        "result_data": {"credit_code": "91500107MA5U8XQ315"}}]})


class BundleIssueIn(Schema):
    method: str = Field(description="window 窗口领取 或 post 邮寄送达")
    signed_by: str = ""
    address: str = ""
    carrier: str = ""
    tracking_no: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{"method": "window", "signed_by": "王建国"}]})


def _summary(b) -> dict:
    return {"code": b.code, "name": b.name, "description": b.description,
            "matters": [i.matter.name for i in b.items.all()]}


@router.get("/", summary="一件事列表 Bundles")
def bundle_list(request):
    return [_summary(b) for b in selectors.bundle_list()]


@router.get("/progress", summary="一件事进度查询（公开） Public progress lookup")
def bundle_progress(request, number: str, last4: str):
    return selectors.bundle_progress(number=number, id_last4=last4)


@router.get("/cases", auth=api_auth, summary="我可见的一件事办件 Bundle cases I may see")
def bundle_cases(request, limit: int = 50):
    return [{"number": p.number, "bundle": p.bundle.name, "applicant_name": p.applicant_name, "state": p.state,
             "due_date": p.due_date, "created_at": p.created_at}
            for p in selectors.bundle_cases_for(user=request.auth, limit=max(1, min(limit, 200)))]


@router.get("/cases/{number}", auth=api_auth, summary="一件事办件（综合状态、关键路径时限） Bundle case")
def bundle_case(request, number: str):
    parent = selectors.bundle_case_get_for(user=request.auth, number=number)
    return selectors.bundle_case_detail(parent=parent, with_staff=request.auth.role != Role.APPLICANT)


@router.post("/cases/{number}/issue", auth=api_auth, summary="一次出件 Issue every result at once")
def bundle_case_issue(request, number: str, payload: BundleIssueIn):
    parent = selectors.bundle_case_get_for(user=request.auth, number=number)
    services.bundle_case_issue(parent=parent, actor=request.auth, **payload.dict())
    return selectors.bundle_case_detail(parent=selectors.bundle_case_get(number=number))


@router.post("/subcases/{number}/decide", auth=api_auth,
             summary="子办件决定（含办结产出数据） Decide a sub-case with its result data")
def subcase_decide(request, number: str, payload: SubcaseDecisionIn):
    case = case_selectors.case_get_for(user=request.auth, number=number)
    case = services.bundle_subcase_decide(case=case, actor=request.auth, **payload.dict())
    return case_selectors.case_detail(case=case_selectors.case_get(number=case.number))


@router.get("/{code}", summary="一件事详情：情形、联合表单、合并材料清单 Definition, union form, checklist")
def bundle_detail(request, code: str, answers: str = ""):
    """``answers``: situation answers as ``name=option;name=option``."""
    parsed = dict(p.split("=", 1) for p in answers.split(";") if "=" in p)
    return selectors.bundle_public(bundle=selectors.bundle_get(code=code), answers=parsed)


@router.post("/{code}/apply", auth=api_auth, summary="一件事申请（窗口收件或网上申请） Apply")
def bundle_apply(request, code: str, payload: BundleApplyIn):
    user = request.auth
    data = payload.dict()
    channel = data.pop("channel") or (Channel.ONLINE if user.role == Role.APPLICANT else Channel.WINDOW)
    if user.role == Role.APPLICANT and channel != Channel.ONLINE:
        raise PermissionDeniedError("申请人只能网上申请。", "Applicants apply online.", code="channel")
    parent = services.bundle_apply(bundle=selectors.bundle_get(code=code), actor=user, channel=channel, **data)
    return selectors.bundle_case_detail(parent=selectors.bundle_case_get(number=parent.number),
                                        with_staff=user.role != Role.APPLICANT)
