"""Work-calendar API under /api/v1/calendar: working-day arithmetic, a year's days, administrator edits."""

from __future__ import annotations

import datetime as dt

from ninja import Field, File, Router, Schema
from pydantic import ConfigDict
from ninja.files import UploadedFile

from yichuang.accounts.auth import api_auth

from . import selectors, services
from .workdays import add_workdays, workdays_between

router = Router(tags=["calendar 工作日历"])


class AddOut(Schema):
    date: dt.date
    provisional: bool


class BetweenOut(Schema):
    days: int
    provisional: bool


class DayOut(Schema):
    date: dt.date
    is_workday: bool
    kind: str
    kind_label: str
    name: str


class YearOut(Schema):
    year: int
    source: str
    source_label: str
    provisional: bool
    workdays: int
    days: list[DayOut]


class DayIn(Schema):
    is_workday: bool
    name: str = ""
    kind: str | None = Field(None, description="不填按 is_workday 推定 Left out: inferred from is_workday")

    model_config = ConfigDict(json_schema_extra={"examples": [{"is_workday": False, "name": "临时休息日"}]})


class YearSummaryOut(Schema):
    year: int
    source: str
    provisional: bool


@router.get("/workdays/add", response=AddOut, summary="第 N 个工作日 N-th working day after a date")
def workdays_add(request, date: dt.date, n: int):
    """The n-th working day after ``date`` (the date itself not counted); ``provisional`` when the result
    depends on a year without an official schedule."""
    result = add_workdays(date, n)
    return {"date": result.value, "provisional": result.provisional}


@router.get("/workdays/between", response=BetweenOut, summary="两日之间的工作日数 Working days in (start, end]")
def workdays_count(request, start: dt.date, end: dt.date):
    result = workdays_between(start, end)
    return {"days": result.value, "provisional": result.provisional}


@router.get("/years", response=list[YearSummaryOut], summary="已存储的年度 Stored years")
def years_list(request):
    return [{"year": y.year, "source": y.source, "provisional": y.provisional} for y in selectors.calendar_years_list()]


@router.get("/years/{year}", response=YearOut, summary="一个年度的每一天 Every day of a year")
def year_get(request, year: int):
    view = selectors.calendar_year_get(year=year)
    return {"year": view.year, "source": view.source, "source_label": view.source_label,
            "provisional": view.provisional, "workdays": sum(d.is_workday for d in view.days),
            "days": [d.__dict__ for d in view.days]}


@router.put("/days/{date}", response=DayOut, auth=api_auth, summary="修改一天（管理员） Edit a day (admin)")
def day_set(request, date: dt.date, payload: DayIn):
    day = services.calendar_set_day(date=date, is_workday=payload.is_workday, name=payload.name, kind=payload.kind,
                                    actor=request.user)
    return {"date": day.date, "is_workday": day.is_workday, "kind": day.kind, "kind_label": day.get_kind_display(),
            "name": day.name}


@router.post("/import", response=YearSummaryOut, auth=api_auth, summary="导入一个年度（管理员） Import a year (admin)")
def year_import(request, file: UploadedFile = File(...)):
    cal_year = services.calendar_import(file=file, filename=file.name, actor=request.user)
    return {"year": cal_year.year, "source": cal_year.source, "provisional": cal_year.provisional}
