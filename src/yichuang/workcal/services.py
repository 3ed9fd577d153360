"""Writes to the work calendar (工作日历): seeding official years, administrator edits, yearly imports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import IO

from django.db import transaction

from yichuang.audit.services import audit_record
from yichuang.core.errors import PermissionDeniedError, ValidationFailed

from . import statutory, workdays
from .models import CalendarDay, CalendarYear, DayKind, YearSource


def _changed() -> None:
    workdays.invalidate()
    transaction.on_commit(workdays.invalidate)


def _is_admin(actor) -> bool:
    return bool(actor is not None and (getattr(actor, "is_superuser", False) or getattr(actor, "role", "") == "admin"))


def _require_admin(actor) -> None:
    if not _is_admin(actor):
        raise PermissionDeniedError("只有管理员可以修改工作日历", "Only administrators may change the work calendar")


def write_year(*, year_model, day_model, year: int, source: str, days):
    """Replace one year's rows (also used by the seeding data migration with historical models)."""
    cal_year, _ = year_model.objects.update_or_create(year=year, defaults={"source": source})
    day_model.objects.filter(date__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))).delete()
    day_model.objects.bulk_create(
        [day_model(date=d.date, is_workday=d.is_workday, kind=d.kind, name=d.name) for d in days], batch_size=500)
    return cal_year


@transaction.atomic
def calendar_seed_year(*, year: int, actor=None, force: bool = False) -> CalendarYear | None:
    """Load the State Council schedule of ``year`` from chinese-calendar.

    An imported year is kept unless ``force``; returns None when nothing was written.
    """
    existing = CalendarYear.objects.filter(year=year).first()
    if existing is not None and existing.source == YearSource.IMPORTED and not force:
        return None
    days = statutory.official_days(year)
    cal_year = write_year(year_model=CalendarYear, day_model=CalendarDay, year=year, source=YearSource.OFFICIAL,
                          days=days)
    audit_record(actor=actor, action="calendar.seed", obj=cal_year, after={"year": year, "source": "official"})
    _changed()
    return cal_year


def calendar_seed_known_years(*, actor=None, force: bool = False) -> list[int]:
    """Seed every year chinese-calendar knows; returns the years written."""
    return [y for y in statutory.official_years() if calendar_seed_year(year=y, actor=actor, force=force)]


def _kind_for(day: dt.date, is_workday: bool, name: str) -> str:
    weekend = day.weekday() >= 5
    if is_workday:
        return DayKind.ADJUSTED_WORKDAY if weekend else DayKind.WORKDAY
    if weekend and not name:
        return DayKind.WEEKEND
    return DayKind.HOLIDAY if name else DayKind.ADJUSTED_REST


@transaction.atomic
def calendar_set_day(*, date: dt.date, is_workday: bool, name: str = "", actor, kind: str | None = None
                     ) -> CalendarDay:
    """An administrator marks one day as working or not (audited)."""
    _require_admin(actor)
    statutory.check_year(date.year)
    name = (name or "").strip()[:40]
    if kind is None:
        kind = _kind_for(date, is_workday, name)
    elif kind not in DayKind.values:
        raise ValidationFailed(f"未知的日期类型：{kind}", f"Unknown day kind: {kind}", field="kind")
    elif (kind in (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY)) != is_workday:
        raise ValidationFailed("日期类型与是否工作日不一致", "Kind and is_workday disagree", field="kind")
    cal_year = CalendarYear.objects.select_for_update().filter(year=date.year).first()
    if cal_year is None:  # a year without rows: materialise the computed (provisional) days first
        cal_year = write_year(year_model=CalendarYear, day_model=CalendarDay, year=date.year,
                              source=YearSource.PROVISIONAL, days=statutory.provisional_days(date.year))
    day = CalendarDay.objects.filter(date=date).first() or CalendarDay(date=date)
    before = {"is_workday": day.is_workday, "kind": day.kind, "name": day.name} if day.pk else None
    day.is_workday, day.kind, day.name = is_workday, kind, name
    day.save()
    cal_year.save(update_fields=["updated_at"])  # bumps the version other processes check
    audit_record(actor=actor, action="calendar.day.set", obj=day, before=before,
                 after={"date": date, "is_workday": is_workday, "kind": kind, "name": name})
    _changed()
    return day


# --- import -------------------------------------------------------------------------------------------

_DATE_COLS = ("日期", "date")
_KIND_COLS = ("类型", "kind")
_FLAG_COLS = ("是否工作日", "is_workday", "workday")
_NAME_COLS = ("名称", "name", "节日")
_KIND_WORDS = {
    "工作日": DayKind.WORKDAY, "上班": DayKind.WORKDAY, "班": DayKind.WORKDAY,
    "休息日": DayKind.WEEKEND, "周末": DayKind.WEEKEND, "双休日": DayKind.WEEKEND,
    "法定节假日": DayKind.HOLIDAY, "节假日": DayKind.HOLIDAY, "假日": DayKind.HOLIDAY, "休": DayKind.HOLIDAY,
    "调休上班": DayKind.ADJUSTED_WORKDAY, "补班": DayKind.ADJUSTED_WORKDAY,
    "调休休息": DayKind.ADJUSTED_REST, "调休": DayKind.ADJUSTED_REST,
    **{k.value: k.value for k in DayKind},
}
_TRUE = {"是", "1", "true", "yes", "y", "工作日", "上班"}
_FALSE = {"否", "0", "false", "no", "n", "休息", "休息日"}


def _read_rows(file, filename: str) -> list[list]:
    if isinstance(file, (str, Path)):
        filename = filename or str(file)
        data = Path(file).read_bytes()
    else:
        data = file.read()
        filename = filename or getattr(file, "name", "") or ""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data[:2] == b"PK" or filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # a damaged workbook is a user error, not a crash
            raise ValidationFailed(f"无法读取 Excel 文件：{exc}", f"Cannot read the workbook: {exc}") from exc
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationFailed("文件编码无法识别（请用 UTF-8 或 GBK 的 CSV）", "Unknown encoding; use UTF-8 CSV")
    return [row for row in csv.reader(io.StringIO(text))]


def _col(header: list[str], names) -> int | None:
    for i, h in enumerate(header):
        if h in names:
            return i
    return None


def _parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat("-".join(p.zfill(2) for p in text.split("-")) if text.count("-") == 2 else text)


@transaction.atomic
def calendar_import(*, file: str | Path | IO, actor=None, filename: str = "") -> CalendarYear:
    """Import one whole year from CSV/XLSX (columns 日期, 类型 or 是否工作日, 名称).

    Days not listed follow the weekend rule. Every row is checked first; if any row is bad nothing is
    written and the error lists each bad row by its number in the file.
    """
    if actor is not None:
        _require_admin(actor)
    rows = [r for r in _read_rows(file, filename) if any(str(c or "").strip() for c in r)]
    if not rows:
        raise ValidationFailed("导入文件为空", "The import file is empty")
    header = [str(c or "").strip().lower() for c in rows[0]]
    i_date, i_kind = _col(header, _DATE_COLS), _col(header, _KIND_COLS)
    i_flag, i_name = _col(header, _FLAG_COLS), _col(header, _NAME_COLS)
    if i_date is None or (i_kind is None and i_flag is None):
        raise ValidationFailed("表头须包含“日期”以及“类型”或“是否工作日”列",
                               "The header needs a date column and a kind or is_workday column")
    errors: list[dict] = []
    parsed: dict[dt.date, statutory.DaySpec] = {}
    years: set[int] = set()

    def cell(row, i):
        return row[i] if i is not None and i < len(row) else None

    for number, row in enumerate(rows[1:], start=2):
        def bad(msg: str, row_number=number):
            errors.append({"row": row_number, "message": msg})
        try:
            day = _parse_date(cell(row, i_date))
        except (ValueError, TypeError):
            bad(f"日期无效：{cell(row, i_date)!s}（应为 YYYY-MM-DD）")
            continue
        name = str(cell(row, i_name) or "").strip()
        kind_text = str(cell(row, i_kind) or "").strip()
        flag_text = str(cell(row, i_flag) or "").strip().lower()
        kind = _KIND_WORDS.get(kind_text) if kind_text else None
        if kind_text and kind is None:
            bad(f"类型无效：{kind_text}（可用：工作日、休息日、法定节假日、调休上班、调休休息）")
            continue
        flag = True if flag_text in _TRUE else False if flag_text in _FALSE else None
        if flag_text and flag is None:
            bad(f"是否工作日无效：{flag_text}（应为 是 或 否）")
            continue
        if kind is None and flag is None:
            bad("缺少类型或是否工作日")
            continue
        kind_work = kind in (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY) if kind else None
        if kind is not None and flag is not None and kind_work != flag:
            bad(f"类型“{kind_text}”与是否工作日“{flag_text}”矛盾")
            continue
        is_work = flag if flag is not None else kind_work
        if day in parsed:
            bad(f"日期重复：{day.isoformat()}")
            continue
        if len(name) > 40:
            bad("名称过长（最多 40 字）")
            continue
        years.add(day.year)
        parsed[day] = statutory.DaySpec(day, is_work, kind or _kind_for(day, is_work, name), name)
    if not errors and len(years) > 1:
        errors.append({"row": None, "message": f"一个文件只能包含一个年度，发现：{'、'.join(map(str, sorted(years)))}"})
    if not errors and not parsed:
        errors.append({"row": None, "message": "文件中没有日期行"})
    if not errors:
        try:
            statutory.check_year(next(iter(years)))
        except ValidationFailed as exc:
            errors.append({"row": None, "message": exc.message})
    if errors:
        lines = [f"第 {e['row']} 行：{e['message']}" if e["row"] else e["message"] for e in errors]
        shown = "；".join(lines[:10]) + (f"；另有 {len(lines) - 10} 处错误" if len(lines) > 10 else "")
        raise ValidationFailed(f"导入失败，未写入任何数据。{shown}",
                               f"Import failed, nothing written: {len(errors)} bad row(s)", details=errors)
    year = years.pop()
    days = []
    for d in statutory._year_dates(year):
        weekend = d.weekday() >= 5
        days.append(parsed.get(d) or statutory.DaySpec(d, not weekend, DayKind.WEEKEND if weekend else DayKind.WORKDAY))
    before = CalendarYear.objects.filter(year=year).values_list("source", flat=True).first()
    cal_year = write_year(year_model=CalendarYear, day_model=CalendarDay, year=year, source=YearSource.IMPORTED,
                          days=days)
    audit_record(actor=actor, action="calendar.import", obj=cal_year, before={"source": before} if before else None,
                 after={"year": year, "source": "imported", "rows": len(parsed)})
    _changed()
    return cal_year
