"""REST routes for documents under /api/v1/documents: case documents as signed PDFs, and verification."""

from __future__ import annotations

from django.http import HttpResponse
from ninja import File, Router
from ninja.files import UploadedFile

from yichuang.accounts.auth import api_auth
from yichuang.core.errors import ValidationFailed

from . import selectors, services
from .builders import request_base
from .signing import verify_pdf
from .views import MAX_VERIFY_BYTES, pdf_response

router = Router(tags=["documents 文书与电子签章"])


@router.get("/cases/{number}", auth=api_auth, summary="办件文书列表 Documents of a case")
def case_documents(request, number: str):
    case = selectors.case_for_documents(user=request.auth, number=number)
    return [{**row, "url": f"/api/v1/documents/{row['path']}"} for row in selectors.case_document_list(case=case)]


@router.get("/notices/{notice_number}.pdf", auth=api_auth, summary="通知书/决定书 PDF Notice PDF")
def notice_pdf(request, notice_number: str) -> HttpResponse:
    notice = selectors.notice_get(number=notice_number)
    selectors.case_for_documents(user=request.auth, number=notice.case.number)
    return pdf_response(services.document_for_notice(notice=notice, actor=request.auth, base=request_base(request)))


@router.get("/cases/{number}/checklist.pdf", auth=api_auth, summary="一次性告知书 PDF Checklist PDF")
def checklist_pdf(request, number: str) -> HttpResponse:
    case = selectors.case_for_documents(user=request.auth, number=number)
    return pdf_response(services.document_checklist(case=case, actor=request.auth, base=request_base(request)))


@router.get("/cases/{number}/receipt.pdf", auth=api_auth, summary="送达回证 PDF Service receipt PDF")
def receipt_pdf(request, number: str) -> HttpResponse:
    case = selectors.case_for_documents(user=request.auth, number=number)
    return pdf_response(services.document_service_receipt(case=case, actor=request.auth, base=request_base(request)))


@router.post("/verify", summary="核验电子签章（公开） Verify a signed PDF")
def verify(request, file: UploadedFile = File(...)):
    """上传PDF，返回是否真实、未被篡改 Upload a PDF; says whether it is genuine and unaltered."""
    if file.size and file.size > MAX_VERIFY_BYTES:
        raise ValidationFailed("文件过大。", "The file is too large.", field="file")
    return verify_pdf(file.read()).as_dict()
