"""Browser, on a 390 × 844 phone: book an appointment business → day → time → who; no sideways scrolling and a
short page; a full slot refused with the typed details kept; then cancel it."""

import datetime as dt

import pytest

from tests.hall.hall_world import build_hall
from yichuang.core.validators import id_number_check_char
from yichuang.hall import selectors
from yichuang.hall import services as hall

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def _fits(p) -> None:
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways scrolling"
    height = p.evaluate("document.documentElement.scrollHeight")
    assert height < 3000, f"page {height}px tall"


def test_book_an_appointment_on_a_phone(live_server, phone):
    w = build_hall()
    days = selectors.appointment_horizon()[1:6]
    for day in days:  # a week of slots, as a centre opens them: 10 half hours a day in two domains
        for domain in (w["social"], w["business"]):
            for h, m in [(h, m) for h in (9, 10, 11, 14, 15) for m in (0, 30)]:
                start = dt.time(h, m)
                end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=30)).time()
                hall.slot_create(centre=w["centre"], domain=domain, date=day, start=start, end=end, capacity=1)
    first17 = "50010719800101001"
    idn = first17 + id_number_check_char(first17)
    p = phone
    p.goto(f"{live_server.url}/hall/appointments/500107/")
    _fits(p)
    screenshot(p, "appointments_phone_1_domain")
    p.get_by_test_id("appt-domain-social").click()
    assert p.get_by_test_id("appt-domain").inner_text() == "社会事务"
    second = days[1]
    p.get_by_test_id(f"appt-day-{second:%Y-%m-%d}").click()
    assert "余 1 / 1" in p.get_by_test_id("slots").inner_text()
    _fits(p)
    screenshot(p, "appointments_phone_2_slots")
    p.locator("label.appt-slot", has_text="10:00–10:30").click()
    p.get_by_test_id("appt-name").fill("张三")
    p.get_by_test_id("appt-id").fill(idn)
    p.get_by_test_id("appt-phone").fill("13800138000")
    p.get_by_test_id("appt-submit").click()
    done = p.get_by_test_id("appt-done")
    assert "预约成功" in done.inner_text() and f"{second:%Y-%m-%d}" in done.inner_text()
    code = p.get_by_test_id("appt-code").inner_text()
    _fits(p)
    screenshot(p, "appointments_phone_3_done")

    # the same slot again (someone else took the last place): refused, everything typed kept
    p.get_by_test_id(f"appt-day-{second:%Y-%m-%d}").click()
    assert "已约满" in p.locator("label.appt-slot", has_text="10:00–10:30").inner_text()
    p.locator("label.appt-slot", has_text="10:30–11:00").click()
    p.get_by_test_id("appt-name").fill("李四")
    p.get_by_test_id("appt-id").fill("110105194912310021")
    p.get_by_test_id("appt-phone").fill("12345")
    p.get_by_test_id("appt-submit").click()
    assert "校验位错误" in p.get_by_test_id("appt-error").inner_text()
    assert p.get_by_test_id("appt-name").input_value() == "李四"
    assert p.get_by_test_id("appt-phone").input_value() == "12345"
    assert p.locator("label.appt-slot", has_text="10:30–11:00").locator("input").is_checked()
    _fits(p)
    screenshot(p, "appointments_phone_4_error")

    p.locator("details.appt-manage summary").click()
    p.get_by_test_id("appt-manage-code").fill(code)
    p.get_by_test_id("appt-manage-id").fill(idn)
    p.get_by_test_id("appt-cancel").click()
    assert "已取消" in p.get_by_test_id("appt-done").inner_text()
