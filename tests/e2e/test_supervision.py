"""Browser: a bad rating opens a rectification the supervisor sees; the dashboard draws its charts from the demo."""

import pytest

from tests.cases.conftest import accepted_case, build_world
from yichuang.cases import services as cs

from .conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]




def test_bad_rating_opens_a_rectification_the_supervisor_sees(live_server, page, browser):
    w = build_world()
    case = cs.case_approve(case=accepted_case(w), actor=w.approver, opinion="符合条件")
    page.goto(f"{live_server.url}/cases/progress/?number={case.number}&code={case.applicant_id_number[-4:]}")
    page.get_by_test_id("rate-link").click()
    page.get_by_test_id("level-1").check()
    page.get_by_test_id("rate-comment").fill("窗口让我多跑了一次")
    page.get_by_test_id("do-rate").click()
    assert "感谢您的评价" in page.get_by_test_id("rated").inner_text()

    sup = login(browser, live_server.url, "super", "secret-pass-1")
    sup.goto(f"{live_server.url}/supervision/")
    table = sup.get_by_test_id("rectifications")
    assert case.number in table.inner_text() and "非常不满意" in table.inner_text()
    table.get_by_role("link").first.click()
    assert sup.get_by_test_id("rect-state").inner_text() == "待回访"
    sup.get_by_test_id("callback-note").fill("已电话回访并致歉")
    sup.get_by_test_id("do-callback").click()
    assert sup.get_by_test_id("rect-state").inner_text() == "已回访，整改中"
    screenshot(sup, "supervision_rectification")


def test_dashboard_draws_its_charts_from_the_demo_data(live_server, browser):
    from yichuang.demo.loader import demo_load

    demo_load()
    sup = login(browser, live_server.url, "supervisor", "yichuang-demo")
    sup.goto(f"{live_server.url}/supervision/kpi/")
    sup.wait_for_selector("body[data-charts=ready]")
    for chart in ("chart-hour", "chart-domain", "chart-windows", "chart-depts"):
        assert sup.locator(f"#{chart} svg path").count() > 0, chart
    assert sup.get_by_test_id("kpi-wait").inner_text() not in ("", "—")
    assert sup.get_by_test_id("dept-ranking").locator("tr").count() > 1
    screenshot(sup, "supervision_kpi")
