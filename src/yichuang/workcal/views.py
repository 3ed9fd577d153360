"""Staff page of the work calendar: a year as month grids; administrators toggle a day."""

from __future__ import annotations

import calendar as pycal
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from yichuang.core.errors import PermissionDeniedError, ValidationFailed

from . import selectors, services
from .services import _is_admin

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def _months(view) -> list[dict]:
    by_date = {d.date: d for d in view.days}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(view.year, month):
            weeks.append([by_date[d] if d.month == month else None for d in week])
        months.append({"number": month, "weeks": weeks,
                       "workdays": sum(1 for d in view.days if d.date.month == month and d.is_workday)})
    return months


@login_required
def year(request, year: int | None = None):
    if not getattr(request.user, "is_staff_member", False) and not request.user.is_superuser:
        raise PermissionDeniedError("仅工作人员可查看工作日历", "Staff only")
    year = year or timezone.localdate().year
    is_admin = _is_admin(request.user)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDeniedError("只有管理员可以修改工作日历", "Only administrators may change the work calendar")
        try:
            day = dt.date.fromisoformat(request.POST.get("date", ""))
        except ValueError:
            raise ValidationFailed("日期无效", "Invalid date") from None
        current = selectors.calendar_year_get(year=day.year)
        was_work = next(d.is_workday for d in current.days if d.date == day)
        name = request.POST.get("name", "").strip()
        services.calendar_set_day(date=day, is_workday=not was_work, name=name, actor=request.user)
        messages.success(request, f"{day.isoformat()} 已改为{'休息日' if was_work else '工作日'}")
        return redirect("workcal:year", year=day.year)
    view = selectors.calendar_year_get(year=year)
    return render(request, "workcal/year.html", {
        "view": view, "months": _months(view), "weekdays": WEEKDAYS, "is_admin": is_admin,
        "workday_count": sum(d.is_workday for d in view.days), "prev": year - 1, "next": year + 1,
    })
