"""Downloading documents (staff, applicant by code) and the verification page/API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yichuang.accounts.services import token_issue
from tests.licences.licence_world import PASSWORD, approve_company, credit_code

from .pdftools import pdf_text


@pytest.fixture
def case(lw, pki):
    return approve_company(lw, matter_code="M-FOOD")


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username=user.username, password=PASSWORD)[1]}"}


def test_api_lists_and_downloads_case_documents(lw, case):
    c = Client()
    rows = c.get(f"/api/v1/documents/cases/{case.number}", **bearer(lw.clerk)).json()
    kinds = [r["kind"] for r in rows]
    assert kinds == ["acceptance", "decision", "checklist"]
    acceptance = rows[0]
    r = c.get(acceptance["url"], **bearer(lw.clerk))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "受理通知书" in pdf_text(r.content) and case.number in pdf_text(r.content)
    assert c.get(rows[2]["url"], **bearer(lw.approver)).status_code == 200
    r = c.get(f"/api/v1/documents/cases/{case.number}/receipt.pdf", **bearer(lw.clerk))
    assert r.status_code == 409 and r.json()["code"] == "not_delivered"
    assert c.get(acceptance["url"]).status_code == 401
    assert c.get("/api/v1/documents/notices/NOPE.pdf", **bearer(lw.clerk)).status_code == 404
    # An applicant who is not the case's applicant may not.
    assert c.get(acceptance["url"], **bearer(lw.applicant)).status_code == 403


def test_pages_with_the_last_four_characters(lw, case):
    c = Client()
    code = credit_code(1)[-4:]
    page = c.get(f"/documents/cases/{case.number}/?code={code}")
    assert page.status_code == 200 and "受理通知书" in page.content.decode()
    notice = case.notices.get(kind="acceptance")
    r = c.get(f"/documents/notices/{notice.number}.pdf?code={code}")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert c.get(f"/documents/notices/{notice.number}.pdf?code=0000").status_code == 404
    assert c.get(f"/documents/cases/{case.number}/checklist.pdf").status_code == 404


def test_verify_page_and_api(lw, case):
    c = Client()
    c.login(username="clerk", password=PASSWORD)
    data = c.get(f"/documents/notices/{case.notices.get(kind='acceptance').number}.pdf").content
    c.logout()
    page = c.post("/documents/verify/", {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    assert 'data-genuine="yes"' in page.content.decode() and "真实有效" in page.content.decode()
    altered = bytearray(data)
    altered[len(altered) // 2] ^= 0x01
    page = c.post("/documents/verify/", {"file": SimpleUploadedFile("a.pdf", bytes(altered), "application/pdf")})
    assert 'data-genuine="no"' in page.content.decode() and "未通过核验" in page.content.decode()
    r = c.post("/api/v1/documents/verify", {"file": SimpleUploadedFile("a.pdf", data, "application/pdf")})
    assert r.status_code == 200 and r.json()["genuine"] is True
    r = c.post("/api/v1/documents/verify", {"file": SimpleUploadedFile("x.txt", b"hello", "text/plain")})
    assert r.json()["genuine"] is False
    assert c.post("/documents/verify/", {}).status_code == 200
    assert c.get("/documents/verify/").status_code == 200


def test_licence_pdf_for_staff_and_for_the_holder(lw, case):
    lic = case.licences.get()
    c = Client()
    r = c.get(f"/licences/{lic.number}/pdf?holder={lic.holder_name}")
    assert r.status_code == 200 and lic.number in pdf_text(r.content)
    assert c.get(f"/licences/{lic.number}/pdf?holder=别人").status_code == 404
    r = c.get(f"/api/v1/licences/{lic.number}/pdf", **bearer(lw.clerk))
    assert r.status_code == 200 and "食品经营许可证" in pdf_text(r.content)
