"""What each document says (a :class:`DocSpec`), built from the records. Layout lives in :mod:`.pdf`."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from yichuang.core.validators import mask_id_number

from .constants import DocumentKind
from .pdf import DocSpec

NECESSITY = {"required": "必要", "optional": "非必要", "tolerant": "必要（可容缺）"}
MATERIAL_STATUS = {"provided": "已提交", "missing": "缺少", "incorrect": "需补正", "tolerant": "容缺后补",
                   "exempt": "免提交"}


def public_url(path: str) -> str:
    return settings.YICHUANG_PUBLIC_URL.rstrip("/") + path


def progress_url(case) -> str:
    return public_url("/cases/progress/?" + urlencode({"number": case.number}))


def verify_footer() -> str:
    return f"本文书加盖电子签章，可在 {public_url('/documents/verify/')} 核验真伪"


def _date(value) -> str:
    if not value:
        return "—"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return f"{value.year}年{value.month}月{value.day}日"


def _identifier(case) -> str:
    return case.applicant_credit_code or mask_id_number(case.applicant_id_number)


def _split_text(text: str) -> tuple[str, list[str]]:
    """Notice texts start with "申请人：" on the first line; the rest are paragraphs."""
    lines = (text or "").split("\n")
    if lines and lines[0].endswith("："):
        return lines[0], [line for line in lines[1:] if line.strip()]
    return "", [line for line in lines if line.strip()]


def _base(case, *, title: str, number: str, date: dt.date) -> DocSpec:
    return DocSpec(centre=case.handling_centre.name, title=title, number=number, date=date,
                   issuer=case.matter.department.name, qr_url=progress_url(case), qr_caption="扫码查询办理进度",
                   footer=verify_footer())


def _material_rows(case) -> list[list[str]]:
    rows = []
    for i, m in enumerate(case.materials.order_by("order", "id"), 1):
        rows.append([str(i), m.name, NECESSITY.get(m.necessity, m.necessity), MATERIAL_STATUS.get(m.status, m.status),
                     m.note])
    return rows


def spec_for_notice(notice) -> DocSpec:
    case, c = notice.case, notice.content or {}
    date = notice.created_at.astimezone(timezone.get_current_timezone()).date() if notice.created_at else \
        timezone.localdate()
    spec = _base(case, title=notice.get_kind_display(), number=notice.number, date=date)
    spec.addressee, spec.paragraphs = _split_text(notice.text)
    spec.fields = [("办件编号", case.number), ("申请事项", case.matter.name), ("申请人", case.applicant_name),
                   ("证件号码", _identifier(case)), ("承办部门", case.matter.department.name)]
    kind = notice.kind
    if kind == DocumentKind.ACCEPTANCE:
        spec.fields += [("受理日期", _date(c.get("accepted_on"))),
                        ("承诺办结时限", f"{c.get('promised_days', '')}个工作日"),
                        ("承诺办结日期", _date(c.get("due_date"))), ("法定办结日期", _date(c.get("legal_due_date")))]
        if c.get("tolerant_items"):
            spec.fields.append(("容缺补交期限", _date(c.get("tolerant_due"))))
    elif kind == DocumentKind.SUPPLEMENT:
        spec.fields.append(("补正期限", _date(c.get("due_date"))))
        spec.table = (["序号", "材料名称", "问题", "说明"],
                      [[str(i), it.get("name", ""), MATERIAL_STATUS.get(it.get("status"), it.get("status", "")),
                        it.get("note", "")] for i, it in enumerate(c.get("items") or [], 1)])
        spec.paragraphs = spec.paragraphs[:1]  # the items are in the table
        spec.after_table = ["请一次性补齐补正上述材料；逾期未补正的，视为放弃申请。"]
    elif kind == DocumentKind.NON_ACCEPTANCE:
        spec.fields += [("不予受理理由", c.get("reason", "")), ("法律依据", c.get("legal_basis", "")),
                        ("救济途径", c.get("remedy", ""))]
    elif kind == DocumentKind.DECISION:
        spec.fields += [("决定", "准予许可" if c.get("approved") else "不予许可")]
        if c.get("opinion"):
            spec.fields.append(("审查意见", c["opinion"]))
        if c.get("legal_basis"):
            spec.fields.append(("依据", c["legal_basis"]))
        licence = case.licences.select_related("licence_type").order_by("-issued_at").first() \
            if c.get("approved") else None
        if licence is not None:
            spec.fields += [("办理结果", f"{licence.licence_type.name}（电子证照）"), ("证照编号", licence.number)]
        elif c.get("result_name"):
            spec.fields.append(("办理结果", c["result_name"]))
    return spec


def spec_for_checklist(case, number: str) -> DocSpec:
    """一次性告知书: every material the case needs, what was received and what is still owed."""
    spec = _base(case, title="一次性告知书", number=number, date=timezone.localdate())
    spec.addressee = f"{case.applicant_name}："
    spec.paragraphs = [f"您申请办理“{case.matter.name}”（办件编号{case.number}），根据您选择的办理情形，需提交以下材料。"
                       "已有有效电子证照的材料免于提交；标注“缺少”或“需补正”的材料请一次性补齐。"]
    spec.fields = [("办件编号", case.number), ("申请事项", case.matter.name), ("申请人", case.applicant_name),
                   ("承诺办结时限", f"{case.promised_days}个工作日"), ("法定办结时限", f"{case.legal_days}个工作日")]
    spec.table = (["序号", "材料名称", "必要性", "状态", "说明"], _material_rows(case))
    spec.after_table = ["咨询电话：" + (case.handling_centre.phone or "—")]
    return spec


def spec_for_service_receipt(case, delivery, number: str) -> DocSpec:
    """送达回证: which documents were served, how, when, and who signed for them."""
    spec = _base(case, title="送达回证", number=number,
                 date=delivery.at.astimezone(timezone.get_current_timezone()).date())
    served = [n.get_kind_display() + " " + n.number for n in case.notices.filter(kind="decision")]
    served += [f"{lic.licence_type.name} {lic.number}" for lic in case.licences.select_related("licence_type")]
    spec.fields = [
        ("受送达人", case.applicant_name), ("办件编号", case.number), ("申请事项", case.matter.name),
        ("送达文书", "；".join(served) or "办理结果"), ("送达方式", delivery.get_method_display()),
        ("送达时间", delivery.at.astimezone(timezone.get_current_timezone()).strftime("%Y年%m月%d日 %H:%M")),
        ("送达人", str(delivery.by) if delivery.by else "—"),
    ]
    if delivery.method == "post":
        spec.fields += [("邮寄地址", delivery.address), ("快递公司", delivery.carrier), ("运单号", delivery.tracking_no)]
        spec.sign_lines = ["受送达人签收：以快递签收记录为准"]
    else:
        spec.fields.append(("签收人", delivery.signed_by))
        spec.sign_lines = [f"受送达人（签名）：{delivery.signed_by}　　　签收日期：{_date(timezone.localtime(delivery.at).date())}"]
    return spec


def spec_for_licence(licence, number: str) -> DocSpec:
    from yichuang.licences.selectors import mask_identifier

    lt = licence.licence_type
    query = urlencode({"number": licence.number, "holder": licence.holder_name})
    spec = DocSpec(centre=licence.centre.name if licence.centre_id else licence.issuer_name, title=lt.name,
                   number=licence.number, date=licence.valid_from, issuer=licence.issuer_name,
                   qr_url=public_url("/licences/verify/?" + query), qr_caption="扫码核验证照",
                   qr_text=public_url("/licences/verify/") + "（输入证照编号和持证主体名称）", footer=verify_footer())
    spec.addressee = ""
    spec.paragraphs = [f"本证照为{lt.name}的电子证照，与纸质证照具有同等法律效力。"]
    label = "统一社会信用代码" if licence.holder_kind == "company" else "公民身份号码"
    spec.fields = [("证照编号", licence.number), ("持证主体", licence.holder_name), (label, mask_identifier(licence)),
                   ("发证机关", licence.issuer_name), ("有效期自", _date(licence.valid_from)),
                   ("有效期至", _date(licence.valid_to) if licence.valid_to else "长期")]
    data = licence.data or {}
    if data.get("matter"):
        spec.fields.append(("许可事项", data["matter"]))
    if licence.source_case_id:
        spec.fields.append(("来源办件", licence.source_case.number))
    if licence.renewals:
        spec.fields.append(("延续次数", str(licence.renewals)))
    return spec
