import pytest

from tests.hall.hall_world import build_hall

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_kiosk_ticket_called_in_console_appears_on_the_board(live_server, browser):
    build_hall()
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    board, kiosk, console = ctx.new_page(), ctx.new_page(), browser.new_context(
        viewport={"width": 1920, "height": 1080}).new_page()
    for p in (board, kiosk, console):
        p.set_default_timeout(10_000)

    console.goto(f"{live_server.url}/accounts/login/?next=/hall/console/")
    console.fill("input[name=username]", "clerk")
    console.fill("input[name=password]", "pw-123456789")
    console.click("button[type=submit]")
    console.get_by_test_id("sign-in").click()
    console.get_by_test_id("call-next").wait_for()

    board.goto(f"{live_server.url}/hall/board/500107/")
    assert "欢迎光临" in board.get_by_test_id("board-now").inner_text()

    kiosk.goto(f"{live_server.url}/hall/kiosk/500107/")
    kiosk.get_by_test_id("domain-social").click()
    assert kiosk.get_by_test_id("ticket-number").inner_text() == "A001"
    screenshot(kiosk, "hall_ticket")

    console.reload()
    console.get_by_test_id("call-next").click()
    assert console.get_by_test_id("current-number").inner_text() == "A001"
    screenshot(console, "hall_console")

    board.wait_for_function(
        "document.querySelector('[data-testid=board-now]').innerText.includes('请 A001 号到 1 号窗口办理')",
        timeout=5_000)
    assert "A001" in board.get_by_test_id("board-calls").inner_text()
    screenshot(board, "hall_board")
    console.context.close()
    ctx.close()
