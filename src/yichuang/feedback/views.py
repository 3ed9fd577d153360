"""Feedback pages: a rectification, 办不成事 / hotline tickets, and the applicant's rating pages. Thin: selectors
and services do the work."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language

from yichuang.accounts.constants import Role
from yichuang.accounts.models import Centre, Department
from yichuang.cases.models import Case
from yichuang.catalog.models import Matter
from yichuang.core.errors import (
    DomainError,
    NotFound,
    PermissionDeniedError,
    ValidationFailed,
)
from yichuang.hall.models import Ticket

from . import selectors, services
from .constants import (
    INDICATORS,
    ComplaintChannel,
    ComplaintKind,
    RatingChannel,
    RatingLevel,
)


def _login(request):
    return None if request.user.is_authenticated else redirect_to_login(request.get_full_path())


# ---------------------------------------------------------------- 差评整改


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
        return redirect("feedback:rectification", pk=pk)
    return render(request, "feedback/rectification.html", {
        "r": rect, "today": timezone.localdate(),
        "can_write": services.rectification_may_write(rect=rect, user=request.user)})


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
            return redirect("feedback:complaints")
        except DomainError as exc:
            error = exc
    state = request.GET.get("state") or None
    return render(request, "feedback/complaints.html", {
        "items": selectors.complaints(user=user, state=state), "kinds": ComplaintKind.choices,
        "channels": ComplaintChannel.choices, "departments": Department.objects.filter(is_active=True),
        "error": error, "post": defaultdict(str, request.POST.dict() if error else {}), "state": state or "",
        "can_open": user.role in services.COMPLAINT_OPEN})


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
        return redirect("feedback:complaint", number=number)
    return render(request, "feedback/complaint.html", {
        "c": c, "levels": RatingLevel.choices,
        "can_resolve": services.complaint_may_resolve(complaint=c, user=request.user)})


# ---------------------------------------------------------------- 好差评 (applicants)


def _rate(request, *, case=None, ticket=None, number: str = "", channel: str, back: str):
    error = None
    if request.method == "POST":
        p = request.POST
        indicators = {k: p.get(f"ind_{k}") for k in INDICATORS[channel] if p.get(f"ind_{k}")}
        try:
            if case is None and ticket is None:  # an unknown case number: answered as a wrong code
                raise PermissionDeniedError("评价码不正确，请核对取号凭条或短信。",
                                            "The rating code is wrong; check the ticket slip or the SMS.")
            services.rating_submit(case=case, ticket=ticket, level=p.get("level"), code=p.get("code", ""),
                                   applicant=request.user, indicators=indicators, comment=p.get("comment", ""),
                                   channel=channel)
            return render(request, "feedback/rated.html", {"back": back})
        except DomainError as exc:
            error = exc
    return render(request, "feedback/rate.html", {
        "case": case, "ticket": ticket, "error": error, "channel": channel, "number": number,
        "needs_code": not services.rating_code_waived(applicant=request.user, case=case),
        "code": request.POST.get("code", "") if request.method == "POST" else request.GET.get("rating_code", ""),
        # what was chosen and typed comes back with a refusal (nothing typed is lost)
        "levels": [(str(v), label) for v, label in RatingLevel.choices],
        "level": request.POST.get("level", ""), "comment": request.POST.get("comment", ""),
        "indicators": [(k, label, request.POST.get(f"ind_{k}", "")) for k, label in INDICATORS[channel].items()]})


def rate_case(request, number: str):
    """Rate a case with its one-time code (评价码, sent by SMS with the invitation); an applicant signed in needs
    no code for a case of their own (the link on 我的办件). The page is the same for a number that does not
    exist (it tells nobody which case numbers do); ``?rating_code=`` fills the code in (the SMS's link)."""
    case = Case.objects.select_related("matter").filter(number=number).first()
    channel = RatingChannel.ONLINE if case is not None and case.channel == "online" else RatingChannel.OFFLINE
    return _rate(request, case=case, number=number, channel=channel, back=f"/cases/progress/?number={number}")


def rate_ticket(request, ticket_id: int):
    """The window-side rating pad: rate today's finished service."""
    ticket = Ticket.objects.select_related("domain").filter(pk=ticket_id, day=timezone.localdate()).first()
    if ticket is None:
        raise NotFound("排队号不存在或已过期。", "No such ticket today.")
    return _rate(request, ticket=ticket, channel=RatingChannel.OFFLINE, back="")


# ---------------------------------------------------------------- 申诉复核


def appeals(request):
    """The clerk's or department's bad ratings to appeal and their appeals; the supervisor's appeals to decide."""
    if (r := _login(request)):
        return r
    user, error = request.user, None
    if request.method == "POST":
        try:
            rating = selectors.rating_get(pk=int(request.POST.get("rating") or 0))
            a = services.appeal_file(rating=rating, actor=user, reason=request.POST.get("reason", ""))
            messages.success(request, "已提交申诉，等待效能监察复核。")
            return redirect("feedback:appeal", pk=a.pk)
        except DomainError as exc:
            error = exc
    return render(request, "feedback/appeals.html", {
        "items": selectors.appeals(user=user), "appealable": selectors.ratings_appealable(user=user),
        "error": error, "reason": request.POST.get("reason", "")})


def appeal(request, pk: int):
    if (r := _login(request)):
        return r
    a = selectors.appeal_get(pk=pk, user=request.user)
    if request.method == "POST":
        try:
            services.appeal_decide(appeal=a, actor=request.user, uphold=request.POST.get("decision") == "uphold",
                                   note=request.POST.get("note", ""))
            messages.success(request, "已复核。")
        except DomainError as exc:
            messages.error(request, exc.localized(get_language()))
        return redirect("feedback:appeal", pk=pk)
    return render(request, "feedback/appeal.html", {"a": a, "can_decide": request.user.role == Role.SUPERVISOR
                                                    and a.state == "pending"})


# ---------------------------------------------------------------- 好差评 公开


def disclosure(request):
    """好差评 monthly disclosure, public (no sign-in): per department, no personal data."""
    today = timezone.localdate()
    last = (today.replace(day=1) - dt.timedelta(days=1))
    month = request.GET.get("month") or f"{last:%Y-%m}"
    try:
        parts = [int(x) for x in month.split("-")]
        if len(parts) != 2 or not (2000 <= parts[0] <= 2100 and 1 <= parts[1] <= 12):
            raise ValueError
    except ValueError:
        raise ValidationFailed("月份格式应为 YYYY-MM。", "The month must be YYYY-MM.", field="month") from None
    return render(request, "feedback/disclosure.html", {"d": selectors.disclosure_month(year=parts[0],
                                                                                          month=parts[1])})
