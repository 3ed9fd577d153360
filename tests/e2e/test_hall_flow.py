import re

import pytest

from tests.hall.hall_world import build_hall
from yichuang.hall import services as hall

from .conftest import login, screenshot, wait_js

EMPTY = re.compile(r"(?<![A-Za-z0-9_])(None|null|undefined|NaN)(?![A-Za-z0-9_])")

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

    wait_js(board,
        "document.querySelector('[data-testid=board-now]').innerText.includes('请 A001 号到 1 号窗口办理')",
        timeout=5_000)
    assert "A001" in board.get_by_test_id("board-calls").inner_text()
    screenshot(board, "hall_board")

    # 重呼 from the console: the board shows it again, marked
    console.get_by_test_id("recall").click()
    wait_js(board, "document.querySelector('[data-testid=board-now-kind]').innerText.includes('重呼')",
                            timeout=5_000)
    assert "1" in console.get_by_test_id("current").inner_text()
    for p in (board, kiosk, console):
        text = p.locator("body").inner_text()
        assert not EMPTY.search(text), (p.url, EMPTY.findall(text))
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), p.url
    console.get_by_test_id("finish").click()
    assert console.get_by_test_id("current-number").count() == 0 and console.get_by_test_id("call-next").is_enabled()
    console.context.close()
    ctx.close()


def test_stats_page_after_a_served_ticket(live_server, browser):
    w = build_hall()
    hall.clerk_sign_in(window=w["window"], clerk=w["clerk"])
    w["window"].refresh_from_db()
    t = hall.ticket_issue(centre=w["centre"], domain=w["social"])
    hall.ticket_call_next(window=w["window"], clerk=w["clerk"])
    hall.ticket_finish(window=w["window"], clerk=w["clerk"], ticket=t)
    p = login(browser, live_server.url, "sup", "pw-123456789")
    p.set_viewport_size({"width": 1920, "height": 1080})
    for by, expect in (("domain", "社会事务"), ("window", "1 号窗口"), ("clerk", "李晓燕")):
        r = p.goto(f"{live_server.url}/hall/stats/?by={by}")
        assert r.status == 200
        text = p.get_by_test_id("stats").inner_text()
        assert expect in text and not EMPTY.search(text), (by, text)
        assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(p, "hall_stats")
    p.context.close()
