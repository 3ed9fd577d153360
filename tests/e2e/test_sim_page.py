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
