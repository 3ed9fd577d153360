import pytest

from tests.catalog.conftest import catalogue  # noqa: F401  (fixture)

from .conftest import screenshot, wait_js

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db", "catalogue")]


def test_search_open_answer_and_the_checklist_changes(live_server, page):
    page.goto(f"{live_server.url}/matters/")
    page.get_by_test_id("search-input").fill("开饭店")
    page.get_by_test_id("search-button").click()
    page.get_by_role("link", name="食品经营许可", exact=True).click()
    page.get_by_test_id("matter-name").wait_for()
    assert page.get_by_test_id("matter-name").inner_text() == "食品经营许可"

    checklist = page.get_by_test_id("checklist")
    assert "授权委托书" in checklist.inner_text()  # unanswered: the widest list
    page.get_by_label("本人办理").check()
    wait_js(page, "!document.getElementById('checklist').innerText.includes('授权委托书')")
    assert "食品经营许可证正副本" in page.get_by_test_id("checklist").inner_text()
    page.get_by_label("首次申请").check()
    wait_js(page, "!document.getElementById('checklist').innerText.includes('食品经营许可证正副本')")
    assert page.get_by_test_id("checklist-count").inner_text() == "共 2 项材料"
    page.get_by_label("委托代办").check()
    wait_js(page, "document.getElementById('checklist').innerText.includes('授权委托书')")
    screenshot(page, "matter_guide")

    with page.context.expect_page() as printed:
        page.get_by_test_id("print-link").click()
    doc = printed.value
    doc.wait_for_load_state()
    text = doc.inner_text("body")
    assert "一次性告知书" in text and "委托代办" in text and "授权委托书" in text
    assert "食品经营许可证正副本" not in text


def test_guide_page_fits_a_phone(live_server, phone):
    phone.goto(f"{live_server.url}/matters/SCJ-001/")
    phone.get_by_test_id("matter-name").wait_for()
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    phone.goto(f"{live_server.url}/matters/?q=sfz")
    assert "居民身份证换领" in phone.get_by_test_id("results").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    screenshot(phone, "search_phone")
