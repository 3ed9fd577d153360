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
