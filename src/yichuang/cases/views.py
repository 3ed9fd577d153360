"""Case pages. Thin: they call cases.selectors / cases.services only."""
from django.shortcuts import render

from yichuang.cases import selectors
from yichuang.core.errors import DomainError


def progress(request):
    """办件进度查询 (public): case number + last 4 characters of the ID number."""
    number = request.GET.get("number", "").strip()
    code = request.GET.get("code", "").strip()
    ctx = {"number": number, "code": code, "result": None, "error": None}
    if number or code:
        try:
            ctx["result"] = selectors.case_progress(number=number, id_last4=code)
        except DomainError as exc:
            ctx["error"] = str(exc)
    return render(request, "cases/progress.html", ctx)


PAGE = 50


def inbox(request):
    """待办箱: the department's cases by due date, with deadline lights and filters, one page at a time."""
    from django.contrib.auth.views import redirect_to_login

    from yichuang.cases.constants import CaseState, Light

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
