"""The case page, its actions (each one service call), its notices, scans and the full personal numbers."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from yichuang.accounts.constants import Role
from yichuang.accounts.models import User
from yichuang.core.errors import (
    DomainError,
    NotFound,
    ValidationFailed,
)
from yichuang.core.net import client_ip

from .. import selectors, services
from ..constants import (
    DeliveryMethod,
    MaterialStatus,
    SuspensionReason,
)
from ..models import Case, Notice


from .applying import _files_checked, _form_rows
from .common import _date


# ---------------------------------------------------------------- the case page and its actions


def detail(request, number: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    case = selectors.case_get_for(user=request.user, number=number)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _detail_context(request, case: Case, *, error: DomainError | None = None) -> dict:
    """The case page; after a refused step, with its error and what was typed (``post``) put back in the form."""
    staff = request.user.role != Role.APPLICANT
    posted = request.method == "POST" and error is not None
    post = defaultdict(str, request.POST.dict() if posted else {})
    actions = selectors.case_actions(user=request.user, case=case)
    d = selectors.case_detail(case=case)
    result_fields = d["result_fields"] if "approve" in actions or "decide_now" in actions else []
    for f in result_fields:
        f["value"] = post.get(f"r_{f['code']}") or f["value"]
    return {
        "case": case, "d": d, "actions": actions,
        "history": selectors.case_history(case=case, with_staff=staff), "staff": staff,
        "suspension_reasons": SuspensionReason.choices, "delivery_methods": DeliveryMethod.choices,
        "heads": User.objects.filter(role__in=(Role.SUPERVISOR, Role.ADMIN), is_active=True).order_by("username"),
        "tolerant_items": case.materials.filter(necessity="tolerant",
                                                status__in=(MaterialStatus.MISSING, MaterialStatus.INCORRECT)),
        "open_items": case.materials.filter(status__in=(MaterialStatus.MISSING, MaterialStatus.INCORRECT,
                                                        MaterialStatus.TOLERANT)),
        "statuses": [(v, lbl) for v, lbl in MaterialStatus.choices if v not in (MaterialStatus.EXEMPT,
                                                                                MaterialStatus.TOLERANT)],
        "default_due": services.five_day_deadline(timezone.localdate()),
        "form_rows": _form_rows(case.matter_version.snapshot, d["form_data"]),  # ID/phone numbers masked
        "result_fields": result_fields, "post": post, "error": error, "failed_action": post.get("action", ""),
    }


def _act(request, case: Case, action: str) -> str:
    """Run one action; return the success message."""
    p, user = request.POST, request.user
    if action == "forward":
        services.case_forward(case=case, actor=user, reason=p.get("reason", ""))
        return "已流转后台。"
    if action == "supplement_request":
        due = _date(p.get("due_date", ""), field="due_date", label="补正期限")
        items = [{"code": c, "problem": p.get(f"problem_{c}") or MaterialStatus.MISSING, "note": p.get(f"note_{c}", "")}
                 for c in p.getlist("items")]
        notice = services.case_request_supplement(case=case, actor=user, due_date=due, items=items,
                                                  note=p.get("note", ""))
        return f"已出具补齐补正通知书 {notice.number}。"
    if action == "tolerant":
        due = _date(p.get("due_date", ""), field="due_date", label="容缺补交期限")
        services.case_accept_tolerant(case=case, actor=user, items=p.getlist("items"),
                                      commitment=p.get("commitment", ""), due_date=due)
        return "已容缺受理并流转后台。"
    if action in ("supplement", "materials", "tolerant_in"):
        files = _files_checked(request, [m.requirement_code for m in case.materials.all()])
        ticked = [] if user.role == Role.APPLICANT else p.getlist("provided")  # applicants hand in scans only
        materials = {c: {"status": MaterialStatus.PROVIDED} for c in ticked if c not in files}
        for c in files:
            services.case_attach_upload(case=case, actor=user, requirement_code=c, filename=files[c].name or "",
                                        file=files[c])
        if action == "supplement":
            services.case_supplement(case=case, actor=user, materials=materials)
            return "补正材料已收齐。"
        if materials:
            services.case_materials_update(case=case, actor=user, materials=materials)
        return "材料已更新。"
    if action == "accept":
        services.case_accept(case=case, actor=user, reason=p.get("reason", ""))
        return "已受理，已出具受理通知书。"
    if action == "not_accept":
        notice = services.case_not_accept(case=case, actor=user, reason=p.get("reason", ""),
                                          legal_basis=p.get("legal_basis", ""))
        return f"已出具不予受理通知书 {notice.number}。"
    if action == "decide_now":
        services.case_accept_and_decide(case=case, actor=user, approve=p.get("approve", "1") == "1",
                                        opinion=p.get("opinion", ""), legal_basis=p.get("legal_basis", ""),
                                        result_data={k[2:]: v for k, v in p.items() if k.startswith("r_")})
        return "即办件已当场办结。"
    if action == "suspend":
        services.case_suspend(case=case, actor=user, reason=p.get("reason", ""), note=p.get("note", ""))
        return "已中止计时。"
    if action == "resume":
        services.case_resume(case=case, actor=user)
        return "已恢复计时，办结期限已顺延。"
    if action == "extend":
        head = User.objects.filter(username=p.get("approved_by", "")).first()
        if head is None:
            raise ValidationFailed("请选择批准延期的负责人。", "Choose who approved the extension.",
                                   field="approved_by")
        try:
            days = int(p.get("days", ""))
        except ValueError as exc:
            raise ValidationFailed("延期天数应为整数。", "Days must be a whole number.", field="days") from exc
        services.case_extend(case=case, actor=user, days=days, approved_by=head, reason=p.get("reason", ""))
        return "已延期。"
    if action == "approve":
        services.case_approve(case=case, actor=user, opinion=p.get("opinion", ""),
                              legal_basis=p.get("legal_basis", ""),
                              result_data={k[2:]: v for k, v in p.items() if k.startswith("r_")})
        return "已作出决定，已出具决定书。"
    if action == "deny":
        services.case_deny(case=case, actor=user, opinion=p.get("opinion", ""), legal_basis=p.get("legal_basis", ""))
        return "已作出决定，已出具决定书。"
    if action == "ready":
        services.case_mark_ready(case=case, actor=user)
        return "结果已制作，待出件。"
    if action == "issue":
        services.case_issue(case=case, actor=user, method=p.get("method", ""), signed_by=p.get("signed_by", ""),
                            address=p.get("address", ""), carrier=p.get("carrier", ""),
                            tracking_no=p.get("tracking_no", ""), originals_checked=bool(p.get("originals_checked")))
        return "已出件。"
    if action == "close":
        services.case_close(case=case, actor=user)
        return "已办结。"
    if action == "withdraw":
        services.case_withdraw(case=case, actor=user, reason=p.get("reason", ""),
                               written_request=p.get("written_request") == "1")
        return "已撤回。"
    raise ValidationFailed("未知操作。", "Unknown action.", field="action")


@require_POST
def action(request, number: str):
    if not request.user.is_authenticated:
        return redirect_to_login(f"/cases/{number}/")
    case = selectors.case_get_for(user=request.user, number=number)
    nxt = request.POST.get("next", "")
    try:
        messages.success(request, _act(request, case, request.POST.get("action", "")))
    except DomainError as exc:
        if nxt.startswith("/cases/progress/"):
            messages.error(request, exc.localized(translation.get_language()))
            return redirect(nxt)
        # Refused: the case page again, with the error at the form and everything typed still in it.
        case = selectors.case_get_for(user=request.user, number=number)
        return render(request, "cases/detail.html", _detail_context(request, case, error=exc))
    if nxt.startswith("/cases/progress/"):
        return redirect(nxt)
    return redirect("cases:detail", number=case.number)


def notice(request, number: str, notice_number: str):
    """A notice as a printable page (受理通知书, 不予受理通知书, 补齐补正通知书, 容缺受理承诺书, 中止告知书, 决定书)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    case = selectors.case_get_for(user=request.user, number=number)
    n = Notice.objects.filter(case=case, number=notice_number).first()
    if n is None:
        raise NotFound("文书不存在。", "No such notice.")
    return render(request, "cases/notice.html", {"case": case, "n": n})  # the paper is drawn by {% notice_paper %}


def material_file(request, number: str, code: str):
    """A stored scan, served only to those who may see the case (never from the web root)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    case = selectors.case_get_for(user=request.user, number=number)
    cm = case.materials.filter(requirement_code=code).first()
    if cm is None or not cm.upload:
        raise NotFound("没有该材料的扫描件。", "No scan for this material.")
    return FileResponse(cm.upload.open("rb"), content_type=cm.content_type or "application/octet-stream",
                        filename=cm.upload.name.rsplit("/", 1)[-1])


@require_POST
def pii(request, number: str):
    """完整号码: with the permission and a reason, audited; the page shows them once."""
    if not request.user.is_authenticated:
        return redirect_to_login(f"/cases/{number}/")
    case = selectors.case_get_for(user=request.user, number=number)
    full = services.case_pii_reveal(case=case, actor=request.user, reason=request.POST.get("reason", ""),
                                    address=client_ip(request))
    return render(request, "cases/pii.html", {"case": case, "full": full})
