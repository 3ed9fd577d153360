"""The e-licence on paper: what its PDF says, rendered, signed and stored by the documents app. Licences sit above
documents (they use its renderer); documents knows nothing of licences but the ``licence`` kind and link."""

from __future__ import annotations

from urllib.parse import urlencode

from yichuang.documents.builders import date_text, public_url, verify_footer
from yichuang.documents.constants import DocumentKind
from yichuang.documents.models import Document
from yichuang.documents.pdf import DocSpec
from yichuang.documents.services import document_issue

from .models import ELicence
from .selectors import mask_identifier


def spec_for_licence(licence: ELicence, number: str, base: str | None = None) -> DocSpec:
    lt = licence.licence_type
    query = urlencode({"number": licence.number, "holder": licence.holder_name})
    spec = DocSpec(centre=licence.centre.name if licence.centre_id else licence.issuer_name, title=lt.name,
                   number=licence.number, date=licence.valid_from, issuer=licence.issuer_name,
                   qr_url=public_url("/licences/verify/?" + query, base), qr_caption="扫码核验证照",
                   qr_text=public_url("/licences/verify/", base) + "（输入证照编号和持证主体名称）",
                   footer=verify_footer(base))
    spec.addressee = ""
    spec.paragraphs = [f"本证照为{lt.name}的电子证照，与纸质证照具有同等法律效力。"]
    label = "统一社会信用代码" if licence.holder_kind == "company" else "公民身份号码"
    spec.fields = [("证照编号", licence.number), ("持证主体", licence.holder_name), (label, mask_identifier(licence)),
                   ("发证机关", licence.issuer_name), ("有效期自", date_text(licence.valid_from)),
                   ("有效期至", date_text(licence.valid_to) if licence.valid_to else "长期")]
    data = licence.data or {}
    if data.get("matter"):
        spec.fields.append(("许可事项", data["matter"]))
    if licence.source_case_id:
        spec.fields.append(("来源办件", licence.source_case.number))
    if licence.renewals:
        spec.fields.append(("延续次数", str(licence.renewals)))
    return spec


def document_for_licence(*, licence: ELicence, actor=None, base: str | None = None) -> Document:
    """The e-licence as a signed PDF; a renewal gets a new document (new validity). ``base``: the address the
    server was reached at (``documents.builders.request_base``), for the QR code and the verification link."""
    number = f"{licence.number}-R{licence.renewals}"
    existing = Document.objects.filter(number=number).first()
    if existing is not None:
        return existing
    return document_issue(kind=DocumentKind.LICENCE, number=number, spec=spec_for_licence(licence, number, base),
                          actor=actor, case=licence.source_case, licence=licence)
