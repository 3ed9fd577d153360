"""Supervision pages: the supervisor desk, rectifications, 办不成事 / hotline tickets, door-to-door days, the KPI
dashboard, the staff inbox, and the applicant's rating pages. Thin: selectors and services do the work."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre, Department
from yichuang.cases.models import Case
from yichuang.catalog.models import Matter
from yichuang.core.errors import DomainError, NotFound, ValidationFailed

from . import selectors, services
from .constants import INDICATORS, ComplaintChannel, ComplaintKind, RatingChannel, RatingLevel
from .kpi import kpi_dashboard
from .models import DoorBooking, Zone


def _login(request):
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


# ---------------------------------------------------------------- the supervisor desk


def desk(request):
    if (r := _login(request)):
        return r
    selectors.require_reader(request.user)
    return render(request, "supervision/desk.html", {
        "overdue": selectors.overdue_cases(), "rects": selectors.rectifications_open(),
        "complaints": selectors.complaints(user=request.user, state="open"),
        "messages_in": selectors.inbox_of(user=request.user, unread_only=True, limit=20),
    })


def inbox(request):
    if (r := _login(request)):
        return r
    if request.method == "POST":
        services.inbox_mark_read(user=request.user)
        return redirect("supervision:inbox")
    return render(request, "supervision/inbox.html", {"items": selectors.inbox_of(user=request.user)})


def rectification(request, pk: int):
    if (r := _login(request)):
        return r
    rect = selectors.rectification_get(pk=pk, user=request.user)
    if request.method == "POST":
        action, p = request.POST.get("action"), request.POST
        try:
            if action == "callback":
                services.rectification_callback(rect=rect, actor=request.user, note=p.get("note", ""))
            elif action == "reply":
                services.rectification_reply(rect=rect, actor=request.user, reply=p.get("reply", ""))
            elif action == "close":
                services.rectification_close(rect=rect, actor=request.user)
            else:
                raise ValidationFailed("未知操作。", "Unknown action.")
            messages.success(request, "已保存。")
        except DomainError as exc:
            messages.error(request, exc.localized(get_language()))
        return redirect("supervision:rectification", pk=pk)
    return render(request, "supervision/rectification.html", {"r": rect, "today": timezone.localdate()})


# ---------------------------------------------------------------- 办不成事 / hotline


def complaints(request):
    if (r := _login(request)):
        return r
    user, error = request.user, None
    if request.method == "POST":
        p = request.POST
        try:
            matter = Matter.objects.filter(implementation_code=p.get("matter", "").strip()).first() \
                if p.get("matter") else None
            dept = Department.objects.filter(pk=p.get("department") or 0).first()
            c = services.complaint_open(actor=user, centre=user.centre or Centre.objects.order_by("id").first(),
                                        kind=p.get("kind", ""), channel=p.get("channel", ""),
                                        content=p.get("content", ""), name=p.get("name", ""), phone=p.get("phone", ""),
                                        case_number=p.get("case_number", ""), matter=matter, department=dept)
            messages.success(request, f"已登记工单 {c.number}，办理期限 {c.due:%Y-%m-%d}。")
            return redirect("supervision:complaints")
        except DomainError as exc:
            error = exc
    state = request.GET.get("state") or None
    return render(request, "supervision/complaints.html", {
        "items": selectors.complaints(user=user, state=state), "kinds": ComplaintKind.choices,
        "channels": ComplaintChannel.choices, "departments": Department.objects.filter(is_active=True),
        "error": error, "post": defaultdict(str, request.POST.dict() if error else {}), "state": state or "",
        "can_open": user.role in (Role.SUPERVISOR, Role.ADMIN, Role.GUIDE, Role.CLERK)})


def complaint(request, number: str):
    if (r := _login(request)):
        return r
    c = selectors.complaint_get(number=number, user=request.user)
    if request.method == "POST":
        try:
            services.complaint_resolve(complaint=c, actor=request.user, resolution=request.POST.get("resolution", ""),
                                       satisfaction=request.POST.get("satisfaction") or None)
            messages.success(request, "工单已办结。")
        except DomainError as exc:
            messages.error(request, exc.localized(get_language()))
        return redirect("supervision:complaint", number=number)
    return render(request, "supervision/complaint.html", {"c": c, "levels": RatingLevel.choices})


# ---------------------------------------------------------------- 入户直通车


def door(request):
    if (r := _login(request)):
        return r
    user = request.user
    if user.role not in (Role.SUPERVISOR, Role.ADMIN, Role.GUIDE, Role.CLERK):
        selectors.require_reader(user)
    centre = user.centre or Centre.objects.order_by("id").first()
    error = None
    if request.method == "POST":
        p = request.POST
        try:
            zone = Zone.objects.filter(pk=p.get("zone") or 0, centre=centre).first()
            if zone is None:
                raise ValidationFailed("请选择服务片区。", "Choose a zone.", field="zone")
            matter = Matter.objects.filter(pk=p.get("matter") or 0).first()
            if matter is None:
                raise ValidationFailed("请选择事项。", "Choose a matter.", field="matter")
            try:
                date = dt.date.fromisoformat(p.get("date", ""))
            except ValueError as exc:
                raise ValidationFailed("请选择服务日期。", "Choose the date.", field="date") from exc
            b = services.door_book(actor=user, zone=zone, date=date, name=p.get("name", ""), phone=p.get("phone", ""),
                                   address=p.get("address", ""), matter=matter, note=p.get("note", ""))
            messages.success(request, f"已预约 {b.date:%Y-%m-%d} 上门服务（{zone.name}）。")
            return redirect(f"/supervision/door/?date={b.date.isoformat()}")
        except DomainError as exc:
            error = exc
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    zones = list(Zone.objects.filter(centre=centre).prefetch_related("matters")) if centre else []
    return render(request, "supervision/door.html", {
        "zones": [{"zone": z, "next": services.zone_next_days(zone=z)} for z in zones], "day": day,
        "route": services.door_route(centre=centre, date=day) if centre else [], "error": error,
        "post": defaultdict(str, request.POST.dict() if error else {})})


@require_POST
def door_done(request, pk: int):
    if (r := _login(request)):
        return r
    b = get_object_or_404(DoorBooking, pk=pk)
    try:
        services.door_done(booking=b, actor=request.user, case_number=request.POST.get("case_number", ""))
    except DomainError as exc:
        messages.error(request, exc.localized(get_language()))
    return redirect(f"/supervision/door/?date={b.date.isoformat()}")


# ---------------------------------------------------------------- KPI dashboard


def kpi(request):
    if (r := _login(request)):
        return r
    selectors.require_reader(request.user)
    try:
        start, end = selectors.parse_range(request.GET.get("start"), request.GET.get("end"))
    except DomainError as exc:
        messages.error(request, exc.localized(get_language()))
        start, end = selectors.parse_range(None, None)
    centre = Centre.objects.filter(code=request.GET.get("centre", "")).first()
    data = kpi_dashboard(start=start, end=end, centre_ids=[centre.pk] if centre else None)
    if request.GET.get("format") == "xlsx":
        return _xlsx(data)
    return render(request, "supervision/kpi.html", {
        "k": data, "data_json": json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
        "centres": Centre.objects.filter(is_active=True).order_by("code"), "centre": centre,
        "query": request.GET.urlencode()})


def _xlsx(data: dict) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "指标"
    labels = [("综窗占比", "comprehensive_share"), ("通办率", "tongban_rate"), ("全程网办率", "online_rate"),
              ("即办件占比", "immediate_share"), ("承诺时限压缩率", "compression"), ("平均等候（分钟）", "wait_mean"),
              ("P90等候（分钟）", "wait_p90"), ("平均办理（天）", "mean_handling_days"), ("跑动次数", "visits_per_case"),
              ("满意率", "satisfaction_rate"), ("差评整改率", "rectification_rate"), ("超期率", "overdue_rate"),
              ("收件数", "cases_received"), ("办结数", "cases_decided"), ("叫号数", "tickets")]
    ws.append(["指标", "数值", "期间"])
    for label, key in labels:
        ws.append([label, data.get(key), f"{data['start']} ~ {data['end']}"])
    for title, rows, cols in (("按时段等候", data["wait_by_hour"], ["hour", "mean", "p90", "n"]),
                              ("按领域等候", data["wait_by_domain"], ["domain", "mean", "p90", "n"]),
                              ("部门排名", data["departments"], ["department", "received", "decided", "overdue_rate",
                                                                "mean_days", "satisfaction"]),
                              ("人员排名", data["clerks"], ["clerk", "served", "mean_service", "satisfaction"])):
        sheet = wb.create_sheet(title)
        sheet.append(cols)
        for row in rows:
            sheet.append([row.get(c) for c in cols])
    buf = io.BytesIO()
    wb.save(buf)
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="kpi-{data["start"]}-{data["end"]}.xlsx"'
    return resp


# ---------------------------------------------------------------- 好差评 (applicants)


def _rate(request, *, case=None, ticket=None, channel: str, back: str):
    error = None
    if request.method == "POST":
        p = request.POST
        indicators = {k: p.get(f"ind_{k}") for k in INDICATORS[channel] if p.get(f"ind_{k}")}
        try:
            services.rating_submit(case=case, ticket=ticket, level=p.get("level"), indicators=indicators,
                                   comment=p.get("comment", ""), channel=channel)
            return render(request, "supervision/rated.html", {"back": back})
        except DomainError as exc:
            error = exc
    return render(request, "supervision/rate.html", {
        "case": case, "ticket": ticket, "error": error, "channel": channel,
        # what was chosen and typed comes back with a refusal (nothing typed is lost)
        "levels": [(str(v), label) for v, label in RatingLevel.choices],
        "level": request.POST.get("level", ""), "comment": request.POST.get("comment", ""),
        "indicators": [(k, label, request.POST.get(f"ind_{k}", "")) for k, label in INDICATORS[channel].items()]})


def _own_case(user, case) -> bool:
    if not user.is_authenticated or user.role != "applicant":
        return False
    from yichuang.cases.selectors import cases_of_applicant

    return any(c.pk == case.pk for c in cases_of_applicant(user=user))


def rate_case(request, number: str):
    """Rate a case: the case number and the last 4 characters of the ID number, as on the progress page; an
    applicant signed in needs no code for a case of their own (the link on 我的办件)."""
    code = (request.GET.get("code") or request.POST.get("code") or "").strip().upper()
    case = Case.objects.select_related("matter").filter(number=number).first()
    if case is not None and not code and _own_case(request.user, case):
        code = case.applicant_identifier[-4:].upper()
    if case is None or len(code) != 4 or case.applicant_identifier[-4:].upper() != code:
        raise NotFound("未找到办件，请核对办件编号和证件号码后四位。", "No case found; check the number and the code.")
    channel = RatingChannel.ONLINE if case.channel == "online" else RatingChannel.OFFLINE
    return _rate(request, case=case, channel=channel, back=f"/cases/progress/?number={number}&code={code}")


def rate_ticket(request, ticket_id: int):
    """The window-side rating pad: rate today's finished service."""
    from yichuang.hall.models import Ticket

    ticket = Ticket.objects.select_related("domain").filter(pk=ticket_id, day=timezone.localdate()).first()
    if ticket is None:
        raise NotFound("排队号不存在或已过期。", "No such ticket today.")
    return _rate(request, ticket=ticket, channel=RatingChannel.OFFLINE, back="")
