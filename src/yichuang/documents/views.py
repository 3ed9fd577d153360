"""Document pages: download a case's documents, and the public verification page (上传PDF核验电子签章)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import builders, selectors, services
from .models import Document
from .signing import verify_pdf

MAX_VERIFY_BYTES = 20 * 1024 * 1024


def pdf_response(doc: Document, *, inline: bool = True) -> HttpResponse:
    resp = HttpResponse(services.document_bytes(doc), content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    resp["Content-Disposition"] = f'{disposition}; filename="{doc.number}.pdf"'
    resp["X-Document-Sha256"] = doc.sha256
    return resp


def _code(request) -> str:
    return request.GET.get("code", "")


def case_documents(request, number: str):
    case = selectors.case_for_documents(user=request.user, number=number, code=_code(request))
    return render(request, "documents/case_documents.html",
                  {"case": case, "rows": selectors.case_document_list(case=case), "code": _code(request)})


def notice_pdf(request, notice_number: str):
    notice = selectors.notice_get(number=notice_number)
    selectors.case_for_documents(user=request.user, number=notice.case.number, code=_code(request))
    return pdf_response(services.document_for_notice(notice=notice, actor=_actor(request),
                                                     base=builders.request_base(request)))


def checklist_pdf(request, number: str):
    case = selectors.case_for_documents(user=request.user, number=number, code=_code(request))
    return pdf_response(services.document_checklist(case=case, actor=_actor(request),
                                                    base=builders.request_base(request)))


def receipt_pdf(request, number: str):
    case = selectors.case_for_documents(user=request.user, number=number, code=_code(request))
    return pdf_response(services.document_service_receipt(case=case, actor=_actor(request),
                                                          base=builders.request_base(request)))


def _actor(request):
    return request.user if request.user.is_authenticated else None


@require_http_methods(["GET", "POST"])
def verify(request):
    """核验电子签章: upload a PDF; the page says whether it is genuine and unaltered."""
    ctx: dict = {"verdict": None, "error": None, "filename": ""}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            ctx["error"] = "请选择要核验的PDF文件。"
        elif upload.size > MAX_VERIFY_BYTES:
            ctx["error"] = "文件过大（上限20MB）。"
        else:
            ctx["filename"] = upload.name
            ctx["verdict"] = verify_pdf(upload.read())
    return render(request, "documents/verify.html", ctx)


def notice_page(request, notice_number: str):
    """A notice as a printable page, for whoever may fetch its PDF (the applicant with the last four characters of
    the ID number too): the same words as the PDF (one :class:`~.pdf.DocSpec`)."""
    notice = selectors.notice_get(number=notice_number)
    selectors.case_for_documents(user=request.user, number=notice.case.number, code=_code(request))
    return render(request, "documents/notice.html", {"notice": notice, "case": notice.case, "code": _code(request)})
