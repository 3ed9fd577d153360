"""What each document says (a :class:`DocSpec`), built from the records. Layout lives in :mod:`.pdf`."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from yichuang.core.validators import mask_id_number

from . import wording
from .constants import DocumentKind
from .numbering import notice_number_text
from .pdf import DocSpec

NECESSITY = {"required": "必要", "optional": "非必要", "tolerant": "必要（可容缺）"}
MATERIAL_STATUS = {"provided": "已提交", "missing": "缺少", "incorrect": "需补正", "tolerant": "容缺后补",
                   "exempt": "免提交"}


def public_url(path: str, base: str | None = None) -> str:
    """An address the applicant can open: ``base`` is the address the server was reached at for this request
    (``request.build_absolute_uri("/")``); without a request, ``settings.YICHUANG_PUBLIC_URL``."""
    return (base or settings.YICHUANG_PUBLIC_URL).rstrip("/") + path


def request_base(request) -> str:
    """The address this request reached the server at (scheme, host and port), for QR codes and links."""
    return request.build_absolute_uri("/") if request is not None else settings.YICHUANG_PUBLIC_URL


def progress_url(case, base: str | None = None) -> str:
    return public_url("/cases/progress/?" + urlencode({"number": case.number}), base)


def verify_url(base: str | None = None) -> str:
    return public_url("/documents/verify/", base)


def verify_footer(base: str | None = None) -> str:
    return f"本文书加盖电子签章，可在 {verify_url(base)} 核验真伪"


def date_text(value) -> str:
    """A date as printed on a document: 2026年5月6日 (``—`` when there is none)."""
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


def _base(case, *, title: str, number: str, date: dt.date, base: str | None = None) -> DocSpec:
    return DocSpec(centre=case.handling_centre.name, title=title, number=number, date=date,
                   issuer=case.matter.department.name, qr_url=progress_url(case, base), qr_caption="扫码查询办理进度",
                   footer=verify_footer(base))


def _material_rows(case) -> list[list[str]]:
    rows = []
    for i, m in enumerate(case.materials.order_by("order", "id"), 1):
        rows.append([str(i), m.name, NECESSITY.get(m.necessity, m.necessity), MATERIAL_STATUS.get(m.status, m.status),
                     m.note])
    return rows


ADVERSE_KINDS = frozenset({DocumentKind.NON_ACCEPTANCE, DocumentKind.DECISION})


def notice_title(notice) -> str:
    """A decision's own title follows its verdict and the matter type (准予行政许可决定书, 不予登记决定书,
    办结通知书 …); the other notices are titled by their kind."""
    c = notice.content or {}
    if notice.kind == DocumentKind.DECISION:
        return c.get("doc_title") or wording.case_verdict(notice.case, approved=bool(c.get("approved"))).title
    return notice.get_kind_display()


def is_adverse(notice) -> bool:
    c = notice.content or {}
    return notice.kind == DocumentKind.NON_ACCEPTANCE or (notice.kind == DocumentKind.DECISION
                                                          and not c.get("approved"))


def remedy_of(notice) -> str:
    """The 复议/诉讼 告知 of an adverse notice: as recorded, or (a notice given before it was recorded) as the
    department's settings say now."""
    c = notice.content or {}
    if c.get("remedy") and c.get("review_body"):
        return c["remedy"]
    paper = "本通知书" if notice.kind == DocumentKind.NON_ACCEPTANCE else "本决定书"
    return wording.remedy_content(notice.case, paper=paper)["remedy"]


def _body(notice) -> tuple[str, list[str], str]:
    """(addressee, paragraphs, 告知): the notice's text without the 告知, which is printed on its own."""
    addressee, paras = _split_text(notice.text)
    remedy = remedy_of(notice) if is_adverse(notice) else ""
    if remedy:
        paras = [p for p in paras if not p.startswith("如不服")]
    return addressee, paras, remedy


def spec_for_notice(notice, base: str | None = None) -> DocSpec:
    case, c = notice.case, notice.content or {}
    date = notice.created_at.astimezone(timezone.get_current_timezone()).date() if notice.created_at else \
        timezone.localdate()
    spec = _base(case, title=notice_title(notice), number=notice.number, date=date, base=base)
    spec.doc_number = notice_number_text(notice)
    spec.addressee, spec.paragraphs, remedy = _body(notice)
    spec.fields = [("办件编号", case.number), ("申请事项", case.matter.name), ("申请人", case.applicant_name),
                   ("证件号码", _identifier(case)), ("承办部门", case.matter.department.name)]
    kind = notice.kind
    if kind == DocumentKind.ACCEPTANCE:
        spec.fields += [("受理日期", date_text(c.get("accepted_on"))),
                        ("承诺办结时限", f"{c.get('promised_days', '')}个工作日"),
                        ("承诺办结日期", date_text(c.get("due_date"))), ("法定办结日期", date_text(c.get("legal_due_date")))]
        if c.get("tolerant_items"):
            spec.fields.append(("容缺补交期限", date_text(c.get("tolerant_due"))))
    elif kind == DocumentKind.SUPPLEMENT:
        spec.fields.append(("补正期限", date_text(c.get("due_date"))))
        spec.table = (["序号", "材料名称", "问题", "说明"],
                      [[str(i), it.get("name", ""), MATERIAL_STATUS.get(it.get("status"), it.get("status", "")),
                        it.get("note", "")] for i, it in enumerate(c.get("items") or [], 1)])
        spec.paragraphs = spec.paragraphs[:1]  # the items are in the table
        spec.after_table = ["请一次性补齐补正上述材料；逾期未补正的，视为放弃申请。"]
    elif kind == DocumentKind.NON_ACCEPTANCE:
        spec.fields += [("不予受理理由", c.get("reason", "")), ("法律依据", c.get("legal_basis", ""))]
    elif kind == DocumentKind.DECISION:
        verdict = c.get("verdict") or wording.case_verdict(case, approved=bool(c.get("approved"))).label
        spec.fields += [("决定", verdict)]
        if c.get("opinion"):
            spec.fields.append(("审查意见", c["opinion"]))
        if c.get("legal_basis"):
            spec.fields.append(("依据", c["legal_basis"]))
        licence = case.licences.select_related("licence_type").order_by("-issued_at").first() \
            if c.get("approved") else None
        if licence is not None:
            spec.fields += [("办理结果", f"{licence.licence_type.name}（电子证照）"), ("证照编号", licence.number)]
        elif c.get("result_name") and c.get("approved"):
            spec.fields.append(("办理结果", c["result_name"]))
    elif kind == DocumentKind.TOLERANT_COMMITMENT:
        items = c.get("items") or []
        spec.paragraphs = spec.paragraphs[:1]  # the items are in the table; the commitment follows it
        spec.fields += [("容缺补交期限", date_text(c.get("due_date")))]
        spec.table = (["序号", "容缺材料名称"], [[str(i), it.get("name", "")] for i, it in enumerate(items, 1)])
        spec.after_table = [c.get("sentence", "")] + ([f"申请人书面承诺：{c['commitment']}"] if c.get("commitment")
                                                      else [])
        spec.sign_lines = ["承诺人（签名或盖章）：__________________　　承诺日期：______年____月____日",
                           "受理人（签名）：__________________"]
    elif kind == DocumentKind.SUSPENSION:
        spec.fields += [("中止原因", c.get("reason_label", "") + (f"（{c['note']}）" if c.get("note") else "")),
                        ("法律依据", c.get("legal_basis", "")), ("中止计时日期", date_text(c.get("start"))),
                        ("预计所需时间", f"{c.get('expected_workdays', '')}个工作日"),
                        ("预计恢复计时", "约" + date_text(c.get("expected_end"))),
                        ("计时状态", "中止期间暂停计时，所需时间不计入办理时限，恢复后办结期限相应顺延")]
    if remedy:
        spec.after_table = [*spec.after_table, "告知：" + remedy]
    return spec


def spec_for_checklist(case, number: str, base: str | None = None) -> DocSpec:
    """一次性告知书: every material the case needs, what was received and what is still owed."""
    spec = _base(case, title="一次性告知书", number=number, date=timezone.localdate(), base=base)
    spec.addressee = f"{case.applicant_name}："
    spec.paragraphs = [f"您申请办理“{case.matter.name}”（办件编号{case.number}），根据您选择的办理情形，需提交以下材料。"
                       "已有有效电子证照的材料免于提交；标注“缺少”或“需补正”的材料请一次性补齐。"]
    spec.fields = [("办件编号", case.number), ("申请事项", case.matter.name), ("申请人", case.applicant_name),
                   ("承诺办结时限", f"{case.promised_days}个工作日"), ("法定办结时限", f"{case.legal_days}个工作日")]
    spec.table = (["序号", "材料名称", "必要性", "状态", "说明"], _material_rows(case))
    spec.after_table = ["咨询电话：" + (case.handling_centre.phone or "—")]
    return spec


def spec_for_service_receipt(case, delivery, number: str, base: str | None = None) -> DocSpec:
    """送达回证: which documents were served, how, when, and who signed for them."""
    spec = _base(case, title="送达回证", number=number,
                 date=delivery.at.astimezone(timezone.get_current_timezone()).date(), base=base)
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
        spec.sign_lines = [f"受送达人（签名）：{delivery.signed_by}　　　签收日期：{date_text(timezone.localtime(delivery.at).date())}"]
    return spec


def qr_svg(url: str) -> str:
    """The QR code of a printable page, as inline SVG (crisp when printed)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    return img.to_string(encoding="unicode")
