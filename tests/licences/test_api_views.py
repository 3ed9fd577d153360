"""Licence API and pages."""

import pytest
from django.test import Client

from yichuang.accounts.services import token_issue

from .licence_world import PASSWORD, approve_company, credit_code


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username=user.username, password=PASSWORD)[1]}"}


@pytest.fixture
def lic(lw):
    return approve_company(lw, matter_code="M-FOOD").licences.get()


def test_api_search_detail_and_actions(lw, lic):
    c = Client()
    r = c.get("/api/v1/licences/?q=美味", **bearer(lw.clerk))
    assert r.status_code == 200 and r.json()[0]["number"] == lic.number
    r = c.get(f"/api/v1/licences/{lic.number}", **bearer(lw.clerk))
    assert r.json()["type_name"] == "食品经营许可证" and r.json()["valid"]
    r = c.post(f"/api/v1/licences/{lic.number}/suspend", {"reason": ""}, content_type="application/json",
               **bearer(lw.approver))
    assert r.status_code == 400 and r.json()["code"] == "validation_failed"
    r = c.post(f"/api/v1/licences/{lic.number}/suspend", {"reason": "整改"}, content_type="application/json",
               **bearer(lw.approver))
    assert r.json()["status"] == "suspended"
    r = c.post(f"/api/v1/licences/{lic.number}/revoke", {"reason": "x"}, content_type="application/json",
               **bearer(lw.clerk))
    assert r.status_code == 403
    r = c.post(f"/api/v1/licences/{lic.number}/reinstate", {}, content_type="application/json", **bearer(lw.approver))
    assert r.json()["status"] == "active"
    r = c.post(f"/api/v1/licences/{lic.number}/renew", {}, content_type="application/json", **bearer(lw.approver))
    assert r.json()["renewals"] == 1
    r = c.get("/api/v1/licences/held?identifier=" + lic.holder_identifier, **bearer(lw.clerk))
    assert r.json() == ["SPJYXKZ"]
    assert c.get("/api/v1/licences/nope", **bearer(lw.clerk)).status_code == 404
    assert c.get("/api/v1/licences/", **bearer(lw.applicant)).status_code == 403
    assert c.get("/api/v1/licences/").status_code == 401


def test_api_public_verify(lw, lic):
    c = Client()
    r = c.get("/api/v1/licences/verify", {"number": lic.number, "holder": lic.holder_name})
    assert r.status_code == 200 and r.json()["valid"]
    r = c.get("/api/v1/licences/verify", {"number": lic.number, "holder": "x"})
    assert r.status_code == 404 and r.json()["message"]


def test_api_manual_issue_is_for_admins(lw):
    c = Client()
    body = {"licence_type": "YYZZ", "holder_kind": "company", "holder_name": "外地公司",
            "holder_identifier": credit_code(99)}
    assert c.post("/api/v1/licences/", body, content_type="application/json", **bearer(lw.clerk)).status_code == 403
    r = c.post("/api/v1/licences/", body, content_type="application/json", **bearer(lw.admin))
    assert r.status_code == 200 and r.json()["holder_identifier"] == credit_code(99)
    body["holder_identifier"] = "91500107MA0000009X"
    assert c.post("/api/v1/licences/", body, content_type="application/json", **bearer(lw.admin)).status_code == 400


def test_library_page_and_actions(lw, lic):
    c = Client()
    assert c.get("/licences/").status_code == 302
    c.login(username="approver", password=PASSWORD)
    page = c.get("/licences/?q=美味").content.decode()
    assert lic.number in page and "食品经营许可证" in page
    assert lic.number not in c.get("/licences/?status=revoked").content.decode()
    detail = c.get(f"/licences/{lic.number}/").content.decode()
    assert "暂扣" in detail
    r = c.post(f"/licences/{lic.number}/revoke/", {"reason": "吊销"}, follow=True)
    assert "已撤销" in r.content.decode()
    r = c.post(f"/licences/{lic.number}/renew/", {"valid_to": "bad"}, follow=True)
    assert r.status_code == 200
    assert c.get("/licences/nope/").status_code == 404


def test_public_verify_page(lw, lic):
    c = Client()
    page = c.get("/licences/verify/", {"number": lic.number, "holder": lic.holder_name}).content.decode()
    assert "证照有效" in page and lic.holder_identifier in page
    page = c.get("/licences/verify/", {"number": lic.number, "holder": "别人"}).content.decode()
    assert "未找到该证照" in page
