"""Browser: approve a 食品经营许可 case → its e-licence is in the library → a new case of the same company has
营业执照 and 食品经营许可证 免提交 → the 受理通知书 PDF has Chinese text → the verification page says genuine,
and not genuine once one byte is altered.

Case steps go through the REST API from the browser's own request context (the case pages are another
feature); everything about licences and documents is seen in the pages."""

import pytest

from tests.documents.pdftools import pdf_text
from tests.licences.licence_world import PASSWORD, build_licence_world, credit_code

from .conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("transactional_db")]

COMPANY = "重庆美味餐饮有限公司"


@pytest.fixture
def world(settings, pki):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_licence_world()


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    from yichuang.documents.pki import demo_pki_create

    d = tmp_path_factory.mktemp("pki-e2e")
    demo_pki_create(centre_name="九龙坡区政务服务中心", cert_path=str(d / "cert.pem"), key_path=str(d / "key.pem"))
    return d


@pytest.fixture
def pki(settings, pki_dir):
    settings.YICHUANG_SIGNING_CERT = str(pki_dir / "cert.pem")
    settings.YICHUANG_SIGNING_KEY = str(pki_dir / "key.pem")
    settings.YICHUANG_TRUSTED_CERTS = []


class Api:
    def __init__(self, page, base):
        self.request, self.base, self.tokens = page.request, base, {}

    def as_(self, user):
        if user not in self.tokens:
            r = self.request.post(f"{self.base}/api/v1/auth/token", data={"username": user, "password": PASSWORD})
            assert r.ok, r.text()
            self.tokens[user] = r.json()["token"]
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def post(self, user, path, data=None):
        r = self.request.post(f"{self.base}/api/v1{path}", data=data or {}, headers=self.as_(user))
        assert r.ok, r.text()
        return r.json()

    def approve(self, matter_code, answers):
        case = self.receive(matter_code, answers)
        todo = {m["code"]: "provided" for m in case["materials"] if m["status"] != "exempt"}
        self.post("clerk", f"/cases/{case['number']}/materials", {"materials": todo})
        self.post("clerk", f"/cases/{case['number']}/forward", {})
        self.post("approver", f"/cases/{case['number']}/accept", {})
        return self.post("approver", f"/cases/{case['number']}/approve", {"opinion": "符合条件"})

    def receive(self, matter_code, answers):
        return self.post("clerk", "/cases/", {"matter_code": matter_code, "applicant_kind": "company",
                                              "applicant_name": COMPANY, "credit_code": credit_code(1),
                                              "contact_phone": "13800138000", "answers": answers})


def login(page, base, username):
    page.goto(f"{base}/accounts/login/?next=/licences/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_licence_reuse_notice_pdf_and_signature(live_server, page, world):
    base = live_server.url
    api = Api(page, base)
    api.approve("M-REG", {})                                    # the company's 营业执照
    food = api.approve("M-FOOD", {"apply_type": "first"})      # → 食品经营许可证
    assert food["state"] == "approved"

    # The e-licence appears in the library.
    login(page, base, "approver")
    page.goto(f"{base}/licences/?q={COMPANY}")
    table = page.get_by_test_id("licences")
    assert "食品经营许可证" in table.inner_text() and "营业执照" in table.inner_text()
    assert food["number"] in table.inner_text()
    screenshot(page, "licence_library")

    # A new case of the same company: both licences are 免提交, linked, no upload.
    change = api.receive("M-FOOD", {"apply_type": "change"})
    status = {m["code"]: m for m in change["materials"]}
    assert status["business_licence"]["status"] == "exempt" and status["original_licence"]["status"] == "exempt"
    assert not status["business_licence"]["has_upload"] and "YYZZ" in status["business_licence"]["note"]
    page.locator("[data-testid=licences] a", has_text="SPJYXKZ").click()
    assert change["number"] in page.get_by_test_id("licence-uses").inner_text()

    # Accept it: the 受理通知书 opens as a PDF with Chinese text.
    todo = {m["code"]: "provided" for m in change["materials"] if m["status"] != "exempt"}
    api.post("clerk", f"/cases/{change['number']}/materials", {"materials": todo})
    api.post("clerk", f"/cases/{change['number']}/forward", {})
    api.post("approver", f"/cases/{change['number']}/accept", {})
    page.goto(f"{base}/documents/cases/{change['number']}/")
    link = page.get_by_test_id("doc-acceptance")
    response = page.request.get(base + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    text = pdf_text(pdf)
    assert "受理通知书" in text and "九龙坡区政务服务中心" in text and change["number"] in text
    screenshot(page, "case_documents")

    # The verification page: genuine; one byte altered: not genuine.
    page.goto(f"{base}/documents/verify/")
    page.set_input_files("input[name=file]", files=[{"name": "受理通知书.pdf", "mimeType": "application/pdf",
                                                     "buffer": pdf}])
    page.get_by_role("button", name="核验").click()
    verdict = page.get_by_test_id("verdict")
    assert verdict.get_attribute("data-genuine") == "yes" and "真实有效" in verdict.inner_text()
    screenshot(page, "verify_genuine")
    altered = bytearray(pdf)
    altered[len(altered) // 2] ^= 0x01
    page.set_input_files("input[name=file]", files=[{"name": "altered.pdf", "mimeType": "application/pdf",
                                                     "buffer": bytes(altered)}])
    page.get_by_role("button", name="核验").click()
    verdict = page.get_by_test_id("verdict")
    assert verdict.get_attribute("data-genuine") == "no" and "未通过核验" in verdict.inner_text()
    screenshot(page, "verify_altered")


def test_company_registration_approved_on_its_case_page_licenses_the_company(live_server, page, world):
    """企业设立登记 filed by the legal representative: the approver is asked for the new 统一社会信用代码 on the case
    page (checked; the opinion survives a refusal), and the 营业执照 goes to the company under that code."""
    from tests.licences.test_company_holder import REG_FIELDS, rep_id
    from yichuang.cases import services as cs
    from yichuang.catalog import services as cat
    from yichuang.licences.models import ELicence

    cat.matter_save(spec={"implementation_code": "M-REG", "name": "企业设立登记", "department": "SCJ",
                          "domain": "enterprise", "matter_type": "licensing", "result_kind": "licence",
                          "legal_limit_days": 3, "promised_limit_days": 1, "result_licence_type": "YYZZ",
                          "result_name": "营业执照", "form_fields": REG_FIELDS})
    case = cs.case_receive(actor=world.clerk, matter_code="M-REG", applicant_name="王法人", id_number=rep_id(),
                           form_data={"enterprise_name": "重庆新开科技有限公司", "legal_rep": "王法人"},
                           materials={"application": "provided"})
    case = cs.case_accept(case=cs.case_forward(case=case, actor=world.clerk), actor=world.approver)
    base = live_server.url
    login(page, base, "approver")
    page.goto(f"{base}/cases/{case.number}/")
    page.get_by_test_id("opinion").fill("材料齐全，准予设立登记")
    page.get_by_test_id("do-approve").click()
    assert "统一社会信用代码" in page.get_by_test_id("action-error").inner_text()
    assert page.get_by_test_id("opinion").input_value() == "材料齐全，准予设立登记"
    page.get_by_test_id("result-credit_code").fill(credit_code(7))
    screenshot(page, "case_approve_credit_code")
    page.get_by_test_id("do-approve").click()
    assert page.get_by_test_id("state").inner_text() != "已受理"
    lic = ELicence.objects.get(source_case__number=case.number)
    assert (lic.holder_kind, lic.holder_name, lic.holder_identifier) == ("company", "重庆新开科技有限公司",
                                                                          credit_code(7))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
