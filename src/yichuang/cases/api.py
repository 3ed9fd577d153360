"""REST routes for cases under /api/v1/cases. Thin: parse, call one service, return the detail.
Role, 受审分离 and department checks live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, File, Router, Schema
from pydantic import ConfigDict
from ninja.files import UploadedFile

from yichuang.accounts.auth import api_auth
from yichuang.accounts.models import User
from yichuang.core.errors import ValidationFailed
from yichuang.core.net import client_ip
from yichuang.core.ratelimit import progress_rate_limit

from . import selectors, services
from .constants import ApplicantKind, Channel

router = Router(tags=["cases 办件"])


# The demo's 食品经营许可 (开饭店) for a company: the examples of 收件 and 网上申请.
FOOD_APPLICATION = {
    "matter_code": "11500107MB1A2B3C4M000101001000001", "applicant_kind": "company",
    "applicant_name": "重庆建国餐饮有限公司", "credit_code": "91500107MA5U8XQ315", "contact_name": "王建国",
    "contact_phone": "13800138000", "contact_address": "重庆市九龙坡区杨家坪正街18号",
    "answers": {"apply_type": "first", "business_form": "catering", "agent": "self"},
    "form_data": {"operator_name": "重庆建国餐饮有限公司", "credit_code": "91500107MA5U8XQ315", "legal_rep": "王建国",
                  "premises": "重庆市九龙坡区杨家坪正街18号", "items": ["热食类食品制售"], "phone": "13800138000"},
}


class ReceiveIn(Schema):
    matter_code: str
    applicant_kind: str = ApplicantKind.PERSON
    applicant_name: str
    id_number: str = ""
    credit_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_address: str = ""
    agent_name: str = ""
    agent_id_number: str = ""
    agent_authorisation: bool = False
    answers: dict[str, str] = {}
    form_data: dict[str, Any] = {}
    materials: dict[str, Any] = {}
    channel: str = Channel.WINDOW
    bad_credit: bool = False
    ticket_number: str = ""
    forward: bool = Field(False, description="收件并流转: forward to the back office in the same step (every required "
                                             "material must be in; otherwise nothing is received)")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        **FOOD_APPLICATION, "materials": {"application": {"status": "provided", "medium": "paper"},
                                          "layout": "provided", "safety_rules": "provided"},
        "channel": "window", "ticket_number": "Q001", "forward": False}]})


class ReasonIn(Schema):
    reason: str = Field("", description="理由或备注 Reason or note (kept in the history)")

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "材料齐全，予以流转"}]})


class MaterialsIn(Schema):
    materials: dict[str, Any] = Field({}, description="材料编码 → 状态（provided/missing/incorrect/tolerant/exempt）"
                                                      "或 {status, medium, note} Material code → status")

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"materials": {"app": "provided", "id": {"status": "provided", "medium": "electronic"}}}]})


class SupplementRequestIn(Schema):
    due_date: dt.date
    items: list[dict[str, Any]] = Field([], description="{code, problem: missing 缺少 | incorrect 需补正, note}")
    note: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "due_date": "2026-12-31", "items": [{"code": "id", "problem": "incorrect", "note": "身份证复印件不清晰，请重新提供"}],
        "note": "请于期限内补齐"}]})


class TolerantIn(Schema):
    items: list[str] = Field(description="容缺的材料编码 Codes of the materials accepted as missing")
    commitment: str
    due_date: dt.date

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "items": ["lease"], "commitment": "本人承诺于期限内补交场地使用证明。", "due_date": "2026-12-31"}]})


class NotAcceptIn(Schema):
    reason: str
    legal_basis: str

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reason": "申请事项不属于本机关职权范围", "legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第（二）项"}]})


class SuspendIn(Schema):
    reason: str = Field(description="site_inspection 现场勘验、technical_review 技术审查、hearing 听证、"
                                    "expert_review 专家评审、publicity 公示")
    note: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "site_inspection", "note": "约定下周现场勘验"}]})


class ExtendIn(Schema):
    days: int = Field(description="延长的工作日数 Working days added")
    approved_by: str = Field(description="批准延期的负责人用户名 Username of the head who approved the extension")
    reason: str

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "days": 5, "approved_by": "admin", "reason": "需组织专家论证，经本机关负责人批准延长"}]})


class CaseDecisionIn(Schema):
    """准予 / 不予: the opinion (required to deny) and its legal basis."""

    opinion: str = ""
    legal_basis: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "opinion": "申请材料齐全，符合法定条件，准予许可。", "legal_basis": "《中华人民共和国行政许可法》第三十八条"}]})


class CaseApproveIn(CaseDecisionIn):
    """准予, with what the decision produces where the matter's result needs it (``GET /cases/{number}`` lists it
    as ``result_fields``; 企业设立登记: the new company's 统一社会信用代码)."""

    result_data: dict[str, str] = Field(default_factory=dict, description=(
        "决定产生的数据，如设立登记的统一社会信用代码 What the decision produces, e.g. the new company's credit code"))

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "opinion": "申请材料齐全，符合法定条件，准予登记。", "legal_basis": "《中华人民共和国市场主体登记管理条例》第十九条",
        "result_data": {"credit_code": "91500107MA5U7AB39X"}}]})


class DecideNowIn(Schema):
    """即办件当场办结: the decision is this body's ``approve``, never implied."""

    approve: bool = Field(description="true 准予、false 不予（须写明意见） true approves; false denies (with an opinion)")
    opinion: str = ""
    legal_basis: str = ""
    result_data: dict[str, str] = Field(default_factory=dict, description=(
        "准予时决定产生的数据（见办件详情的 result_fields） What approving produces (see the detail's result_fields)"))

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "approve": False, "opinion": "申请人不符合法定条件，不予许可。",
        "legal_basis": "《中华人民共和国行政许可法》第三十八条第二款"}]})


class CaseIssueIn(Schema):
    method: str = Field(description="window 窗口领取 或 post 邮寄送达 window or post")
    signed_by: str = ""
    address: str = ""
    carrier: str = ""
    tracking_no: str = ""
    originals_checked: bool = False

    model_config = ConfigDict(json_schema_extra={"examples": [{"method": "window", "signed_by": "王建国"}]})


def _case(request, number: str):
    return selectors.case_get_for(user=request.auth, number=number)


def _ref(request, number: str):
    """The case a write is about (visibility checked; the service locks and re-reads it)."""
    return selectors.case_ref_for(user=request.auth, number=number)


def _key(request, number: str):
    """The case a step is about, for services that lock it first: read, locked and checked for visibility there,
    in one query."""
    return selectors.case_key_for(user=request.auth, number=number)


def _detail(case) -> dict:
    """The detail of the case a service returned (it carries the row as written, with its relations)."""
    return selectors.case_detail(case=case)


@router.post("/", auth=api_auth, summary="收件（或收件并流转） Receive a case (or receive and forward)")
def receive(request, payload: ReceiveIn):
    return _detail(services.case_receive(actor=request.auth, **payload.dict()))


class OnlineIn(Schema):
    matter_code: str
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

    model_config = ConfigDict(json_schema_extra={"examples": [{
        **FOOD_APPLICATION, "materials": {"application": "provided", "layout": "provided"}}]})


@router.post("/online", auth=api_auth, summary="网上申请 Submit online")
def submit_online(request, payload: OnlineIn):
    case = services.case_submit_online(actor=request.auth, **payload.dict())
    return _detail(case)


@router.get("/inbox", auth=api_auth, summary="待办列表 Inbox")
def inbox(request, state: str | None = None, light: str | None = None, matter: str | None = None, limit: int = 50,
          offset: int = 0):
    """一页至多200条，按到期日排序 One page of at most 200 rows, by due date."""
    return selectors.case_inbox(user=request.auth, state=state, light_filter=light, matter_code=matter, limit=limit,
                                offset=offset)


@router.get("/progress", summary="办件进度查询（公开） Public progress lookup")
def progress(request, number: str, last4: str):
    progress_rate_limit(ip=client_ip(request), number=number)
    return selectors.case_progress(number=number, id_last4=last4)


@router.get("/{number}", auth=api_auth, summary="办件详情 Case detail")
def detail(request, number: str):
    return selectors.case_detail(case=_case(request, number))


@router.get("/{number}/transitions", auth=api_auth, summary="流转记录 History")
def transitions(request, number: str):
    return selectors.case_history(case=_case(request, number))


@router.post("/{number}/materials", auth=api_auth, summary="勾选材料 Tick materials")
def materials(request, number: str, payload: MaterialsIn):
    return _detail(services.case_materials_update(case=_ref(request, number), actor=request.auth,
                                                  materials=payload.materials))


@router.post("/{number}/materials/{code}/upload", auth=api_auth, summary="上传扫描件 Upload a scan")
def upload(request, number: str, code: str, file: UploadedFile = File(...)):
    cm = services.case_attach_upload(case=_ref(request, number), actor=request.auth, requirement_code=code,
                                     filename=file.name or "", file=file)
    return {"code": cm.requirement_code, "status": cm.status, "content_type": cm.content_type, "size": cm.size,
            "file": cm.upload.name}


@router.post("/{number}/forward", auth=api_auth, summary="流转后台 Forward")
def forward(request, number: str, payload: ReasonIn):
    case = services.case_forward(case=_key(request, number), actor=request.auth, reason=payload.reason)
    return _detail(case)


@router.post("/{number}/supplement-request", auth=api_auth, summary="补齐补正通知 Supplement notice")
def supplement_request(request, number: str, payload: SupplementRequestIn):
    notice = services.case_request_supplement(case=_ref(request, number), actor=request.auth,
                                              due_date=payload.due_date, items=payload.items, note=payload.note)
    return {"notice": notice.number, "content": notice.content, "text": notice.text}


@router.post("/{number}/supplement", auth=api_auth, summary="补正 Supplement")
def supplement(request, number: str, payload: MaterialsIn):
    return _detail(services.case_supplement(case=_ref(request, number), actor=request.auth,
                                            materials=payload.materials))


@router.post("/{number}/tolerant", auth=api_auth, summary="容缺受理 Tolerant acceptance")
def tolerant(request, number: str, payload: TolerantIn):
    return _detail(services.case_accept_tolerant(case=_ref(request, number), actor=request.auth,
                                                 items=payload.items, commitment=payload.commitment,
                                                 due_date=payload.due_date))


@router.post("/{number}/accept", auth=api_auth, summary="受理 Accept")
def accept(request, number: str, payload: ReasonIn):
    return _detail(services.case_accept(case=_key(request, number), actor=request.auth, reason=payload.reason))


@router.post("/{number}/not-accept", auth=api_auth, summary="不予受理 Do not accept")
def not_accept(request, number: str, payload: NotAcceptIn):
    services.case_not_accept(case=_ref(request, number), actor=request.auth, reason=payload.reason,
                             legal_basis=payload.legal_basis)
    return _detail(_case(request, number))


@router.post("/{number}/suspend", auth=api_auth, summary="中止计时 Suspend")
def suspend(request, number: str, payload: SuspendIn):
    return _detail(services.case_suspend(case=_ref(request, number), actor=request.auth, reason=payload.reason,
                                         note=payload.note))


@router.post("/{number}/resume", auth=api_auth, summary="恢复计时 Resume")
def resume(request, number: str):
    return _detail(services.case_resume(case=_ref(request, number), actor=request.auth))


@router.post("/{number}/extend", auth=api_auth, summary="延期 Extend")
def extend(request, number: str, payload: ExtendIn):
    approver = User.objects.filter(username=payload.approved_by).first()
    if approver is None:
        raise ValidationFailed("批准人不存在。", "Unknown approver.", field="approved_by")
    return _detail(services.case_extend(case=_ref(request, number), actor=request.auth, days=payload.days,
                                        approved_by=approver, reason=payload.reason))


@router.post("/{number}/approve", auth=api_auth, summary="准予 Approve")
def approve(request, number: str, payload: CaseApproveIn):
    return _detail(services.case_approve(case=_key(request, number), actor=request.auth, opinion=payload.opinion,
                                         legal_basis=payload.legal_basis, result_data=payload.result_data))


@router.post("/{number}/deny", auth=api_auth, summary="不予 Deny")
def deny(request, number: str, payload: CaseDecisionIn):
    return _detail(services.case_deny(case=_key(request, number), actor=request.auth, opinion=payload.opinion,
                                      legal_basis=payload.legal_basis))


@router.post("/{number}/decide-now", auth=api_auth, summary="即办件当场受理并办结 Accept and decide at once")
def decide_now(request, number: str, payload: DecideNowIn):
    """``approve`` in the body decides: true 准予, false 不予 (an opinion is then required)."""
    return _detail(services.case_accept_and_decide(case=_ref(request, number), actor=request.auth,
                                                   approve=payload.approve, opinion=payload.opinion,
                                                   legal_basis=payload.legal_basis,
                                                   result_data=payload.result_data))


@router.post("/{number}/ready", auth=api_auth, summary="待出件 Ready")
def ready(request, number: str):
    return _detail(services.case_mark_ready(case=_ref(request, number), actor=request.auth))


@router.post("/{number}/issue", auth=api_auth, summary="出件 Issue")
def issue(request, number: str, payload: CaseIssueIn):
    services.case_issue(case=_ref(request, number), actor=request.auth, **payload.dict())
    return _detail(_case(request, number))


class WithdrawIn(Schema):
    reason: str = Field("", description="申请人的撤回理由 The applicant's reason for withdrawing")
    written_request: bool = Field(False, description="窗口撤回：已收到申请人的书面撤回申请 At the window: the "
                                                     "applicant's written request was received")

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "申请人经营计划变更，书面申请撤回",
                                                               "written_request": True}]})


@router.post("/{number}/withdraw", auth=api_auth, summary="撤回（申请人申请） Withdraw at the applicant's request")
def withdraw(request, number: str, payload: WithdrawIn):
    return _detail(services.case_withdraw(case=_ref(request, number), actor=request.auth, reason=payload.reason,
                                          written_request=payload.written_request))


@router.post("/{number}/pii", auth=api_auth, summary="查看完整号码（需权限，留痕） Full ID and phone numbers (audited)")
def pii(request, number: str, payload: ReasonIn):
    return services.case_pii_reveal(case=_case(request, number), actor=request.auth, reason=payload.reason,
                                    address=client_ip(request))
