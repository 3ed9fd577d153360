"""Bundle pages. Thin: parse the form, call bundles.services / selectors, render. A refused step is shown in the
page's language on the same page, with what was typed kept."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language

from yichuang.accounts.constants import Role
from yichuang.cases import services as case_services
from yichuang.cases.constants import ApplicantKind, CaseState, Channel, DeliveryMethod, MaterialStatus
from yichuang.cases.models import Case
from yichuang.core.errors import DomainError, PermissionDeniedError
from yichuang.hall import services as hall
from yichuang.hall.models import Ticket

from . import selectors, services


def bundle_list(request):
    """一件事一次办: the bundles, their matters in order and the critical-path limit."""
    rows = []
    for b in selectors.bundle_list():
        defn = selectors.bundle_definition(bundle=b)
        plan = selectors.bundle_plan(defn=defn)
        names = {it["key"]: it["name"] for it in defn["items"]}
        rows.append({"bundle": b, "plan": plan, "waves": [[names[k] for k in w] for w in plan["waves"]]})
    mine = selectors.bundle_cases_for(user=request.user, limit=20) if request.user.is_authenticated else []
    return render(request, "bundles/list.html", {"rows": rows, "mine": mine})


def _answers(request, questionnaire) -> dict[str, str]:
    data = request.POST if request.method == "POST" else request.GET
    names = {q["name"] for q in questionnaire}
    return {k[4:]: v for k, v in data.items() if k.startswith("sit_") and k[4:] in names and v}


def apply(request, code: str):
    """One questionnaire, one union form, one checklist. Staff receive at the window; applicants apply online."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    staff = user.role in (Role.CLERK, Role.GUIDE)
    if not staff and user.role != Role.APPLICANT:
        raise PermissionDeniedError("只有综窗受理员、帮办代办员或申请人可以办理一件事。",
                                    "Only window clerks, guides and applicants apply for bundles.")
    bundle = selectors.bundle_get(code=code)
    pub = selectors.bundle_public(bundle=bundle)
    answers = _answers(request, pub["questionnaire"])
    pub = selectors.bundle_public(bundle=bundle, answers=answers)
    post = defaultdict(str, request.POST.dict() if request.method == "POST" else {})
    error = None
    if request.method == "POST" and not pub["unanswered"]:
        form = {f["code"]: request.POST.get(f"f_{f['code']}", "") for f in pub["fields"]}
        mats = {}
        for m in pub["checklist"]:
            if m["exempt"]:
                continue
            choice = request.POST.get(f"m_{m['key']}", "")
            if choice in ("provided", "on", "provided_paper", "provided_electronic"):
                mats[m["key"]] = {"status": MaterialStatus.PROVIDED,
                                  "medium": "electronic" if choice == "provided_electronic" or not staff else "paper"}
        p = request.POST
        try:
            parent = services.bundle_apply(
                bundle=bundle, actor=user, channel=Channel.WINDOW if staff else Channel.ONLINE,
                applicant_kind=p.get("applicant_kind", ApplicantKind.PERSON), applicant_name=p.get("applicant_name", ""),
                id_number=p.get("id_number", ""), credit_code=p.get("credit_code", ""),
                contact_name=p.get("contact_name", ""), contact_phone=p.get("contact_phone", ""),
                contact_address=p.get("contact_address", ""), answers=answers, form_data=form, materials=mats,
                ticket_number=p.get("ticket", "").strip().upper() if staff else "")
        except DomainError as exc:
            error = exc
        else:
            _link_ticket(request, parent)
            messages.success(request, f"已受理一件事“{bundle.name}”，编号 {parent.number}。")
            return redirect("bundles:case", number=parent.number)
    for f in pub["fields"]:
        f["value"] = post[f"f_{f['code']}"]
        f["choices"] = [o if isinstance(o, dict) else {"code": o, "label": o} for o in f.get("options") or []]
    shared = [f for f in pub["fields"] if not f["section"]]
    sections: dict[str, list] = {}
    for f in pub["fields"]:
        if f["section"]:
            sections.setdefault(f["section"], []).append(f)
    return render(request, "bundles/apply.html", {
        "bundle": bundle, "pub": pub, "answers": answers, "shared": shared, "sections": sections, "post": post,
        "error": error, "staff": staff, "kinds": ApplicantKind.choices,
        "name_prefill": "" if staff else user.display_name, "id_prefill": "" if staff else user.id_number})


def _link_ticket(request, parent) -> None:
    """The one ticket the applicant took is linked to the one bundle number (叫号台 shows it)."""
    if not parent.ticket_number or not request.user.centre_id:
        return
    ticket = Ticket.objects.filter(centre_id=request.user.centre_id, day=timezone.localdate(),
                                   number=parent.ticket_number).select_related("window").first()
    if ticket is None or not ticket.window_id:
        return
    try:
        hall.ticket_link_case(window=ticket.window, clerk=request.user, ticket=ticket, case_number=parent.number)
    except DomainError as exc:
        messages.warning(request, exc.localized(get_language()))


def case(request, number: str):
    """一件事办件: one number, the sub-cases with their departments and states, the critical-path deadline."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    parent = selectors.bundle_case_get_for(user=user, number=number)
    staff = user.role != Role.APPLICANT
    d = selectors.bundle_case_detail(parent=parent, with_staff=staff)
    produces = {p.key: p.item.produces for p in parent.items.select_related("item")}
    for row in d["items"]:
        row["can_accept"] = row["can_decide"] = False
        if user.role == Role.APPROVER and row["case_number"]:
            sub = Case.objects.select_related("matter").get(number=row["case_number"])
            mine = sub.matter.department_id == user.department_id
            row["can_accept"] = mine and sub.state == CaseState.FORWARDED
            row["can_decide"] = mine and sub.state == CaseState.ACCEPTED
            row["produces"] = produces.get(row["key"]) or {}
    return render(request, "bundles/case.html", {
        "parent": parent, "d": d, "staff": staff, "delivery_methods": DeliveryMethod.choices,
        "can_issue": d["can_issue"] and user.role in (Role.ISSUER, Role.CLERK)})


def action(request, number: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        return redirect("bundles:case", number=number)
    user, p = request.user, request.POST
    parent = selectors.bundle_case_get_for(user=user, number=number)
    what = p.get("action", "")
    try:
        if what == "issue":
            services.bundle_case_issue(parent=parent, actor=user, method=p.get("method", ""),
                                       signed_by=p.get("signed_by", ""), address=p.get("address", ""),
                                       carrier=p.get("carrier", ""), tracking_no=p.get("tracking_no", ""))
            messages.success(request, "已一次出件。")
        else:
            item = parent.items.select_related("case").filter(key=p.get("item", "")).first()
            if item is None or item.case is None:
                raise PermissionDeniedError("该事项尚未分发到部门。", "That matter has not reached a department yet.")
            if what == "accept":
                case_services.case_accept(case=item.case, actor=user)
                messages.success(request, f"已受理 {item.case.number}。")
            elif what in ("approve", "deny"):
                result = {k[2:]: v for k, v in p.items() if k.startswith("r_")}
                services.bundle_subcase_decide(case=item.case, actor=user, approve=what == "approve",
                                               opinion=p.get("opinion", ""), result_data=result)
                messages.success(request, f"已作出决定 {item.case.number}。")
    except DomainError as exc:
        messages.error(request, exc.localized(get_language()))
    return redirect("bundles:case", number=number)


def progress(request):
    """一件事进度查询 (public): the one number + the last 4 characters of the ID number."""
    number, code = request.GET.get("number", "").strip(), request.GET.get("code", "").strip()
    ctx = {"number": number, "code": code, "result": None, "error": None}
    if number or code:
        try:
            ctx["result"] = selectors.bundle_progress(number=number, id_last4=code)
        except DomainError as exc:
            ctx["error"] = exc
    return render(request, "bundles/progress.html", ctx)
