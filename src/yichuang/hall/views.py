"""Hall pages: kiosk (取号), ticket slip, clerk console (叫号), display board with live push, statistics."""

from __future__ import annotations

import datetime as dt
import functools
import json
import time

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.db import connection, transaction
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre
from yichuang.catalog import selectors as catalog_selectors
from yichuang.catalog.models import Matter, WindowDomain
from yichuang.core.errors import DomainError

from . import live, selectors, services
from .constants import PriorityClass
from .models import Appointment, AppointmentSlot, Ticket, Window

CLERK_ROLES = {Role.CLERK, Role.GUIDE, Role.ISSUER, Role.ADMIN}
BOARD_STREAM_SECONDS = 300
BOARD_POLL_SECONDS = 0.3  # SQLite: no notifications, the stream re-reads this often
BOARD_RECHECK_SECONDS = 5.0  # with a listener: re-read this often even without a notification


def _centre(code: str) -> Centre:
    centre = Centre.objects.filter(code=code).first()
    if centre is None:
        raise Http404("没有这个中心 No such centre")
    return centre


def _kiosk_mode(request) -> dict:
    """The kiosk's own switches, kept in its links and forms: 大字模式 (``large=1``) and the page language
    (``lang=en``), switched in the page itself rather than through the site's language form."""
    data = request.POST if request.method == "POST" else request.GET
    large = data.get("large") == "1"
    lang = "en" if data.get("lang") == "en" else "zh-hans"
    keep = {"large": "1" if large else "0", "lang": "en" if lang == "en" else "zh"}
    return {"large": large, "lang": lang, "keep": keep, "keep_qs": urlencode(keep),
            "large_qs": urlencode({**keep, "large": "0" if large else "1"}),
            "lang_qs": urlencode({**keep, "lang": "zh" if lang == "en" else "en"})}


def kiosk(request, centre_code: str):
    """取号: a big button per domain, or search a matter by name, pinyin or initials and take its domain's number
    (the matter is recorded on the ticket, so a window skilled for just that matter may call it); an appointment
    is checked in here too (预约签到: code and ID number)."""
    centre = _centre(centre_code)
    mode = _kiosk_mode(request)
    with translation.override(mode["lang"]):
        return _kiosk(request, centre, mode)


def _kiosk(request, centre: Centre, mode: dict):
    error, error_form, typed = None, "", {}
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:40]
    if request.method == "POST":
        typed = {k: request.POST.get(k, "").strip() for k in ("domain", "matter", "id_number", "code", "appt_id")}
        try:
            if request.POST.get("action") == "check_in":
                error_form = "check_in"
                appt = selectors.appointment_find(code=typed["code"], id_number=typed["appt_id"])
                if appt.slot.centre_id != centre.pk:
                    raise DomainError("该预约不是本中心的预约。", "This appointment is for another centre.")
                appt = services.appointment_check_in(appointment=appt)
                _slip_code_keep(request, appt.ticket)
                return redirect(f"{reverse('hall:ticket', args=[appt.ticket_id])}?kiosk=1&{mode['keep_qs']}")
            error_form = "ticket"
            matter = (Matter.objects.select_related("domain").filter(pk=typed["matter"], is_active=True).first()
                      if typed["matter"].isdigit() else None)
            domain = WindowDomain.objects.filter(pk=typed["domain"]).first() if typed["domain"].isdigit() else None
            if matter is not None:
                domain = matter.domain
            if domain is None:
                raise DomainError("请选择要办理的业务领域或事项。", "Choose a service area or a matter.")
            ticket = services.ticket_issue(centre=centre, domain=domain, matter=matter, id_number=typed["id_number"])
            _slip_code_keep(request, ticket)
            return redirect(f"{reverse('hall:ticket', args=[ticket.pk])}?kiosk=1&{mode['keep_qs']}")
        except DomainError as exc:
            error = exc
    matters = catalog_selectors.matter_search(query=query, limit=8) if query else []
    return render(request, "hall/kiosk.html", {
        "centre": centre, "queues": selectors.queue_board(centre_id=centre.pk), "error": error,
        "error_form": error_form, "typed": typed, "query": query, "matters": [m for m in matters if m.domain_id],
        "open_windows": Window.objects.filter(centre=centre, state="open", clerk__isnull=False).count(), **mode,
    }, status=400 if error else 200)


SLIP_CODE_KEY = "hall_slip_rating_code"


def _slip_code_keep(request, ticket: Ticket | None) -> None:
    """The rating code (好差评 评价码) the issue answered, kept in the kiosk's session for the slip it redirects
    to: printed once, never in an address (logs, history) and never again (only its hash is stored)."""
    code = getattr(ticket, "rating_code", None)
    if ticket is not None and code:
        request.session[SLIP_CODE_KEY] = [ticket.pk, code]


def _slip_code_take(request, ticket: Ticket) -> str | None:
    kept = request.session.get(SLIP_CODE_KEY)
    if kept and kept[0] == ticket.pk:
        del request.session[SLIP_CODE_KEY]
        return kept[1]
    return None


def ticket_slip(request, ticket_id: int):
    """The ticket slip (printed at the kiosk) and, through its QR code, the applicant's view of the queue on a
    phone: the QR code holds the address this page was reached at."""
    ticket = get_object_or_404(Ticket.objects.select_related("domain", "centre", "window"), pk=ticket_id)
    ticket.priority_shown = ticket.priority != PriorityClass.NORMAL
    mode = _kiosk_mode(request)
    with translation.override(mode["lang"]):
        url = request.build_absolute_uri(reverse("hall:ticket", args=[ticket.pk]))
        return render(request, "hall/ticket.html", {
            "ticket": ticket, "centre": ticket.centre, "wait": services.ticket_estimated_wait(ticket=ticket),
            "waiting": ticket.state == "waiting", "from_kiosk": request.GET.get("kiosk") == "1",
            "qr_svg": _qr_svg(url), "slip_url": url, "rating_code": _slip_code_take(request, ticket), **mode,
        })


def _qr_svg(text: str) -> str:
    """An inline SVG QR code (no second request, prints with the page)."""
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return img.to_string(encoding="unicode")


def _clerk_required(request):
    if not request.user.is_authenticated:
        return redirect(f"/accounts/login/?next={request.path}")
    if request.user.role not in CLERK_ROLES and not request.user.is_superuser:
        raise PermissionDenied("只有窗口人员可以使用叫号台。")  # the site's 403 page (handler403)
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
        "queues": selectors.queue_board(centre_id=centre.pk) if centre else [],
        "domains": WindowDomain.objects.all(),
        "board_url": reverse("hall:board", args=[centre.code]) if centre else "",
        "kiosk_url": reverse("hall:kiosk", args=[centre.code]) if centre else "",
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
            messages.success(request, _("已登录 %(n)s 号窗口。") % {"n": window.number})
            return redirect("hall:console")
        window = Window.objects.filter(clerk=user).first()
        if window is None:
            raise DomainError("请先登录一个窗口。", "Sign in to a window first.")
        ticket = None
        if request.POST.get("ticket"):
            ticket = get_object_or_404(Ticket, pk=request.POST["ticket"])
        if action == "call_next":
            t = services.ticket_call_next(window=window, clerk=user)
            messages.success(request, _("请 %(n)s 号到 %(w)s 号窗口办理") % {"n": t.number, "w": window.number})
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
            messages.success(request, _("请 %(n)s 号到 %(w)s 号窗口办理") % {"n": t.number, "w": window.number})
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
        messages.error(request, exc.localized(translation.get_language()))
    return redirect("hall:console")


def board(request, centre_code: str):
    """叫号显示屏: the newest call in large letters (announced again, text and voice, on every 重呼 and every
    call of a re-queued 过号 ticket), the day's latest calls and every queue (暂无等候 when nobody waits)."""
    centre = _centre(centre_code)
    snapshot = selectors.board_snapshot(centre_id=centre.pk)
    return render(request, "hall/board.html", {"centre": centre, "board": snapshot,
                                               "time_zone": settings.TIME_ZONE})


def _board_payload(centre: Centre) -> dict:
    return selectors.board_snapshot(centre_id=centre.pk)


def _board_update(centre: Centre, last) -> tuple:
    """(version, snapshot or None when the version is still ``last``): the polling streams' cheap check first."""
    current = selectors.board_version(centre_id=centre.pk)
    return current, (_board_payload(centre) if current != last else None)


# The board's server-sent events, as both streams below write them.
SSE_RETRY = "retry: 1000\n\n"
SSE_KEEP_ALIVE = ": keep-alive\n\n"
SSE_KEEP_ALIVE_SECONDS = 15


def _sse_board(payload: dict) -> str:
    return f"event: board\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"


async def board_stream(centre: Centre, *, seconds: float = BOARD_STREAM_SECONDS, poll: float = BOARD_POLL_SECONDS,
                       recheck: float = BOARD_RECHECK_SECONDS):
    """Server-sent events for the board, as an asynchronous iterator (served under ASGI, it holds no request
    worker while it waits). It reads the board's snapshot from the database whenever the process's listener
    (Redis pub/sub or PostgreSQL LISTEN, ``hall/live.py``) announces a change for the centre, and at least every
    ``recheck`` seconds in case a notification was lost, and sends it when it differs from the last one sent; so a
    call made through any server process reaches every board at once (whatever order concurrent calls commit in),
    and a new day clears yesterday's calls. With a listener, one read serves every board of the centre in the
    process; on SQLite (no listener) each stream checks the centre's newest event id every ``poll`` seconds.
    The stream ends after ``seconds`` (the browser's EventSource reconnects)."""
    sub = await live.subscribe(centre.pk)
    own_read = sync_to_async(_board_update)
    last = None
    deadline = time.monotonic() + seconds
    beat = time.monotonic()
    try:
        yield SSE_RETRY
        while (remaining := deadline - time.monotonic()) > 0:
            if sub.shared:  # woken by a notification (or the recheck): the snapshot is its own version
                current = payload = await sub.read(functools.partial(_board_payload, centre))
            else:
                current, payload = await own_read(centre, last)
            if current != last:
                last = current
                yield _sse_board(payload)
            elif time.monotonic() - beat > SSE_KEEP_ALIVE_SECONDS:
                beat = time.monotonic()
                yield SSE_KEEP_ALIVE
            await sub.wait(min(recheck if sub.live else poll, remaining))
    finally:  # also when the browser goes away mid-stream (Django cancels the iteration)
        await sub.aclose()


def _stream_centre(code: str) -> Centre:
    """The board's centre. Where the stream's reads go through the listener's thread, the request's own database
    connection is handed back at once rather than held for the minutes the stream lasts."""
    centre = _centre(code)
    if live.backend() != "poll" and transaction.get_autocommit():
        connection.close()
    return centre


def board_stream_polling(centre: Centre, *, seconds: float = BOARD_STREAM_SECONDS,
                         poll: float = BOARD_POLL_SECONDS):
    """The same events for a WSGI server (``runserver``, development): a synchronous iterator that re-reads the
    database every ``poll`` seconds and holds its worker while the stream lasts."""
    last = None
    deadline = time.monotonic() + seconds
    beat = time.monotonic()
    yield SSE_RETRY
    while (remaining := deadline - time.monotonic()) > 0:
        current, payload = _board_update(centre, last)
        if current != last:
            last = current
            yield _sse_board(payload)
        elif time.monotonic() - beat > SSE_KEEP_ALIVE_SECONDS:
            beat = time.monotonic()
            yield SSE_KEEP_ALIVE
        time.sleep(min(poll, remaining))


async def board_events(request, centre_code: str):
    if not isinstance(request, ASGIRequest):  # a WSGI server cannot serve an async iterator as a stream
        centre = await sync_to_async(_centre)(centre_code)
        stream = board_stream_polling(centre)
    else:
        stream = board_stream(await sync_to_async(_stream_centre)(centre_code))
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


@login_required
def stats(request):
    if request.user.role not in {Role.SUPERVISOR, Role.ADMIN} and not request.user.is_superuser:
        raise PermissionDenied("只有效能监察和管理员可以查看统计。")
    centre = request.user.centre or Centre.objects.filter(windows__isnull=False).first()
    try:
        day = dt.date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
        messages.error(request, _("日期格式应为 YYYY-MM-DD。"))
    by = request.GET.get("by", "domain")
    by = by if by in {"domain", "window", "clerk"} else "domain"
    rows = selectors.hall_stats(centre_id=centre.pk, day=day, by=by) if centre else []
    return render(request, "hall/stats.html", {"centre": centre, "day": day, "by": by, "rows": rows})


def _date_param(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def appointments(request, centre_code: str):
    """预约取号, in the order a person books: the business (领域, with its matters named), a day among the next
    working days (places left), a time on that day (places left), then name, ID number and phone. Cancel or
    check in by code + ID number below. A refused booking says why and keeps everything typed and chosen."""
    centre = _centre(centre_code)
    data = request.POST if request.method == "POST" else request.GET
    domains = list(WindowDomain.objects.exclude(code=selectors.ISSUANCE_DOMAIN))
    examples: dict[int, list[str]] = {}
    for domain_id, name in (Matter.objects.filter(is_active=True, domain__in=domains)
                            .order_by("domain_id", "name").values_list("domain_id", "name")):
        examples.setdefault(domain_id, []).append(name)
    error, done, typed = None, None, {k: data.get(k, "").strip() for k in ("name", "id_number", "phone", "code")}
    slot_param = data.get("slot", "")
    picked = (AppointmentSlot.objects.filter(pk=slot_param, centre=centre).select_related("domain").first()
              if slot_param.isdigit() else None)
    domain = next((d for d in domains if str(d.pk) == data.get("domain", "")), None)
    if picked is not None and domain is None:
        domain = picked.domain
    day = _date_param(data.get("date", "")) or (picked.date if picked else None)
    today = timezone.localdate()
    if request.method == "POST":
        action = data.get("action")
        try:
            if action == "book":
                if domain is None:
                    raise DomainError("请先选择要办理的业务。", "Choose the service area first.")
                if picked is None or picked.domain_id != domain.pk or (day and picked.date != day):
                    raise DomainError("请选择预约日期和时段。", "Choose a day and a time slot.")
                done = services.appointment_book(slot=picked, name=typed["name"], id_number=typed["id_number"],
                                                 phone=typed["phone"])
            elif action in {"cancel", "check_in"}:
                appt = selectors.appointment_find(code=typed["code"], id_number=typed["id_number"])
                done = (services.appointment_cancel(appointment=appt) if action == "cancel"
                        else services.appointment_check_in(appointment=appt))
            else:
                raise DomainError("未知操作。", "Unknown action.")
        except DomainError as exc:
            error = exc
    days = selectors.appointment_days(centre_id=centre.pk, domain_id=domain.pk) if domain else []
    day_error = None
    if domain and day is not None:
        if day < today:
            day_error = DomainError(f"{day:%Y-%m-%d}已过，不能预约，请选择今天或以后的日期。",
                                    "That day is past; choose today or a later day.")
        elif day not in {d["date"] for d in days}:
            day_error = DomainError(f"{day:%Y-%m-%d}不在可预约的日期内，请在下列日期中选择。",
                                    "That day cannot be booked; choose one of the days listed.")
    if domain and day is None:  # the first day with a place left
        day = next((d["date"] for d in days if d["remaining"]), None)
    slots = (selectors.appointment_slots(centre_id=centre.pk, domain_id=domain.pk, start=day)
             if domain and day and not day_error else [])
    if error is None and day_error is not None and request.method == "GET":
        error = day_error
    language = translation.get_language() or ""
    return render(request, "hall/appointments.html", {
        "centre": centre, "domains": [(d, examples.get(d.pk, [])[:3], len(examples.get(d.pk, []))) for d in domains],
        "domain": domain, "days": days, "day": day, "slots": slots, "picked": picked, "error": error,
        "error_text": (error.localized(language) if error else ""), "done": done, "typed": typed,
        "done_booked": isinstance(done, Appointment) and done.state == "booked" and data.get("action") == "book",
    }, status=400 if error else 200)
