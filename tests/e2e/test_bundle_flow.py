"""企业开办一件事 in a browser, in the demo world: the clerk receives once (企业名称 asked once), 设立登记 reaches
市场监管 at once while the other five wait; approving it with the new 统一社会信用代码 sends 公章刻制, 税务, 社保,
公积金 and 银行开户 to their own departments' inboxes, with the code already in their forms."""

import pytest

from tests.cases.conftest import make_credit_code, make_id
from yichuang.bundles.models import BundleCase
from yichuang.demo.loader import demo_load
from yichuang.demo.org import DEMO_PASSWORD

from .conftest import login, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]




def _inbox(page, url) -> str:
    page.goto(f"{url}/cases/inbox/")
    return page.content()


DEPENDENTS = {"approver_ga": "印章刻制备案", "approver_swj": "新办纳税人涉税事项办理", "approver_rsj": "单位参保登记",
              "approver_gjj": "单位住房公积金缴存登记", "approver_yh": "企业银行账户预约开户"}


def test_company_opening_end_to_end(live_server, browser, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo_load()
    url = live_server.url
    clerk = login(browser, url, "clerk", DEMO_PASSWORD)
    clerk.goto(f"{url}/bundles/")
    clerk.get_by_test_id("receive-qykb").click()
    clerk.get_by_label("有限责任公司").check()
    clerk.get_by_label("本人办理").check()
    clerk.get_by_test_id("situations-apply").click()

    # One union form: 企业名称 (and 法定代表人, 注册地址) asked once for six matters; the credit code not at all.
    form = clerk.get_by_test_id("union-form")
    assert form.locator("input[name=f_enterprise_name]").count() == 1
    labels = form.locator("label").all_inner_texts()
    assert sum(1 for t in labels if t.strip().startswith("企业名称")) == 1
    assert not any(t.strip().startswith(("纳税人名称", "单位名称", "账户名称")) for t in labels)
    assert "统一社会信用代码" in clerk.get_by_test_id("produced-fields").inner_text()
    # One checklist: the legal representative's ID card once, the business licence shared from 设立登记.
    materials = clerk.get_by_test_id("materials").inner_text()
    assert materials.count("营业执照") >= 1 and "由“企业设立登记”办结后共享" in materials

    clerk.get_by_test_id("ticket").fill("B001")
    clerk.get_by_test_id("applicant-name").fill("张小满")
    clerk.get_by_test_id("id-number").fill(make_id(88))
    clerk.get_by_test_id("contact-phone").fill("13800138000")
    clerk.get_by_test_id("field-enterprise_name").fill("重庆小满科技有限公司")
    clerk.get_by_test_id("field-address").fill("重庆市九龙坡区杨家坪正街1号")
    clerk.get_by_test_id("field-legal_rep").fill("张小满")
    clerk.get_by_test_id("field-legal_rep_id").fill(make_id(88))
    # 企业类型 is the situation question of 企业设立登记; the form no longer asks it again (issue 19, 10c).
    clerk.get_by_test_id("field-setup.registered_capital").fill("100")
    clerk.get_by_test_id("field-setup.business_scope").fill("软件开发；信息技术咨询服务")
    screenshot(clerk, "bundle_apply")
    clerk.get_by_test_id("submit-bundle").click()

    number = clerk.get_by_test_id("bundle-number").inner_text()
    parent = BundleCase.objects.get(number=number)
    assert parent.ticket_number == "B001" and parent.promised_days >= 1
    assert clerk.get_by_test_id("item-state-setup").inner_text() == "已流转后台"
    for key in ("seal", "tax", "social", "fund", "bank"):
        assert clerk.get_by_test_id(f"item-state-{key}").inner_text() == "等待前置事项"
    assert "企业设立登记" in clerk.get_by_test_id("critical-path").inner_text()
    screenshot(clerk, "bundle_case_waiting")

    # Dependency order: only 市场监管 has work; the others' inboxes are empty of it.
    scj = login(browser, url, "approver_scj", DEMO_PASSWORD)
    assert "企业设立登记" in _inbox(scj, url)
    swj = login(browser, url, "approver_swj", DEMO_PASSWORD)
    assert "新办纳税人涉税事项办理" not in _inbox(swj, url)

    scj.goto(f"{url}/bundles/cases/{number}/")
    scj.get_by_test_id("accept-setup").click()
    scj.get_by_test_id("approve-setup").click()           # refused: the credit code is missing
    assert "统一社会信用代码" in scj.locator(".messages").inner_text()
    credit = make_credit_code(77)
    scj.get_by_test_id("result-credit_code").fill(credit)
    scj.get_by_test_id("approve-setup").click()
    assert scj.get_by_test_id("item-state-setup").inner_text() == "准予许可"
    for key in ("seal", "tax", "social", "fund", "bank"):
        assert scj.get_by_test_id(f"item-state-{key}").inner_text() == "已流转后台"
    screenshot(scj, "bundle_case_released")

    for username, matter in DEPENDENTS.items():
        page = swj if username == "approver_swj" else login(browser, url, username, DEMO_PASSWORD)
        assert matter in _inbox(page, url), (username, matter)
    tax = parent.items.get(key="tax").case
    assert tax.form_data["credit_code"] == credit and tax.form_data["taxpayer_name"] == "重庆小满科技有限公司"
    assert tax.applicant_credit_code == credit
