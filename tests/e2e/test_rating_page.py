"""Browser: the 好差评 page on a phone (390 × 844): the slip's code is asked for, a wrong one is refused with what
was chosen kept, the right one rates once; nothing sideways, touch-sized controls."""

import pytest

from tests.hall.hall_world import build_hall
from yichuang.feedback.models import Rating
from yichuang.hall import services as hall

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]


def test_rating_a_window_service_on_a_phone_with_the_slip_code(live_server, phone):
    w = build_hall()
    hall.clerk_sign_in(window=w["window"], clerk=w["clerk"])
    w["window"].refresh_from_db()
    ticket = hall.ticket_issue(centre=w["centre"], domain=w["social"])
    code = ticket.rating_code
    hall.ticket_call_next(window=w["window"], clerk=w["clerk"])
    hall.ticket_finish(window=w["window"], clerk=w["clerk"], ticket=ticket)
    p = phone
    p.goto(f"{live_server.url}/supervision/rate/ticket/{ticket.pk}/")
    assert p.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    code_box = p.get_by_test_id("rate-code")
    assert code_box.is_visible() and code_box.get_attribute("inputmode") == "numeric"
    assert code_box.bounding_box()["height"] >= 40
    p.get_by_test_id("level-2").check()
    p.get_by_test_id("rate-comment").fill("等候较久")
    code_box.fill("00000000" if code != "00000000" else "11111111")
    p.get_by_test_id("do-rate").click()
    assert "评价码不正确" in p.locator(".error-box").inner_text()
    assert p.get_by_test_id("level-2").is_checked() and p.get_by_test_id("rate-comment").input_value() == "等候较久"
    assert not Rating.objects.exists()
    p.get_by_test_id("rate-code").fill(code)
    screenshot(p, "rating_page_390x844")
    p.get_by_test_id("do-rate").click()
    assert "感谢您的评价" in p.get_by_test_id("rated").inner_text()
    assert Rating.objects.get().level == 2
