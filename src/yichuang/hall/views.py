"""Hall pages: kiosk (取号), ticket slip, clerk console (叫号), display board with live push, statistics."""

from __future__ import annotations

import datetime as dt
import json
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseForbidden, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre
from yichuang.catalog import selectors as catalog_selectors
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.core.errors import DomainError

from . import selectors, services
from .models import AppointmentSlot, Ticket, TicketEvent, Window

CLERK_ROLES = {Role.CLERK, Role.GUIDE, Role.ISSUER, Role.ADMIN}
BOARD_STREAM_SECONDS = 300
BOARD_POLL_SECONDS = 0.3


def _centre(code: str) -> Centre:
    centre = Centre.objects.filter(code=code).first()
    if centre is None:
        raise Http404("没有这个中心 No such centre")
    return centre


def kiosk(request, centre_code: str):
    """取号: a big button per domain, or search a matter by name, pinyin or initials and take its domain's number
    (the matter is recorded on the ticket, so a window skilled for just that matter may call it)."""
    centre = _centre(centre_code)
    domains = list(WindowDomain.objects.exclude(code="issuance"))
    waiting = {q["domain_id"]: q["waiting"] for q in selectors.queue_overview(centre_id=centre.pk)}
    error, typed = None, {}
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:40]
    if request.method == "POST":
        typed = {"domain": request.POST.get("domain", ""), "matter": request.POST.get("matter", ""),
                 "id_number": request.POST.get("id_number", "").strip()}
        matter = (Matter.objects.select_related("domain").filter(pk=typed["matter"], is_active=True).first()
                  if typed["matter"].isdigit() else None)
        domain = WindowDomain.objects.filter(pk=typed["domain"]).first() if typed["domain"].isdigit() else None
        try:
            if matter is not None:
                domain = matter.domain
            if domain is None:
                raise DomainError("请选择要办理的业务领域或事项。", "Choose a service area or a matter.")
            ticket = services.ticket_issue(centre=centre, domain=domain, matter=matter, id_number=typed["id_number"])
            return redirect("hall:ticket", ticket_id=ticket.pk)
        except DomainError as exc:
            error = exc
    matters = catalog_selectors.matter_search(query=query, limit=8) if query else []
    large = request.GET.get("large") == "1" or request.POST.get("large") == "1"
    return render(request, "hall/kiosk.html", {
        "centre": centre, "domains": [(d, waiting.get(d.pk, 0)) for d in domains], "error": error, "typed": typed,
        "large": large, "query": query, "matters": [m for m in matters if m.domain_id],
    }, status=400 if error else 200)


def ticket_slip(request, ticket_id: int):
    ticket = get_object_or_404(Ticket.objects.select_related("domain", "centre", "window"), pk=ticket_id)
    return render(request, "hall/ticket.html", {"ticket": ticket, "wait": services.ticket_estimated_wait(ticket=ticket)})


def _clerk_required(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    if request.user.role not in CLERK_ROLES and not request.user.is_superuser:
        return HttpResponseForbidden("只有窗口人员可以使用叫号台。 Only window staff may use the console.")
    return None


def console(request):
    denied = _clerk_required(request)
    if denied:
        return denied
    user = request.user
    window = Window.objects.filter(clerk=user).prefetch_related("domains").first()
    centre = window.centre if window else user.centre
    current = None
    if window:
        current = (Ticket.objects.filter(window=window, state__in=["called", "serving"])
                   .select_related("domain").order_by("-called_at").first())
    return render(request, "hall/console.html", {
        "window": window, "centre": centre, "current": current,
        "windows": Window.objects.filter(centre=centre).order_by("number") if centre else [],
        "queues": selectors.queue_overview(centre_id=centre.pk) if centre else [],
        "domains": WindowDomain.objects.all(),
        "board_url": f"/hall/board/{centre.code}/" if centre else "",
    })


@require_POST
def console_action(request):
    denied = _clerk_required(request)
    if denied:
        return denied
    user, action = request.user, request.POST.get("action", "")
    try:
        if action == "sign_in":
            window = get_object_or_404(Window, pk=request.POST.get("window"))
            services.clerk_sign_in(window=window, clerk=user)
            messages.success(request, f"已登录 {window.number} 号窗口。")
            return redirect("hall:console")
        window = Window.objects.filter(clerk=user).first()
        if window is None:
            raise DomainError("请先登录一个窗口。", "Sign in to a window first.")
        ticket = None
        if request.POST.get("ticket"):
            ticket = get_object_or_404(Ticket, pk=request.POST["ticket"])
        if action == "call_next":
            t = services.ticket_call_next(window=window, clerk=user)
            messages.success(request, f"请 {t.number} 号到 {window.number} 号窗口办理")
        elif action == "recall":
            services.ticket_recall(window=window, clerk=user, ticket=ticket)
        elif action == "no_show":
            services.ticket_no_show(window=window, clerk=user, ticket=ticket)
        elif action == "start":
            services.ticket_start_service(window=window, clerk=user, ticket=ticket)
        elif action == "finish":
            services.ticket_finish(window=window, clerk=user, ticket=ticket)
        elif action == "finish_next":
            t = services.ticket_finish_and_call_next(window=window, clerk=user, ticket=ticket)
            messages.success(request, f"请 {t.number} 号到 {window.number} 号窗口办理")
        elif action == "transfer":
            domain = WindowDomain.objects.filter(pk=request.POST.get("to_domain") or 0).first()
            services.ticket_transfer(window=window, clerk=user, ticket=ticket, to_domain=domain)
        elif action == "pause":
            services.window_set_state(window=window, actor=user, state="paused")
        elif action == "resume":
            services.window_set_state(window=window, actor=user, state="open")
        elif action == "sign_out":
            services.clerk_sign_out(window=window, clerk=user)
        else:
            raise DomainError("未知操作。", "Unknown action.")
    except DomainError as exc:
        messages.error(request, exc.bilingual())
    return redirect("hall:console")


def board(request, centre_code: str):
    centre = _centre(centre_code)
    return render(request, "hall/board.html", {
        "centre": centre, "calls": selectors.board_recent_calls(centre_id=centre.pk, limit=8),
        "queues": selectors.queue_overview(centre_id=centre.pk),
    })


def _board_payload(centre: Centre) -> dict:
    calls = selectors.board_recent_calls(centre_id=centre.pk, limit=8)
    return {"calls": [{"number": c["number"], "window": c["window"], "kind": c["kind"]} for c in calls],
            "queues": selectors.queue_overview(centre_id=centre.pk)}


def _last_call_id(centre: Centre) -> int:
    return (TicketEvent.objects.filter(ticket__centre=centre, kind__in=["called", "recalled", "issued", "finished"])
            .order_by("-id").values_list("id", flat=True).first() or 0)


def board_stream(centre: Centre, *, seconds: float = BOARD_STREAM_SECONDS, poll: float = BOARD_POLL_SECONDS):
    """Server-sent events for the board. Each tick reads the newest event id from the database, so a call made
    through any server process reaches every board within one poll interval; the stream ends after ``seconds``
    (the browser's EventSource reconnects) so no worker is held forever."""
    from .live import close_listener, wait_for_change

    last = -1
    deadline = time.monotonic() + seconds
    beat = time.monotonic()
    try:
        yield "retry: 1000\n\n"
        while time.monotonic() < deadline:
            current = _last_call_id(centre)
            if current != last:
                last = current
                yield f"event: board\ndata: {json.dumps(_board_payload(centre), ensure_ascii=False)}\n\n"
            elif time.monotonic() - beat > 15:
                beat = time.monotonic()
                yield ": keep-alive\n\n"
            wait_for_change(centre.pk, timeout=poll)
    finally:  # also when the browser goes away mid-stream
        close_listener()


def board_events(request, centre_code: str):
    centre = _centre(centre_code)
    response = StreamingHttpResponse(board_stream(centre), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@login_required
def stats(request):
    if request.user.role not in {Role.SUPERVISOR, Role.ADMIN} and not request.user.is_superuser:
        return HttpResponseForbidden("只有效能监察和管理员可以查看统计。 Supervisors and administrators only.")
    centre = request.user.centre or Centre.objects.filter(windows__isnull=False).first()
    try:
        day = dt.date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
        messages.error(request, "日期格式应为 YYYY-MM-DD。 Dates are YYYY-MM-DD.")
    by = request.GET.get("by", "domain")
    rows = selectors.hall_stats(centre_id=centre.pk, day=day, by=by) if centre else []
    return render(request, "hall/stats.html", {"centre": centre, "day": day, "by": by, "rows": rows})


def appointments(request, centre_code: str):
    """预约取号: see open slots with remaining places, book, cancel or check in by code + ID number."""
    centre = _centre(centre_code)
    domains = list(WindowDomain.objects.exclude(code="issuance"))
    domain_id = request.GET.get("domain") or request.POST.get("domain") or ""
    domain_id = int(domain_id) if str(domain_id).isdigit() else None
    error, done, typed = None, None, {}
    if request.method == "POST":
        typed = {k: request.POST.get(k, "").strip() for k in ("name", "id_number", "phone", "code")}
        action = request.POST.get("action")
        try:
            if action == "book":
                slot = AppointmentSlot.objects.filter(pk=request.POST.get("slot") or 0, centre=centre).first()
                if slot is None:
                    raise DomainError("请选择预约时段。", "Choose a time slot.")
                done = services.appointment_book(slot=slot, name=typed["name"], id_number=typed["id_number"],
                                                 phone=typed["phone"])
            elif action in {"cancel", "check_in"}:
                appt = selectors.appointment_find(code=typed["code"], id_number=typed["id_number"])
                done = (services.appointment_cancel(appointment=appt) if action == "cancel"
                        else services.appointment_check_in(appointment=appt))
            else:
                raise DomainError("未知操作。", "Unknown action.")
        except DomainError as exc:
            error = exc
    slots = list(selectors.slots_open(centre_id=centre.pk, domain_id=domain_id))
    for slot in slots:
        slot.remaining = max(slot.capacity - slot.booked, 0)
    return render(request, "hall/appointments.html", {
        "centre": centre, "domains": domains, "domain_id": domain_id, "slots": slots, "error": error,
        "done": done, "typed": typed,
    }, status=400 if error else 200)
