"""Supervision pages: the supervisor desk, door-to-door days, the KPI dashboard and the staff inbox (rectifications,
tickets and the rating pages are feedback's). Thin: selectors and services do the work."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre
from yichuang.catalog.models import Matter
from yichuang.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from yichuang.core.xlsx import append_row
from yichuang.feedback import selectors as feedback_selectors

from . import selectors, services
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
        "overdue": selectors.overdue_cases(), "rects": feedback_selectors.rectifications_open(),
        "complaints": feedback_selectors.complaints(user=request.user, state="open"),
        "messages_in": selectors.inbox_of(user=request.user, unread_only=True, limit=20),
    })


def inbox(request):
    if (r := _login(request)):
        return r
    if request.method == "POST":
        services.inbox_mark_read(user=request.user)
        return redirect("supervision:inbox")
    return render(request, "supervision/inbox.html", {"items": selectors.inbox_of(user=request.user)})


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
        "post": defaultdict(str, request.POST.dict() if error else {}),
        "can_write": bool(centre) and services.door_may_write(user=user, centre_id=centre.pk)},
        status=error.status if isinstance(error, PermissionDeniedError) else 200)


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
        "k": data,
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
    append_row(ws, ["指标", "数值", "期间"])  # every cell guarded against formula injection (core/xlsx.py)
    for label, key in labels:
        append_row(ws, [label, data.get(key), f"{data['start']} ~ {data['end']}"])
    for title, rows, cols in (("按时段等候", data["wait_by_hour"], ["hour", "mean", "p90", "n"]),
                              ("按领域等候", data["wait_by_domain"], ["domain", "mean", "p90", "n"]),
                              ("部门排名", data["departments"], ["department", "received", "decided", "overdue_rate",
                                                                "mean_days", "satisfaction"]),
                              ("人员排名", data["clerks"], ["clerk", "served", "mean_service", "satisfaction"])):
        sheet = wb.create_sheet(title)
        append_row(sheet, cols)
        for row in rows:
            append_row(sheet, [row.get(c) for c in cols])
    buf = io.BytesIO()
    wb.save(buf)
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="kpi-{data["start"]}-{data["end"]}.xlsx"'
    return resp
