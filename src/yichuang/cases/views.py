"""Case pages. Thin: they parse the form, call cases.selectors / cases.services, and show the result.
A refused step (DomainError) is shown in Chinese and English on the same page; nothing already saved is lost."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_POST

from yichuang.accounts.constants import Role
from yichuang.accounts.models import User
from yichuang.catalog import selectors as catalog
from yichuang.catalog.checklist import checklist_build
from yichuang.core.errors import (
    DomainError,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)

from . import holding, hooks, selectors, services
from .constants import (
    ApplicantKind,
    CaseState,
    Channel,
    DeliveryMethod,
    Light,
    MaterialMedium,
    MaterialStatus,
    SuspensionReason,
)
from .forms import CHOICE_TYPES, MULTI_TYPES, field_options
from .models import Case, Notice
from .uploads import upload_check


def _date(value: str, *, field: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError as exc:
        raise ValidationFailed(f"请填写正确的{label}（年-月-日）。", f"Give a valid {field} (YYYY-MM-DD).",
                               field=field) from exc


def _staff(request, roles=(Role.CLERK, Role.GUIDE)):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.role not in roles:
        raise PermissionDeniedError("您的角色不能使用此页面。", "Your role may not use this page.")
    return None


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
            ctx["result"] = selectors.case_progress(number=number, id_last4=code)
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


# ---------------------------------------------------------------- the case form (front desk and online)


def _answers(request, snapshot) -> dict[str, str]:
    codes = {s["code"] for s in snapshot.get("situations", [])}
    data = request.POST if request.method == "POST" else request.GET
    return {k[4:]: v for k, v in data.items() if k.startswith("sit_") and k[4:] in codes and v}


def _matter_and_version(code: str):
    matter = catalog.matter_get(code=code)
    return matter, catalog.matter_current_version(matter=matter)


def _files_checked(request, codes) -> dict:
    """Check every uploaded scan before anything is saved, so a bad file refuses the form as a whole."""
    files = {}
    for code in codes:
        f = request.FILES.get(f"file_{code}")
        if f is not None:
            f.seek(0)
            upload_check(filename=f.name or "", head=f.read(16), size=f.size)
            f.seek(0)
            files[code] = f
    return files


def _form_key(kind: str, matter, ticket=None) -> str:
    return f"{kind}:{matter.implementation_code}:{ticket.number if ticket else ''}"


def _scans_from_post(request, checklist, form_key: str):
    """The scans of a case form: (the new ones that passed the check, all for the service, the first refusal).
    Each new file is checked on its own, so one bad file does not lose the good ones (they are held, see
    cases.holding); a scan held from a refused try fills a material with no new file, unless its box ``drop_``
    says to discard it."""
    items = {i.code: i for i in checklist.items if not i.exempt}
    drop = {c for c in items if request.POST.get(f"drop_{c}")}
    if drop:
        holding.discard(request, form_key, drop)
    new, error = {}, None
    for code, item in items.items():
        f = request.FILES.get(f"file_{code}")
        if f is None:
            continue
        try:
            f.seek(0)
            upload_check(filename=f.name or "", head=f.read(16), size=f.size)
            f.seek(0)
        except ValidationFailed as exc:
            error = error or ValidationFailed(f"“{item.name}”的扫描件：{exc.message}",
                                              f"The scan of material {code}: {exc.message_en}",
                                              field=f"file_{code}", code=exc.code)
            continue
        new[code] = f
    held = holding.held_files(request, form_key, skip=(set(new) | drop))
    _close({c: f for c, f in held.items() if c not in items})  # a material no longer on the checklist
    return new, {**{c: f for c, f in held.items() if c in items}, **new}, error


def _close(files: dict) -> None:
    for f in files.values():
        with contextlib.suppress(OSError):  # closing a read handle
            f.close()


def _materials_from_post(request, checklist, files=()) -> dict:
    out = {}
    for item in checklist.items:
        if item.exempt:
            continue
        choice = request.POST.get(f"m_{item.code}", "")
        note = request.POST.get(f"note_{item.code}", "").strip()
        if item.code in files and choice in ("", MaterialStatus.MISSING):
            choice = "provided_electronic"
        if choice == "provided_paper":
            out[item.code] = {"status": MaterialStatus.PROVIDED, "medium": MaterialMedium.PAPER, "note": note}
        elif choice == "provided_electronic":
            out[item.code] = {"status": MaterialStatus.PROVIDED, "medium": MaterialMedium.ELECTRONIC, "note": note}
        elif choice == MaterialStatus.INCORRECT:
            out[item.code] = {"status": MaterialStatus.INCORRECT, "note": note}
        else:
            out[item.code] = {"status": MaterialStatus.MISSING, "note": note}
    return out


def _applicant_from_post(request) -> dict:
    p = request.POST
    return {
        "applicant_kind": p.get("applicant_kind", ApplicantKind.PERSON), "applicant_name": p.get("applicant_name", ""),
        "id_number": p.get("id_number", ""), "credit_code": p.get("credit_code", ""),
        "contact_name": p.get("contact_name", ""), "contact_phone": p.get("contact_phone", ""),
        "contact_address": p.get("contact_address", ""),
    }


def _form_from_post(request, snapshot) -> dict:
    out = {}
    for f in snapshot.get("form_fields") or []:
        code = f.get("code") or f.get("name")
        if not code:
            continue
        if (f.get("type") or "text") in MULTI_TYPES:
            out[code] = [v for v in request.POST.getlist(f"f_{code}") if v]
        else:
            out[code] = request.POST.get(f"f_{code}", "")
    return out


def _field_kind(kind: str) -> str:
    """How the template shows a field type."""
    if kind in CHOICE_TYPES:
        return "choice"
    if kind in MULTI_TYPES:
        return "multi"
    return kind


def _fields(snapshot, post, lists=None) -> list[dict]:
    """The matter's form fields in one shape for the template (``lists``: the multiselect values posted)."""
    out = []
    for f in snapshot.get("form_fields") or []:
        code = f.get("code") or f.get("name")
        if not code:
            continue
        kind = _field_kind(f.get("type") or "text")
        options = field_options(f)
        row = {"code": code, "label": f.get("label") or code, "type": kind, "required": bool(f.get("required")),
               "options": options, "value": post[f"f_{code}"]}
        if kind == "multi":
            chosen = (lists or {}).get(code, [])
            row["options"] = [{**o, "checked": o["code"] in chosen} for o in options]
        out.append(row)
    return out


def _form_rows(snapshot, form_data) -> list[tuple[str, str]]:
    """The form as recorded, for the case page: labels, and an option's label rather than its code."""
    rows = []
    for f in _fields(snapshot, defaultdict(str)):
        if f["code"] not in form_data:
            continue
        value = form_data[f["code"]]
        labels = {o["code"]: o["label"] for o in f["options"]}
        if isinstance(value, list):
            value = "、".join(labels.get(str(v), str(v)) for v in value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        else:
            value = labels.get(str(value), value)
        rows.append((f["label"], value))
    return rows


def _material_rows(checklist, post, held) -> list[dict]:
    """The checklist as the form shows it: each material's status as the clerk set it (or the default for a fresh
    form: received on paper, 缺少 for an optional item), its note and the scan held from a refused try."""
    rows = []
    for item in checklist.items:
        default = MaterialStatus.MISSING if item.necessity == "optional" else "provided_paper"
        rows.append({"item": item, "choice": post.get(f"m_{item.code}") or default,
                     "note": post.get(f"note_{item.code}", ""), "held": held.get(item.code)})
    return rows


def _form_context(request, matter, version, answers, checklist, extra, form_key: str = "") -> dict:
    snap = version.snapshot
    posted = request.method == "POST"
    post = defaultdict(str, request.POST.dict() if posted else {})
    lists = {k[2:]: request.POST.getlist(k) for k in request.POST if k.startswith("f_")} if posted else {}
    held = holding.held(request, form_key) if form_key and posted else {}
    return {"matter": matter, "version": version, "snap": snap, "answers": answers, "checklist": checklist,
            "fields": _fields(snap, post, lists), "post": post, "kinds": ApplicantKind.choices,
            "material_rows": _material_rows(checklist, post, held), "held": held,
            "keep": {}, "name_prefill": "", "id_prefill": "", **extra}


def _create_with_scans(request, checklist, form_key: str, create):
    """Create the case with ``create(files)``: the service stores the scans with the case in the same step (so a
    收件并流转 keeps them). Returns (case, None), or (None, the error) when nothing was created; then the scans that
    passed their check are held for the next try (cases.holding)."""
    new, files, error = _scans_from_post(request, checklist, form_key)
    case = None
    try:
        if error is None:
            try:
                case = create(files)
            except DomainError as exc:
                error = exc
    finally:
        _close({c: f for c, f in files.items() if c not in new})
    if case is None:
        holding.hold(request, form_key, new)
        return None, error
    holding.discard(request, form_key)
    return case, None


def _today_ticket(user, number: str):
    """Today's queue ticket the receive page was opened from (the hall answers: ``hooks.front_desk_ticket``)."""
    if not number or not user.centre_id:
        return None
    return hooks.front_desk_ticket.first(user=user, number=number)


def receive(request):
    """收件: from the called ticket, pick the matter, answer the situation questions, fill the applicant and the
    form, tick the pre-filled checklist and attach scans; then the case detail page forwards it, asks for a
    supplement or accepts it tolerantly."""
    denied = _staff(request)
    if denied:
        return denied
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    ticket = _today_ticket(user, params.get("ticket", ""))
    code = params.get("matter", "").strip() or (ticket.matter.implementation_code if ticket and ticket.matter else "")
    if not code:
        q = request.GET.get("q", "").strip()
        if q:
            matters = catalog.matter_search(query=q, limit=30)
        elif ticket:
            matters = list(ticket.domain.matters.filter(is_active=True).order_by("name")[:60])
        else:
            matters = []
        return render(request, "cases/receive_pick.html", {"ticket": ticket, "q": q, "matters": matters,
                                                           "ticket_number": params.get("ticket", "")})
    try:
        matter, version = _matter_and_version(code)
    except NotFound as exc:
        messages.error(request, exc.localized(translation.get_language()))
        return redirect(f"/cases/receive/?ticket={ticket.number if ticket else ''}")
    answers = _answers(request, version.snapshot)
    checklist = checklist_build(version.snapshot, answers)
    error = None
    form_key = _form_key("receive", matter, ticket)
    if request.method == "POST":
        case, error = _create_with_scans(request, checklist, form_key, lambda files: services.case_receive(
            actor=user, matter_code=matter.implementation_code, answers=answers,
            form_data=_form_from_post(request, version.snapshot),
            materials=_materials_from_post(request, checklist, files), ticket_number=ticket.number if ticket else "",
            agent_name=request.POST.get("agent_name", ""), agent_id_number=request.POST.get("agent_id_number", ""),
            agent_authorisation=bool(request.POST.get("agent_authorisation")),
            channel=request.POST.get("channel") or Channel.WINDOW, forward=request.POST.get("forward") == "1",
            uploads=files, **_applicant_from_post(request)))
        if case is not None:
            if ticket:
                try:  # the hall links the ticket to the case (hooks.on_case_received_for_ticket)
                    hooks.on_case_received_for_ticket.fire(case=case, actor=user, ticket=ticket)
                except DomainError as exc:
                    messages.warning(request, exc.localized(translation.get_language()))
            if case.state == CaseState.FORWARDED:
                messages.success(request, f"已收件并流转后台，办件编号 {case.number}。")
            else:
                messages.success(request, f"已收件，办件编号 {case.number}。")
            return redirect("cases:detail", number=case.number)
    else:
        holding.discard(request, form_key)  # a fresh form: nothing held from another applicant's try
    return render(request, "cases/receive.html", _form_context(request, matter, version, answers, checklist, {
        "ticket": ticket, "error": error, "id_prefill": ticket.id_number if ticket else "",
        "keep": {"ticket": ticket.number if ticket else "", "matter": matter.implementation_code},
        "channels": [(v, lbl) for v, lbl in Channel.choices if v in (Channel.WINDOW, Channel.DOOR_TO_DOOR,
                                                                   Channel.SELF_SERVICE)]}, form_key))


# ---------------------------------------------------------------- online application (一网通办)


def apply_pick(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    q = request.GET.get("q", "").strip()
    matters = catalog.matter_search(query=q, limit=30) if q else []
    return render(request, "cases/apply_pick.html", {"q": q, "matters": matters})


def apply(request, code: str):
    """网上申请: situation answers, applicant, form and scans; the case goes straight to back-office pre-review."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    try:
        matter, version = _matter_and_version(code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    answers = _answers(request, version.snapshot)
    checklist = checklist_build(version.snapshot, answers)
    error = None
    form_key = _form_key("apply", matter)
    if request.method == "POST":
        case, error = _create_with_scans(request, checklist, form_key, lambda files: services.case_submit_online(
            actor=user, matter_code=matter.implementation_code, answers=answers,
            form_data=_form_from_post(request, version.snapshot),
            materials={c: {"status": MaterialStatus.PROVIDED, "medium": MaterialMedium.ELECTRONIC} for c in files},
            uploads=files, **_applicant_from_post(request)))
        if case is not None:
            messages.success(request, f"已提交，办件编号 {case.number}，请等待审核。")
            return redirect("cases:mine")
    else:
        holding.discard(request, form_key)
    return render(request, "cases/apply.html", _form_context(request, matter, version, answers, checklist, {
        "error": error, "id_prefill": user.id_number or "", "name_prefill": user.display_name or ""}, form_key))


def mine(request):
    """我的办件: an applicant's own cases."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(request, "cases/mine.html", {"cases": selectors.cases_of_applicant(user=request.user)})


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
        "form_rows": _form_rows(case.matter_version.snapshot, case.form_data),
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
        services.case_withdraw(case=case, actor=user, reason=p.get("reason", ""))
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
                                    address=request.META.get("REMOTE_ADDR", ""))
    return render(request, "cases/pii.html", {"case": case, "full": full})
