"""Seeding, administrator edits and yearly import of the work calendar."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from yichuang.audit.models import AuditEvent
from yichuang.core.errors import PermissionDeniedError, ValidationFailed
from yichuang.workcal import selectors, services
from yichuang.workcal.models import CalendarDay, CalendarYear
from yichuang.workcal.workdays import add_workdays, is_workday

D = dt.date
pytestmark = pytest.mark.django_db


def test_migration_seeded_every_official_year():
    years = set(CalendarYear.objects.values_list("year", flat=True))
    assert set(range(2004, 2027)) <= years
    assert CalendarDay.objects.get(date=D(2026, 9, 20)).kind == "adjusted_workday"
    assert CalendarDay.objects.get(date=D(2026, 10, 1)).name == "国庆节"


def test_reseed_keeps_imported_year_unless_forced():
    CalendarYear.objects.filter(year=2025).update(source="imported")
    assert services.calendar_seed_year(year=2025) is None
    assert services.calendar_seed_year(year=2025, force=True).source == "official"
    assert CalendarDay.objects.filter(date__year=2025).count() == 365


def test_admin_sets_a_day_audited(admin_user):
    services.calendar_set_day(date=D(2026, 3, 3), is_workday=False, name="临时闭馆", actor=admin_user)
    day = CalendarDay.objects.get(date=D(2026, 3, 3))
    assert (day.is_workday, day.kind, day.name) == (False, "holiday", "临时闭馆")
    assert not is_workday(D(2026, 3, 3))
    ev = AuditEvent.objects.filter(action="calendar.day.set").latest("seq")
    assert ev.actor_id == admin_user.pk and ev.before["is_workday"] is True


def test_clerk_may_not_edit(clerk_user):
    with pytest.raises(PermissionDeniedError):
        services.calendar_set_day(date=D(2026, 3, 3), is_workday=False, actor=clerk_user)


def test_edit_in_a_provisional_year_stays_provisional(admin_user):
    services.calendar_set_day(date=D(2031, 1, 4), is_workday=True, actor=admin_user)  # a Saturday
    assert CalendarYear.objects.get(year=2031).source == "provisional"
    assert CalendarDay.objects.get(date=D(2031, 1, 4)).kind == "adjusted_workday"
    r = add_workdays(D(2031, 1, 3), 1)
    assert r.value == D(2031, 1, 4) and r.provisional


CSV_2030 = """日期,类型,名称
2030-01-01,法定节假日,元旦
2030-02-02,法定节假日,春节
2030-02-03,法定节假日,春节
2030-02-04,法定节假日,春节
2030-02-05,法定节假日,春节
2030-02-06,调休休息,春节
2030-02-07,调休休息,春节
2030-02-08,调休休息,春节
2030-01-26,调休上班,春节
2030-02-09,调休上班,春节
"""


def test_import_csv_replaces_provisional(admin_user):
    assert add_workdays(D(2030, 1, 31), 3).provisional
    year = services.calendar_import(file=io.BytesIO(CSV_2030.encode()), filename="2030.csv", actor=admin_user)
    assert year.source == "imported"
    r = add_workdays(D(2030, 2, 1), 1)
    assert r == type(r)(D(2030, 2, 9), False)
    assert is_workday(D(2030, 1, 26)) and not is_workday(D(2030, 1, 27))
    view = selectors.calendar_year_get(year=2030)
    assert not view.provisional and len(view.days) == 365


def test_import_xlsx_with_is_workday_column(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["date", "是否工作日", "name"])
    ws.append([dt.datetime(2031, 1, 1), "否", "元旦"])
    ws.append(["2031-01-04", "是", "元旦"])
    path = tmp_path / "2031.xlsx"
    wb.save(path)
    services.calendar_import(file=path)
    assert CalendarDay.objects.get(date=D(2031, 1, 4)).kind == "adjusted_workday"
    assert CalendarDay.objects.get(date=D(2031, 1, 1)).kind == "holiday"


def test_import_with_bad_row_writes_nothing_and_names_the_row():
    bad = CSV_2030 + "2030-13-01,法定节假日,坏\n2030-03-01,放假吧,坏\n2030-01-01,工作日,重复\n"
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_import(file=io.BytesIO(bad.encode()), filename="x.csv")
    rows = [d["row"] for d in exc.value.details]
    assert rows == [12, 13, 14]
    assert "第 12 行" in exc.value.message and "日期无效" in exc.value.message
    assert not CalendarYear.objects.filter(year=2030).exists()
    assert not CalendarDay.objects.filter(date__year=2030).exists()


@pytest.mark.parametrize("text,needle", [
    ("", "为空"),
    ("名称\n元旦\n", "表头"),
    ("日期,类型\n2030-01-01,法定节假日\n2031-01-01,法定节假日\n", "一个年度"),
    ("日期,类型,是否工作日\n2030-01-01,法定节假日,是\n", "矛盾"),
])
def test_import_errors(text, needle):
    with pytest.raises(ValidationFailed) as exc:
        services.calendar_import(file=io.BytesIO(text.encode()), filename="x.csv")
    assert needle in exc.value.message


def test_import_accepts_gbk_csv():
    services.calendar_import(file=io.BytesIO("日期,类型,名称\n2032-01-01,法定节假日,元旦\n".encode("gbk")),
                             filename="g.csv")
    assert CalendarDay.objects.get(date=D(2032, 1, 1)).name == "元旦"
