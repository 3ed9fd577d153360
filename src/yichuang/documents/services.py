"""Issue documents: render once, sign with the centre's key, store, audit. Later downloads return the stored
bytes, so what the applicant holds can always be checked against what was issued."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from yichuang.audit.services import audit_record
from yichuang.core.errors import ConflictError, NotFound, ValidationFailed

from . import builders, signing
from .constants import DocumentKind
from .models import DepartmentDocumentSettings, Document
from .pdf import DocSpec, render_pdf

log = logging.getLogger(__name__)


def document_issue(*, kind: str, number: str, spec: DocSpec, actor=None, case=None, notice=None,
                   licence=None) -> Document:
    """Render ``spec``, sign it when a certificate is configured, store and audit it under ``number``; a number
    issued before returns its stored document. The apps whose records go on paper (cases, licences) call this."""
    existing = Document.objects.filter(number=number).first()
    if existing is not None:
        return existing
    data = render_pdf(spec)
    signed, signer = False, ""
    if signing.signing_configured():
        data = signing.sign_pdf(data, reason=f"{spec.title} 电子签章", location=spec.centre)
        signed, signer = True, signing.signer_name()
    else:
        log.warning("no signing certificate configured; %s %s is issued unsigned", spec.title, number)
    try:
        with transaction.atomic():
            doc = Document(kind=kind, number=number, title=spec.title, case=case, notice=notice, licence=licence,
                           sha256=hashlib.sha256(data).hexdigest(), size=len(data), signed=signed, signer=signer)
            doc.file.save(f"{number}.pdf", ContentFile(data), save=False)
            doc.save()
            audit_record(actor=actor, action=f"document.{kind}", obj=doc,
                         after={"number": number, "sha256": doc.sha256, "signed": signed,
                                "case": getattr(case, "number", None), "licence": getattr(licence, "number", None)})
    except IntegrityError:  # issued by a concurrent request meanwhile
        doc = Document.objects.get(number=number)
    return doc


# ``base``: the address the server was reached at (``builders.request_base(request)``), for the QR code and the
# verification link; without it, ``settings.YICHUANG_PUBLIC_URL``. A document is rendered once, on its first
# download, so it carries the address of that download.


def document_for_notice(*, notice, actor=None, base: str | None = None) -> Document:
    """受理通知书, 不予受理通知书, 补齐补正通知书, 决定书, 容缺受理承诺书, 中止告知书 — the PDF of a notice the case
    services recorded."""
    existing = Document.objects.filter(number=notice.number).first()
    if existing is not None:
        return existing
    return document_issue(kind=notice.kind, number=notice.number, spec=builders.spec_for_notice(notice, base),
                          actor=actor, case=notice.case, notice=notice)


def document_checklist(*, case, actor=None, base: str | None = None) -> Document:
    """一次性告知书 of a case (as received)."""
    number = f"{case.number}-GZ01"
    existing = Document.objects.filter(number=number).first()
    if existing is not None:
        return existing
    return document_issue(kind=DocumentKind.CHECKLIST, number=number,
                          spec=builders.spec_for_checklist(case, number, base), actor=actor, case=case)


def document_service_receipt(*, case, actor=None, base: str | None = None) -> Document:
    """送达回证 of the latest delivery of the case's result."""
    delivery = case.deliveries.order_by("-at", "-id").first()
    if delivery is None:
        raise ConflictError("办件尚未送达，没有送达回证。", "The result has not been delivered yet.", code="not_delivered")
    number = f"{case.number}-SD{delivery.pk:02d}"
    existing = Document.objects.filter(number=number).first()
    if existing is not None:
        return existing
    return document_issue(kind=DocumentKind.SERVICE_RECEIPT, number=number,
                          spec=builders.spec_for_service_receipt(case, delivery, number, base), actor=actor, case=case)


def document_bytes(doc: Document) -> bytes:
    try:
        with doc.file.open("rb") as fh:
            return fh.read()
    except FileNotFoundError as exc:
        raise NotFound("文书文件不存在。", "The document file is missing.") from exc


@transaction.atomic
def department_document_settings_set(*, department, actor, number_prefix: str = "", review_body: str = "",
                                     court: str = ""):
    """文号代字, 复议机关 and 管辖法院 of a department (blank: the default). Audited."""

    values = {"number_prefix": (number_prefix or "").strip(), "review_body": (review_body or "").strip(),
              "court": (court or "").strip()}
    if any(ch in values["number_prefix"] for ch in "〔〕号 "):
        raise ValidationFailed("文号代字只填机关代字（如“渝九龙坡市监”），不含年份、括号和“号”。",
                               "The prefix is the issuing organ's abbreviation only, without year, brackets or 号.",
                               field="number_prefix")
    row = DepartmentDocumentSettings.objects.select_for_update().filter(department=department).first()
    before = {k: getattr(row, k) for k in values} if row else None
    if row is None:
        row = DepartmentDocumentSettings(department=department)
    for key, value in values.items():
        setattr(row, key, value)
    row.save()
    audit_record(actor=actor, action="document.department_settings", obj=row, before=before, after=values)
    return row

