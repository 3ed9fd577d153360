"""The whole loop in a browser: ticket → call → receive with a missing item → supplement notice → supplement →
forward → accept → suspend and resume (the deadline moves) → approve → issue → the progress page says 已办结."""

import datetime as dt

import pytest

from tests.cases.conftest import make_id
from tests.hall.hall_world import build_hall
from yichuang.accounts.services import department_create, user_create
from yichuang.cases.models import Case, Suspension
from yichuang.catalog import services as cat

from .conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]
PW = "pw-123456789"


def _world():
    hall = build_hall()
    dept = department_create(code="SCJG", name="区市场监管局", centre=hall["centre"])
    user_create(username="approver", password=PW, role="approver", display_name="王审批", centre=hall["centre"],
                department=dept)
    user_create(username="issuer", password=PW, role="issuer", display_name="赵出件", centre=hall["centre"])
    cat.matter_save(spec={"implementation_code": "M-FOOD", "name": "食品经营许可", "department": "SCJG",
                          "domain": "enterprise", "matter_type": "licensing", "legal_limit_days": 20,
                          "promised_limit_days": 10,
                          "form_fields": [{"code": "shop_name", "label": "店铺名称", "required": True}]},
                    situations=[{"code": "kind", "question": "申请类型", "options": [
                        {"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"}]}],
                    materials=[{"code": "app", "name": "食品经营许可申请书", "necessity": "required"},
                               {"code": "lease", "name": "经营场所使用证明", "necessity": "tolerant"}])
    return hall




def test_ticket_to_issued_through_the_pages(live_server, browser):
    _world()
    url = live_server.url
    clerk = login(browser, url, "clerk", PW, timeout=10_000)
    clerk.goto(f"{url}/hall/console/")
    clerk.get_by_test_id("sign-in").click()
    kiosk = browser.new_context(locale="zh-CN").new_page()
    kiosk.goto(f"{url}/hall/kiosk/500107/")
    kiosk.get_by_test_id("domain-enterprise").click()
    number = kiosk.get_by_test_id("ticket-number").inner_text()
    assert number == "B001"
    clerk.get_by_test_id("call-next").click()
    assert clerk.get_by_test_id("current-number").inner_text() == "B001"
    clerk.get_by_test_id("receive-link").click()
    clerk.get_by_test_id("matter-q").fill("食品")
    clerk.get_by_test_id("matter-q").press("Enter")
    clerk.get_by_test_id("pick-M-FOOD").click()
    clerk.get_by_label("首次申请").check()
    clerk.get_by_test_id("situations-apply").click()
    clerk.get_by_test_id("applicant-name").fill("陈小明")
    clerk.get_by_test_id("id-number").fill(make_id(42))
    clerk.get_by_test_id("field-shop_name").fill("小明便利店")
    clerk.get_by_test_id("m-lease").select_option("missing")
    screenshot(clerk, "case_receive")
    clerk.get_by_test_id("submit-case").click()
    assert clerk.get_by_test_id("state").inner_text() == "已收件"
    case = Case.objects.get()
    assert case.ticket_numbers == ["B001"]

    clerk.get_by_test_id("do-supplement-request").click()
    assert clerk.get_by_test_id("state").inner_text() == "待补齐补正"
    with clerk.expect_popup() as pop:
        clerk.get_by_test_id("notices").get_by_role("link").first.click()
    notice = pop.value
    assert "补齐补正通知书" in notice.get_by_test_id("notice-title").inner_text()
    assert "经营场所使用证明" in notice.get_by_test_id("notice").inner_text()
    screenshot(notice, "case_supplement_notice")
    notice.close()
    clerk.get_by_test_id("provided-lease").check()
    clerk.get_by_test_id("do-materials").click()
    assert clerk.get_by_test_id("state").inner_text() == "已收件"
    clerk.get_by_test_id("do-forward").click()
    assert clerk.get_by_test_id("state").inner_text() == "已流转后台"

    approver = login(browser, url, "approver", PW, timeout=10_000)
    approver.goto(f"{url}/cases/inbox/")
    approver.get_by_role("link", name=case.number).click()
    approver.get_by_test_id("do-accept").click()
    assert approver.get_by_test_id("state").inner_text() == "已受理"
    due_before = approver.get_by_test_id("due-date").inner_text()
    approver.get_by_test_id("suspend-reason").select_option("site_inspection")
    approver.get_by_test_id("do-suspend").click()
    assert approver.get_by_test_id("state").inner_text() == "已中止计时"
    # a week of site inspection passes
    Suspension.objects.filter(case=case).update(start_date=dt.date.today() - dt.timedelta(days=7))
    approver.get_by_test_id("do-resume").click()
    assert approver.get_by_test_id("state").inner_text() == "已受理"
    due_after = approver.get_by_test_id("due-date").inner_text()
    assert due_after > due_before, (due_before, due_after)
    approver.get_by_test_id("opinion").fill("经现场核查，符合条件")
    approver.get_by_test_id("do-approve").click()
    assert approver.get_by_test_id("state").inner_text() == "准予许可"
    approver.get_by_test_id("do-ready").click()
    assert approver.get_by_test_id("state").inner_text() == "待出件"
    screenshot(approver, "case_detail_approver")

    issuer = login(browser, url, "issuer", PW, timeout=10_000)
    issuer.goto(f"{url}/cases/{case.number}/")
    issuer.get_by_test_id("do-issue").click()
    assert issuer.get_by_test_id("state").inner_text() == "已出件"

    kiosk.goto(f"{url}/cases/progress/")
    kiosk.get_by_test_id("progress-number").fill(case.number)
    kiosk.get_by_test_id("progress-code").fill(case.applicant_id_number[-4:])
    kiosk.get_by_test_id("progress-go").click()
    assert "已办结" in kiosk.get_by_test_id("progress-state").inner_text()
    assert "王审批" not in kiosk.content()
    screenshot(kiosk, "case_progress_done")
    case.refresh_from_db()
    assert case.visits == 3 and case.notices.count() == 4  # 补正, 受理, 中止告知书, 决定书


def test_receive_and_forward_in_one_step(live_server, browser):
    """收件并流转: refused with the missing item named and nothing lost; with everything in, the case goes
    straight to the back office, whose inbox shows it."""
    _world()
    url = live_server.url
    clerk = login(browser, url, "clerk", PW, timeout=10_000)
    clerk.goto(f"{url}/cases/receive/?matter=M-FOOD&sit_kind=first")
    clerk.get_by_test_id("applicant-name").fill("刘一步")
    clerk.get_by_test_id("id-number").fill(make_id(43))
    clerk.get_by_test_id("field-shop_name").fill("一步小吃")
    clerk.get_by_test_id("m-lease").select_option("missing")
    clerk.get_by_test_id("submit-and-forward").click()
    assert "不能流转" in clerk.get_by_test_id("form-error").inner_text()
    assert clerk.get_by_test_id("applicant-name").input_value() == "刘一步"  # nothing typed is lost
    assert not Case.objects.exists()
    clerk.get_by_test_id("m-lease").select_option("provided_paper")
    clerk.get_by_test_id("submit-and-forward").click()
    assert clerk.get_by_test_id("state").inner_text() == "已流转后台"
    number = Case.objects.get().number
    approver = login(browser, url, "approver", PW)
    approver.goto(f"{url}/cases/inbox/")
    assert number in approver.content()


# ---------------------------------------------------------------- issue 19: receiving, phones, posts

PDF_BYTES = b"%PDF-1.7\n" + b"0" * 64


def _no_sideways_scroll(p, width: int) -> None:
    wide = p.evaluate("""() => {
        const out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > document.documentElement.clientWidth + 1) out.push(el.tagName + '.' + el.className);
        }
        return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
                wide: out.slice(0, 8)};
    }""")
    assert wide["scroll"] <= width and not wide["wide"], wide


def test_refused_receive_keeps_statuses_and_scans_then_receive_and_forward_keeps_them(live_server, browser,
                                                                                      tmp_path):
    _world()
    scan = tmp_path / "申请书.pdf"
    scan.write_bytes(PDF_BYTES)
    url = live_server.url
    clerk = login(browser, url, "clerk", PW, timeout=10_000)
    clerk.set_viewport_size({"width": 1920, "height": 1080})
    clerk.goto(f"{url}/cases/receive/?matter=M-FOOD&sit_kind=first")
    clerk.get_by_test_id("applicant-name").fill("周全")
    clerk.get_by_test_id("id-number").fill("110101198001010011")  # a wrong check digit
    clerk.get_by_test_id("field-shop_name").fill("周全小吃")
    clerk.get_by_test_id("m-app").select_option("provided_electronic")
    clerk.get_by_test_id("m-lease").select_option("incorrect")
    clerk.get_by_test_id("file-app").set_input_files(str(scan))
    clerk.get_by_test_id("submit-and-forward").click()
    assert "校验" in clerk.get_by_test_id("form-error").inner_text()
    assert clerk.get_by_test_id("m-app").input_value() == "provided_electronic"
    assert clerk.get_by_test_id("m-lease").input_value() == "incorrect"
    assert clerk.get_by_test_id("field-shop_name").input_value() == "周全小吃"
    assert "申请书.pdf" in clerk.get_by_test_id("held-app").inner_text()
    _no_sideways_scroll(clerk, 1920)
    screenshot(clerk, "case_receive_refused_kept")
    clerk.get_by_test_id("id-number").fill(make_id(44))
    clerk.get_by_test_id("m-lease").select_option("provided_paper")
    clerk.get_by_test_id("submit-and-forward").click()
    assert clerk.get_by_test_id("state").inner_text() == "已流转后台"
    assert clerk.locator(".messages li").all_inner_texts() == [f"已收件并流转后台，办件编号 {Case.objects.get().number}。"]
    assert clerk.locator(".messages .msg-error").count() == 0  # no error beside the success
    case = Case.objects.get()
    app = case.materials.get(requirement_code="app")
    assert app.upload and app.content_type == "application/pdf"
    assert clerk.locator('[data-code="app"] a').count() == 1  # the scan is linked on the case page
    screenshot(clerk, "case_received_and_forwarded_with_scan")


def test_applicant_pages_fit_a_phone(live_server, browser, phone):
    _world()
    user_create(username="chen", password=PW, role="applicant", display_name="陈申请", id_number=make_id(45))
    url = live_server.url
    phone.goto(f"{url}/accounts/login/?next=/cases/mine/")
    phone.fill("input[name=username]", "chen")
    phone.fill("input[name=password]", PW)
    phone.click("button[type=submit]")
    phone.wait_for_load_state()
    phone.goto(f"{url}/cases/apply/M-FOOD/?sit_kind=first")
    _no_sideways_scroll(phone, 390)
    screenshot(phone, "phone_apply")
    phone.get_by_test_id("field-shop_name").fill("")
    phone.get_by_test_id("submit-case").click()
    assert "店铺名称" in phone.get_by_test_id("form-error").inner_text()
    _no_sideways_scroll(phone, 390)
    phone.get_by_test_id("field-shop_name").fill("陈记面馆")
    phone.get_by_test_id("submit-case").click()
    assert "/cases/mine/" in phone.url
    _no_sideways_scroll(phone, 390)
    screenshot(phone, "phone_mine")
    case = Case.objects.get()
    phone.goto(f"{url}/cases/progress/")
    phone.get_by_test_id("progress-number").fill(case.number)
    phone.get_by_test_id("progress-code").fill(make_id(45)[-4:])
    phone.get_by_test_id("progress-go").click()
    assert phone.get_by_test_id("progress-state").is_visible()
    _no_sideways_scroll(phone, 390)
    screenshot(phone, "phone_progress")


def test_posts_page_sets_absence_at_1920(live_server, browser):
    hall = _world()
    from yichuang.accounts.models import Department
    dept = Department.objects.get(code="SCJG")
    user_create(username="approver_b", password=PW, role="approver", display_name="李B岗", centre=hall["centre"],
                department=dept, post="B")
    url = live_server.url
    b = login(browser, url, "approver_b", PW, timeout=10_000)
    b.set_viewport_size({"width": 1920, "height": 1080})
    b.goto(f"{url}/cases/inbox/")
    b.get_by_test_id("posts-link").click()
    assert "A岗在岗" in b.get_by_test_id("acting-SCJG").inner_text()
    b.get_by_test_id("absent-approver").click()
    assert "缺席原因" in b.get_by_test_id("form-error").inner_text()
    b.get_by_test_id("reason-approver").fill("年休假")
    b.get_by_test_id("absent-approver").click()
    assert "由B岗办理" in b.get_by_test_id("acting-SCJG").inner_text()
    _no_sideways_scroll(b, 1920)
    screenshot(b, "posts_absence")
