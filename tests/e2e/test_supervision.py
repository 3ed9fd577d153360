"""Browser: a bad rating opens a rectification the supervisor sees; the dashboard draws its charts from the demo."""

import pytest
from django.utils import timezone

from tests.cases.conftest import accepted_case, build_world
from yichuang.cases import services as cs
from yichuang.feedback import services as fb
from yichuang.supervision.kpi import kpi_rollup

from .conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]




def test_bad_rating_opens_a_rectification_the_supervisor_sees(live_server, page, browser):
    """The applicant rates with the one-time code the invitation sent (issue 21, finding 10); the supervisor sees the
    rectification and only watches it; the department's approver makes the callback (finding 8)."""
    w = build_world()
    case = cs.case_approve(case=accepted_case(w), actor=w.approver, opinion="符合条件")
    code = fb.rating_code_issue(case=case)
    page.goto(f"{live_server.url}/cases/progress/?number={case.number}&code={case.applicant_id_number[-4:]}")
    page.get_by_test_id("rate-link").click()
    page.get_by_test_id("level-1").check()
    page.get_by_test_id("rate-code").fill(code)
    page.get_by_test_id("rate-comment").fill("窗口让我多跑了一次")
    page.get_by_test_id("do-rate").click()
    assert "感谢您的评价" in page.get_by_test_id("rated").inner_text()

    sup = login(browser, live_server.url, "super", "secret-pass-1")
    sup.goto(f"{live_server.url}/supervision/")
    table = sup.get_by_test_id("rectifications")
    assert case.number in table.inner_text() and "非常不满意" in table.inner_text()
    table.get_by_role("link").first.click()
    assert sup.get_by_test_id("rect-state").inner_text() == "待回访"
    assert sup.get_by_test_id("do-callback").count() == 0  # supervisors read and never write
    rect_url = sup.url

    dept = login(browser, live_server.url, w.approver.username, "secret-pass-1")
    dept.goto(rect_url)
    dept.get_by_test_id("callback-note").fill("已电话回访并致歉")
    dept.get_by_test_id("do-callback").click()
    assert dept.get_by_test_id("rect-state").inner_text() == "已回访，整改中"
    screenshot(dept, "supervision_rectification")


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


def test_a_department_named_like_a_script_shows_as_text_on_the_kpi_page(live_server, browser):
    """Issue 21 finding 16: the KPI page's data is embedded with json_script and only our own scripts run (CSP
    script-src), so a department named ``</script><script>alert(1)</script>`` is text, and the charts still draw."""
    w = build_world()
    evil = "</script><script>alert(1)</script>"
    type(w.dept).objects.filter(pk=w.dept.pk).update(name=evil)
    accepted_case(w)
    kpi_rollup(day=timezone.localdate())
    sup = login(browser, live_server.url, "super", "secret-pass-1")
    dialogs: list[str] = []
    sup.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    violations: list[str] = []
    sup.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    resp = sup.goto(f"{live_server.url}/supervision/kpi/")
    assert "script-src 'self' 'nonce-" in resp.headers["content-security-policy"]
    assert resp.headers["cache-control"] == "no-store"
    sup.wait_for_selector("body[data-charts=ready]")
    assert evil in sup.get_by_test_id("dept-ranking").inner_text()
    assert sup.locator("#chart-depts svg path").count() > 0
    assert dialogs == [] and violations == []
