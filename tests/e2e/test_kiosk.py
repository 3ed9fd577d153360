"""Browser: the kiosk at a landscape 1920 × 1080 and a portrait 1080 × 1920 screen — no site menu, no sideways
scrolling, big touch targets; a number taken with one touch; the slip prints without the site menu."""

import pytest

from tests.hall.hall_world import build_hall
from yichuang.hall import services as hall

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1080, 1920)])
def test_the_kiosk_as_a_kiosk(live_server, browser, width, height):
    w = build_hall()
    hall.clerk_sign_in(window=w["window"], clerk=w["clerk"])
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", has_touch=True)
    p = ctx.new_page()
    p.set_default_timeout(10_000)
    p.goto(f"{live_server.url}/hall/kiosk/500107/")
    assert p.locator(".topbar, .mainnav, form.langswitch").count() == 0
    assert p.locator("a[href*='/api/'], a[href*='/accounts/'], a[href*='/admin/']").count() == 0
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = p.get_by_test_id("domain-social").bounding_box()
    assert box["height"] >= 120 and box["width"] >= 240, box
    for el in p.locator("a, button, input:not([type=hidden]), summary").all():
        if el.is_visible():
            assert el.bounding_box()["height"] >= 44, el.evaluate("e => e.outerHTML")
    screenshot(p, f"kiosk_{width}x{height}")

    p.get_by_test_id("kiosk-lang").click()
    assert "Take a number" in p.locator("h1").inner_text()
    p.get_by_test_id("kiosk-lang").click()
    assert p.locator("h1").inner_text() == "自助取号"

    p.get_by_test_id("domain-social").click()
    assert p.get_by_test_id("ticket-number").inner_text() == "A001"
    assert p.locator(".topbar, .mainnav").count() == 0
    qr_url = p.get_by_test_id("slip-qr").get_attribute("data-url")
    assert qr_url.startswith(live_server.url + "/hall/tickets/")
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(p, f"kiosk_slip_{width}x{height}")
    p.emulate_media(media="print")
    assert not p.locator(".kiosk-bar").is_visible() and not p.get_by_test_id("slip-print").is_visible()
    assert p.get_by_test_id("ticket-number").is_visible() and p.get_by_test_id("slip-qr").is_visible()
    p.emulate_media(media="screen")
    p.get_by_test_id("slip-back").click()
    assert "等候 1 人" in p.get_by_test_id("domain-social").inner_text()
    ctx.close()
