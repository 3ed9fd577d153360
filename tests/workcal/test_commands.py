import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yichuang.workcal.models import CalendarYear

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_between():
    assert run("workdays", "between", "2026-09-24", "2026-10-09").strip() == "5"
    assert run("workdays", "between", "2026-12-01", "2027-01-10").strip().endswith(" provisional")


@pytest.mark.parametrize("args", [("add", "2026-02-30", "5"), ("add", "tomorrow", "1"), ("add", "2026-01-01", "x"),
                                  ("between", "2026-01-01", "2026/13/01"), ("add", "2099-12-01", "400")])
def test_bad_input_is_a_clear_chinese_error(args):
    with pytest.raises(CommandError) as exc:
        run("workdays", *args)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value))


def test_calendar_import_show_export(tmp_path):
    src = tmp_path / "2033.csv"
    src.write_text("日期,类型,名称\n2033-01-01,法定节假日,元旦\n2033-01-08,调休上班,元旦\n", encoding="utf-8")
    assert "2033" in run("calendar", "import", str(src))
    assert CalendarYear.objects.get(year=2033).source == "imported"
    shown = run("calendar", "show", "2033")
    assert "2033-01-08  调休上班  元旦" in shown
    out = tmp_path / "out.csv"
    run("calendar", "export", "2033", str(out))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "日期,类型,是否工作日,名称" and len(lines) == 366
    assert "provisional" in run("calendar", "show", "2035").splitlines()[0]


def test_calendar_import_bad_rows_reported(tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("日期,类型\n2033-01-01,法定节假日\n2033-02-31,工作日\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("calendar", "import", str(src))
    assert "第 3 行" in str(exc.value)
    with pytest.raises(CommandError):
        run("calendar", "import", str(tmp_path / "missing.csv"))


def test_calendar_seed_is_idempotent():
    assert "2026" in run("calendar", "seed")
    assert CalendarYear.objects.filter(year__lte=2026, source="official").count() == 23
    assert dt.date(2026, 1, 1)
