"""The public progress lookup and the inbox."""

from __future__ import annotations


from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from yichuang.accounts.constants import Role
from yichuang.core.errors import (
    DomainError,
)
from yichuang.core.net import client_ip
from yichuang.core.ratelimit import RateLimited, progress_rate_limit

from .. import selectors
from ..constants import (
    CaseState,
    Light,
)
from ..models import Case


# ---------------------------------------------------------------- public progress


def progress(request):
    """办件进度查询 (public): case number + last 4 characters of the ID number. The owner, signed in, answers a
    supplement request online here."""
    number = request.GET.get("number", "").strip()
    code = request.GET.get("code", "").strip()
    ctx = {"number": number, "code": code, "result": None, "error": None, "can_supplement": False,
           "rateable": False}
    if number or code:
        try:
            progress_rate_limit(ip=client_ip(request), number=number)
            ctx["result"] = selectors.case_progress(number=number, id_last4=code)
        except RateLimited as exc:
            ctx["error"] = exc.bilingual()
            return render(request, "cases/progress.html", ctx, status=429)
        except DomainError as exc:
            ctx["error"] = str(exc)
    result = ctx["result"]
    if result:
        ctx["rateable"] = result["state"] in (CaseState.APPROVED, CaseState.DENIED, CaseState.READY,
                                              CaseState.ISSUED, CaseState.CLOSED, CaseState.NOT_ACCEPTED)
    if result and result["state"] == CaseState.NEEDS_SUPPLEMENT:
        user = request.user
        case = Case.objects.get(number=result["number"])
        ctx["can_supplement"] = bool(user.is_authenticated and user.role == Role.APPLICANT and user.id_number
                                     and user.id_number == case.applicant_id_number)
    return render(request, "cases/progress.html", ctx)


# ---------------------------------------------------------------- inbox

PAGE = 50


def inbox(request):
    """待办箱: the department's cases by due date, with deadline lights and filters, one page at a time."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    state = request.GET.get("state") or None
    light = request.GET.get("light") or None
    matter = request.GET.get("matter", "").strip() or None
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    rows = selectors.case_inbox(user=request.user, state=state if state in CaseState.values else None,
                                light_filter=light if light in Light.values else None, matter_code=matter,
                                limit=PAGE + 1, offset=(page - 1) * PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/inbox.html", {
        "rows": rows[:PAGE], "has_next": len(rows) > PAGE, "page": page, "query": query.urlencode(),
        "states": CaseState.choices, "lights": Light.choices, "state": state, "light": light, "matter": matter or "",
    })
