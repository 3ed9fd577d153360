"""Browser: the display board says 暂无等候 when nobody waits, and announces a recall (重呼) again — in text and in
the browser's voice — as it announced the first call."""

import pytest

from tests.hall.hall_world import build_hall
from yichuang.hall import services as hall

from .conftest import screenshot, wait_js

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

# Records what the board asks the browser to say (headless Chromium has no voices to speak with).
SPY = """
window.__spoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = function (u) { window.__spoken.push(u.text); };
}
"""


def _overflow(p) -> bool:
    return p.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_board_empty_state_then_a_recall_is_announced_twice(live_server, browser):
    w = build_hall()
    hall.clerk_sign_in(window=w["window"], clerk=w["clerk"])
    w["window"].refresh_from_db()
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    ctx.add_init_script(SPY)
    board = ctx.new_page()
    board.set_default_timeout(10_000)
    board.goto(f"{live_server.url}/hall/board/500107/")

    # empty: a welcome, no calls today, every queue 暂无等候, nothing said
    assert board.get_by_test_id("board-now").inner_text() == "欢迎光临"
    assert "今日暂无呼叫" in board.get_by_test_id("board-calls").inner_text()
    queues = board.get_by_test_id("board-queues").inner_text()
    assert queues.count("暂无等候") == 2 and "None" not in queues and "null" not in queues
    assert not _overflow(board)
    screenshot(board, "board_empty")

    t = hall.ticket_issue(centre=w["centre"], domain=w["social"])
    wait_js(board, "document.querySelector('[data-testid=board-queues]').innerText.includes('1')")
    hall.ticket_call_next(window=w["window"], clerk=w["clerk"])
    wait_js(board, "window.__spoken.length === 1")
    assert board.get_by_test_id("board-now").inner_text() == "请 A001 号到 1 号窗口办理"

    hall.ticket_recall(window=w["window"], clerk=w["clerk"], ticket=t)
    wait_js(board, "window.__spoken.length === 2")
    spoken = board.evaluate("window.__spoken")
    assert spoken == ["请A001号到1号窗口办理", "请A001号到1号窗口办理"]
    assert [a["kind"] for a in board.evaluate("window.boardAnnouncements")] == ["called", "recalled"]
    assert "重呼" in board.get_by_test_id("board-now-kind").inner_text()
    assert board.get_by_test_id("board-calls").inner_text().count("A001") == 1
    text = board.locator("body").inner_text()
    assert "None" not in text and "null" not in text and "undefined" not in text
    screenshot(board, "board_recall")

    # 过号, back in the queue, called again: a third announcement of the same words
    hall.ticket_no_show(window=w["window"], clerk=w["clerk"], ticket=t)
    hall.ticket_call_next(window=w["window"], clerk=w["clerk"])
    wait_js(board, "window.__spoken.length === 3")
    assert board.evaluate("window.boardAnnouncements.map(a => a.kind)") == ["called", "recalled", "called"]
    ctx.close()
