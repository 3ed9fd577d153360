"""E-licence pages: the staff library (search, detail, actions) and the public verification page."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yichuang.catalog.models import LicenceType
from yichuang.core.errors import DomainError, ValidationFailed
from yichuang.documents.views import pdf_response

from . import selectors, services
from .constants import LicenceStatus
from .paper import document_for_licence

PAGE = 50


def library(request):
    """电子证照库: staff search by number, holder or identifier, by type and status."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    q = request.GET.get("q", "").strip()
    type_code = request.GET.get("type", "")
    status = request.GET.get("status", "")
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows = selectors.licence_search(user=request.user, q=q, type_code=type_code,
                                    status=status if status in LicenceStatus.values else "",
                                    limit=PAGE + 1, offset=(page - 1) * PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "licences/library.html", {
        "rows": rows[:PAGE], "has_next": len(rows) > PAGE, "page": page, "query": query.urlencode(), "q": q,
        "type": type_code, "status": status, "types": LicenceType.objects.order_by("code"),
        "statuses": LicenceStatus.choices,
    })


def detail(request, number: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lic = selectors.licence_get_for(user=request.user, number=number)
    return render(request, "licences/detail.html", {"lic": selectors.licence_detail(licence=lic)})


ACTIONS = {"suspend": services.licence_suspend, "reinstate": services.licence_reinstate,
           "revoke": services.licence_revoke}


@require_POST
def act(request, number: str, action: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lic = selectors.licence_get_for(user=request.user, number=number)
    reason = request.POST.get("reason", "")
    try:
        if action == "renew":
            raw = request.POST.get("valid_to", "").strip()
            try:
                valid_to = dt.date.fromisoformat(raw) if raw else None
            except ValueError as exc:
                raise ValidationFailed("日期格式应为YYYY-MM-DD。", "Dates are YYYY-MM-DD.", field="valid_to") from exc
            services.licence_renew(licence=lic, actor=request.user, valid_to=valid_to, reason=reason)
        elif action in ACTIONS:
            ACTIONS[action](licence=lic, actor=request.user, reason=reason)
        else:
            raise ValidationFailed("未知操作。", "Unknown action.")
        messages.success(request, "已完成。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("licences:detail", number=number)


def licence_pdf(request, number: str):
    """The signed e-licence PDF: staff, or anyone who gives the holder's name (as on the verification page)."""
    if request.user.is_authenticated and request.user.role != "applicant":
        lic = selectors.licence_get(number=number)
    else:
        selectors.licence_verify(number=number, holder_name=request.GET.get("holder", ""))
        lic = selectors.licence_get(number=number)
    return pdf_response(document_for_licence(licence=lic, actor=request.user if request.user.is_authenticated
                                             else None, base=request.build_absolute_uri("/")))


def verify(request):
    """证照核验 (public): licence number + holder name."""
    number = request.GET.get("number", "").strip()
    holder = request.GET.get("holder", "").strip()
    ctx = {"number": number, "holder": holder, "result": None, "error": None}
    if number or holder:
        try:
            ctx["result"] = selectors.licence_verify(number=number, holder_name=holder)
        except DomainError as exc:
            ctx["error"] = exc.message
    return render(request, "licences/verify.html", ctx)
