"""Who may fetch a case's documents, and which documents a case has."""

from __future__ import annotations

from yichuang.cases.models import Case, Notice
from yichuang.cases.selectors import case_get, case_visible_to
from yichuang.core.errors import NotFound, PermissionDeniedError

from .constants import DocumentKind


def case_for_documents(*, user, number: str, code: str = "") -> Case:
    """Staff who may see the case, the applicant himself, or anyone with the last four characters of the
    applicant's ID number or credit code (as on the public progress page)."""
    case = case_get(number=number)
    if case_visible_to(user=user, case=case):
        return case
    code = (code or "").strip().upper()
    if len(code) == 4 and code == case.applicant_identifier[-4:].upper():
        return case
    if user is not None and user.is_authenticated:
        raise PermissionDeniedError("您无权查看该办件的文书。", "You may not view this case's documents.")
    raise NotFound("未找到办件，请核对办件编号和证件号码后四位。",
                   "No case found; check the case number and the last four characters of the ID.")


def notice_get(*, number: str) -> Notice:
    notice = Notice.objects.select_related("case__matter__department", "case__handling_centre") \
        .filter(number=(number or "").strip()).first()
    if notice is None:
        raise NotFound("文书不存在。", "No such notice.")
    return notice


def case_document_list(*, case: Case) -> list[dict]:
    """The documents a case has (rendered on first download)."""
    rows = [{"kind": n.kind, "title": n.get_kind_display(), "number": n.number, "created_at": n.created_at,
             "path": f"notices/{n.number}.pdf", "page": f"notices/{n.number}/"}
            for n in case.notices.order_by("created_at", "id")]
    rows.append({"kind": DocumentKind.CHECKLIST, "title": DocumentKind.CHECKLIST.label, "number": f"{case.number}-GZ01",
                 "created_at": case.received_at, "path": f"cases/{case.number}/checklist.pdf"})
    delivery = case.deliveries.order_by("-at", "-id").first()
    if delivery is not None:
        rows.append({"kind": DocumentKind.SERVICE_RECEIPT, "title": DocumentKind.SERVICE_RECEIPT.label,
                     "number": f"{case.number}-SD{delivery.pk:02d}", "created_at": delivery.at,
                     "path": f"cases/{case.number}/receipt.pdf"})
    return rows
