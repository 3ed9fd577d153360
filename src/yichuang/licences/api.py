"""REST routes for the e-licence library under /api/v1/licences. Staff search and manage; anyone may verify
a licence by its number and holder name."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from yichuang.accounts.auth import api_auth
from yichuang.core.errors import PermissionDeniedError
from yichuang.documents.builders import request_base
from yichuang.documents.views import pdf_response

from . import selectors, services
from .paper import document_for_licence

router = Router(tags=["licences 电子证照"])


class LicenceReasonIn(Schema):
    reason: str = Field("", description="理由（留痕） Reason (kept in the licence's history)")

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "经营场所不符合要求，依法暂扣"}]})


class LicenceRenewIn(Schema):
    valid_to: dt.date | None = Field(None, description="新的有效期至；不填按证照类型的有效年限 New end of validity")
    reason: str = ""

    model_config = ConfigDict(json_schema_extra={"examples": [{"valid_to": "2031-12-31", "reason": "有效期届满延续"}]})


class LicenceIn(Schema):
    licence_type: str = Field(description="证照类型编码，如 YYZZ 营业执照、SPJYXKZ 食品经营许可证 Licence type code")
    holder_kind: str = Field(description="person 自然人 或 company 法人/组织")
    holder_name: str
    holder_identifier: str = Field(description="身份证号或统一社会信用代码 ID number or credit code")
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "licence_type": "SPJYXKZ", "holder_kind": "company", "holder_name": "重庆建国餐饮有限公司",
        "holder_identifier": "91500107MA5U8XQ315", "valid_from": "2026-01-05", "valid_to": "2031-01-04"}]})


@router.get("/", auth=api_auth, summary="证照库查询 Search the library")
def search(request, q: str = "", type: str = "", status: str = "", limit: int = Query(50, ge=1, le=10_000),
           offset: int = Query(0, ge=0, le=10**9)):
    """按编号、持证主体名称或完整证件号查询 By number, holder name or full identifier; filter by type and status."""
    return selectors.licence_search(user=request.auth, q=q, type_code=type, status=status, limit=limit,
                                    offset=offset)


@router.post("/", auth=api_auth, summary="录入证照 Issue a licence (administrators, e.g. licences issued elsewhere)")
def issue(request, payload: LicenceIn):
    if request.auth.role != "admin" and not request.auth.is_superuser:
        raise PermissionDeniedError("只有管理员可以直接录入证照。", "Only administrators may enter licences directly.")
    lic = services.licence_issue(actor=request.auth, **payload.dict())
    return selectors.licence_detail(licence=lic)


@router.get("/verify", summary="证照核验（公开） Public verification")
def verify(request, number: str, holder: str):
    return selectors.licence_verify(number=number, holder_name=holder)


@router.get("/held", auth=api_auth, summary="持有的有效证照类型 Valid licence types held")
def held(request, identifier: str):
    selectors.staff_check(user=request.auth)
    return sorted(selectors.licence_types_held(identifier=identifier))


@router.get("/{number}", auth=api_auth, summary="证照详情 Licence detail")
def detail(request, number: str):
    return selectors.licence_detail(licence=selectors.licence_get_for(user=request.auth, number=number))


@router.get("/{number}/pdf", auth=api_auth, summary="电子证照 PDF（已签章） Signed licence PDF")
def pdf(request, number: str):
    lic = selectors.licence_get_for(user=request.auth, number=number)
    return pdf_response(document_for_licence(licence=lic, actor=request.auth, base=request_base(request)))


@router.post("/{number}/suspend", auth=api_auth, summary="暂扣 Suspend")
def suspend(request, number: str, payload: LicenceReasonIn):
    lic = services.licence_suspend(licence=selectors.licence_get_for(user=request.auth, number=number),
                                   actor=request.auth, reason=payload.reason)
    return selectors.licence_detail(licence=lic)


@router.post("/{number}/reinstate", auth=api_auth, summary="恢复 Reinstate")
def reinstate(request, number: str, payload: LicenceReasonIn):
    lic = services.licence_reinstate(licence=selectors.licence_get_for(user=request.auth, number=number),
                                     actor=request.auth, reason=payload.reason)
    return selectors.licence_detail(licence=lic)


@router.post("/{number}/revoke", auth=api_auth, summary="撤销/注销 Revoke")
def revoke(request, number: str, payload: LicenceReasonIn):
    lic = services.licence_revoke(licence=selectors.licence_get_for(user=request.auth, number=number),
                                  actor=request.auth, reason=payload.reason)
    return selectors.licence_detail(licence=lic)


@router.post("/{number}/renew", auth=api_auth, summary="延续 Renew")
def renew(request, number: str, payload: LicenceRenewIn):
    lic = services.licence_renew(licence=selectors.licence_get_for(user=request.auth, number=number),
                                 actor=request.auth, valid_to=payload.valid_to, reason=payload.reason)
    return selectors.licence_detail(licence=lic)
