import pytest

from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_supervisor_runs_a_scenario_and_sees_the_chart(live_server, page):
    acc.user_create(username="simsuper", password="secret-pass-1", role=Role.SUPERVISOR)
    page.goto(f"{live_server.url}/accounts/login/?next=/sim/")
    page.fill("input[name=username]", "simsuper")
    page.fill("input[name=password]", "secret-pass-1")
    page.click("button[type=submit]")
    page.select_option("select[name=example]", "binzhou_2f")
    page.wait_for_load_state()
    page.select_option("select[name=mode]", "compare")
    page.get_by_test_id("sim-run").click()
    chart = page.get_by_test_id("sim-chart")
    chart.locator("canvas").first.wait_for()
    assert chart.get_attribute("data-rendered") == "1"
    table = page.get_by_test_id("sim-compare").inner_text()
    assert "部门专窗" in table and "本系统派号" in table
    screenshot(page, "simulator")


def test_admin_plans_the_village_station_and_simulates_a_day(live_server, page):
    acc.user_create(username="simadmin", password="secret-pass-1", role=Role.ADMIN)
    page.goto(f"{live_server.url}/accounts/login/?next=/sim/%3Fexample%3Dvillage_station")
    page.fill("input[name=username]", "simadmin")
    page.fill("input[name=password]", "secret-pass-1")
    page.click("button[type=submit]")
    page.select_option("select[name=mode]", "plan")
    page.get_by_test_id("sim-target").fill("15m")
    page.get_by_test_id("sim-run").click()
    assert "建议" in page.get_by_test_id("sim-plan-answer").inner_text()
    page.get_by_test_id("sim-chart").locator("canvas").first.wait_for()
    page.select_option("select[name=mode]", "simulate")
    page.get_by_test_id("sim-run").click()
    page.locator("#chart-queue canvas").wait_for()
    page.locator("#chart-util canvas").wait_for()
    screenshot(page, "simulator-day")
