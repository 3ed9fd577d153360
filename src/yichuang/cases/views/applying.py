"""The case form, at the front desk (收件, from the called ticket) and online (一网通办), and the applicant's
own cases."""

from __future__ import annotations

import contextlib
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation

from yichuang.catalog import selectors as catalog
from yichuang.catalog.checklist import checklist_build
from yichuang.core.errors import (
    DomainError,
    NotFound,
    ValidationFailed,
)

from .. import holding, hooks, selectors, services
from ..constants import (
    ApplicantKind,
    CaseState,
    Channel,
    MaterialMedium,
    MaterialStatus,
)
from ..forms import CHOICE_TYPES, MULTI_TYPES, field_options
from ..uploads import upload_check


from .common import _staff


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
