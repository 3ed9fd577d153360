import datetime as dt

import pytest
from django.utils import timezone

from tests.hall.hall_world import build_hall
from yichuang.core.validators import id_number_check_char
from yichuang.hall import services as hall

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_book_an_appointment_then_cancel_it(live_server, page):
    w = build_hall()
    hall.slot_create(centre=w["centre"], domain=w["social"], date=timezone.localdate() + dt.timedelta(days=1),
                     start=dt.time(9), end=dt.time(9, 30), capacity=2)
    first17 = "50010719800101001"
    idn = first17 + id_number_check_char(first17)
    page.goto(f"{live_server.url}/hall/appointments/500107/?domain={w['social'].pk}"
              f"&date={timezone.localdate() + dt.timedelta(days=1):%Y-%m-%d}")  # the page's steps: tests/e2e/test_appointments.py
    assert "2 / 2" in page.get_by_test_id("slots").inner_text()
    page.locator("label.appt-slot").first.click()
    page.get_by_test_id("appt-name").fill("张三")
    page.get_by_test_id("appt-id").fill(idn)
    page.get_by_test_id("appt-submit").click()
    done = page.get_by_test_id("appt-done").inner_text()
    assert "预约码" in done and "1 / 2" in page.get_by_test_id("slots").inner_text()
    screenshot(page, "appointments")
    code = page.get_by_test_id("appt-code").inner_text()
    page.locator("details.appt-manage summary").click()
    page.get_by_test_id("appt-manage-code").fill(code)
    page.get_by_test_id("appt-manage-id").fill(idn)
    page.get_by_test_id("appt-cancel").click()
    assert "已取消" in page.get_by_test_id("appt-done").inner_text()
    page.goto(page.url)
    assert "2 / 2" in page.get_by_test_id("slots").inner_text()


def test_approver_sees_the_inbox_with_lights(live_server, page):
    from tests.cases.conftest import accepted_case, build_world

    world = build_world()
    case = accepted_case(world)
    page.goto(f"{live_server.url}/accounts/login/?next=/cases/inbox/")
    page.fill("input[name=username]", world.approver.username)
    page.fill("input[name=password]", "secret-pass-1")
    page.click("button[type=submit]")
    table = page.get_by_test_id("inbox")
    assert case.number in table.inner_text()
    assert page.locator(".light-green").count() == 1
    page.select_option("select[name=light]", "red")
    page.get_by_role("button", name="筛选").click()
    assert case.number not in page.get_by_test_id("inbox").inner_text()
    screenshot(page, "inbox")
