"""预约取号: business → day (next working days, places left) → time (places left) → who. Every refusal says why
in Chinese and keeps what was typed and chosen."""

import datetime as dt

import pytest
from django.utils import timezone

from yichuang.core.errors import ValidationFailed
from yichuang.core.validators import id_number_check_char
from yichuang.hall import selectors, services
from yichuang.hall.models import Appointment
from yichuang.workcal.workdays import is_workday

from .hall_world import build_hall
from .pagecheck import empties

URL = "/hall/appointments/500107/"


def _id(seq: int = 1) -> str:
    first17 = f"50010719800101{seq:03d}"
    return first17 + id_number_check_char(first17)


@pytest.fixture
def world(db):
    w = build_hall()
    w["day"] = selectors.appointment_horizon()[1]  # the next working day
    w["slot"] = services.slot_create(centre=w["centre"], domain=w["social"], date=w["day"], start=dt.time(9),
                                     end=dt.time(9, 30), capacity=1)
    w["slot2"] = services.slot_create(centre=w["centre"], domain=w["social"], date=w["day"], start=dt.time(9, 30),
                                      end=dt.time(10), capacity=3)
    return w


def test_horizon_is_today_and_the_next_working_days(db):
    friday = dt.date(2026, 12, 4)
    assert is_workday(friday) and not is_workday(dt.date(2026, 12, 5))
    assert selectors.appointment_horizon(today=friday, days=5) == [
        friday, dt.date(2026, 12, 7), dt.date(2026, 12, 8), dt.date(2026, 12, 9), dt.date(2026, 12, 10),
        dt.date(2026, 12, 11)]
    saturday = dt.date(2026, 12, 5)
    assert selectors.appointment_horizon(today=saturday, days=2) == [dt.date(2026, 12, 7), dt.date(2026, 12, 8)]


def test_days_and_slots_count_the_places_left(world):
    services.appointment_book(slot=world["slot2"], name="张三", id_number=_id(1))
    days = {d["date"]: d for d in selectors.appointment_days(centre_id=world["centre"].pk,
                                                             domain_id=world["social"].pk)}
    assert days[world["day"]]["remaining"] == 1 + 2 and days[world["day"]]["slots"] == 2
    assert all(d["remaining"] == 0 for day, d in days.items() if day != world["day"])
    slots = selectors.appointment_slots(centre_id=world["centre"].pk, domain_id=world["social"].pk,
                                        start=world["day"])
    assert [(s.start, s.remaining, s.past) for s in slots] == [(dt.time(9), 1, False), (dt.time(9, 30), 2, False)]


def test_the_page_goes_business_then_day_then_time(client, world):
    html = client.get(URL).content.decode()
    assert 'data-testid="appt-domain-social"' in html and 'data-testid="slots"' not in html
    html = client.get(URL, {"domain": world["social"].pk}).content.decode()
    # the first day with a place left is chosen for the applicant; its times show the places left
    assert f'data-testid="appt-day-{world["day"]:%Y-%m-%d}"' in html and 'aria-current="true"' in html
    assert "09:00–09:30" in html and "余 1 / 1" in html and "余 3 / 3" in html
    assert empties(html) == []
    assert html.count('type="radio"') == 2  # one day's slots, not every slot of every day


def test_book_then_full_then_cancel(client, world):
    data = {"action": "book", "domain": world["social"].pk, "date": f"{world['day']:%Y-%m-%d}",
            "slot": world["slot"].pk, "name": "张三", "id_number": _id(1), "phone": "138 0013 8000"}
    r = client.post(URL, data)
    html = r.content.decode()
    assert r.status_code == 200 and "预约成功" in html and 'data-testid="appt-code"' in html
    appt = Appointment.objects.get()
    assert appt.phone == "13800138000" and appt.code in html
    # the slot is now full: a clear message, everything typed kept, the day and the slot still chosen
    r = client.post(URL, {**data, "name": "李四", "id_number": _id(2)})
    html = r.content.decode()
    assert r.status_code == 400 and "该时段已约满" in html
    assert 'value="李四"' in html and f'value="{_id(2)}"' in html and 'value="138 0013 8000"' in html
    assert "已约满" in html
    r = client.post(URL, {"action": "cancel", "code": appt.code, "id_number": "wrong"})
    assert r.status_code == 400 and "预约码或身份证号不正确" in r.content.decode()
    r = client.post(URL, {"action": "cancel", "code": appt.code, "id_number": _id(1)})
    assert r.status_code == 200 and "已取消" in r.content.decode()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("id_number", "110105194912310021", "校验位错误"),
    ("id_number", "12345", "身份证号码应为18位"),
    ("phone", "12345", "电话号码“12345”格式不正确"),
    ("phone", "1380013800a", "电话号码只能包含数字"),
    ("name", "", "请填写姓名"),
])
def test_bad_input_says_why_and_keeps_what_was_typed(client, world, field, value, message):
    data = {"action": "book", "domain": world["social"].pk, "date": f"{world['day']:%Y-%m-%d}",
            "slot": world["slot2"].pk, "name": "王五", "id_number": _id(3), "phone": "13800138000", field: value}
    r = client.post(URL, data)
    html = r.content.decode()
    assert r.status_code == 400 and message in html
    for k in ("name", "id_number", "phone"):
        if data[k]:
            assert f'value="{data[k]}"' in html, k
    assert f'value="{world["slot2"].pk}" checked' in html.replace("  ", " ")
    assert Appointment.objects.count() == 0


def test_a_past_day_or_slot_is_refused_with_a_message(client, world):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    r = client.get(URL, {"domain": world["social"].pk, "date": f"{yesterday:%Y-%m-%d}"})
    assert r.status_code == 400 and "已过，不能预约" in r.content.decode()
    old = services.slot_create(centre=world["centre"], domain=world["social"], date=yesterday, start=dt.time(9),
                               end=dt.time(9, 30), capacity=2)
    r = client.post(URL, {"action": "book", "domain": world["social"].pk, "date": f"{yesterday:%Y-%m-%d}",
                          "slot": old.pk, "name": "赵六", "id_number": _id(4)})
    assert r.status_code == 400 and "该时段已过" in r.content.decode() and 'value="赵六"' in r.content.decode()
    r = client.post(URL, {"action": "book", "domain": world["social"].pk, "name": "赵六", "id_number": _id(4)})
    assert r.status_code == 400 and "请选择预约日期和时段" in r.content.decode()


def test_the_api_and_the_page_share_the_phone_rule(world):
    with pytest.raises(ValidationFailed, match="格式不正确"):
        services.appointment_book(slot=world["slot2"], name="周七", id_number=_id(5), phone="555-1234")
    for ok, norm in [("+86 138-0013-8000", "13800138000"), ("023-6886 1234", "02368861234"), ("", "")]:
        assert services.validate_phone(ok) == norm
