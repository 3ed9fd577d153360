"""Approving 企业设立登记 through the API: the body's ``result_data`` carries the new company's 统一社会信用代码 that
the case page asks for (the detail lists it as ``result_fields``), and the 营业执照 goes to the company."""

from __future__ import annotations

import pytest
from django.test import Client

from yichuang.accounts.services import token_issue
from yichuang.licences.models import ELicence

from yichuang.cases import services as cs
from yichuang.catalog import services as cat

from .licence_world import credit_code
from .test_company_holder import REG_FIELDS, _accepted_by_rep, _with_fields, rep_id

pytestmark = pytest.mark.django_db


def _api(username: str) -> Client:
    _, key = token_issue(username=username, password="secret-pass-1")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_api_approve_asks_for_and_records_the_credit_code(lw):
    _with_fields(lw, "M-REG", REG_FIELDS)
    case = _accepted_by_rep(lw, matter_code="M-REG", form={"enterprise_name": "重庆新开张科技有限公司",
                                                           "legal_rep": "王法人"}, seq=4)
    api = _api(lw.approver.username)
    detail = api.get(f"/api/v1/cases/{case.number}").json()
    assert [f["code"] for f in detail["result_fields"]] == ["credit_code"]
    assert detail["result_fields"][0]["required"] is True

    r = api.post(f"/api/v1/cases/{case.number}/approve", {"opinion": "准予登记"}, content_type="application/json")
    assert r.status_code == 400, r.content
    body = r.json()
    assert set(body) >= {"code", "message", "message_en"} and "统一社会信用代码" in body["message"]

    good = credit_code(4)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")  # a wrong check character
    r = api.post(f"/api/v1/cases/{case.number}/approve", {"opinion": "准予登记", "result_data": {
        "credit_code": bad}}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] != "result_data_required"

    r = api.post(f"/api/v1/cases/{case.number}/approve", {"opinion": "准予登记", "result_data": {
        "credit_code": credit_code(4)}}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "approved" and r.json()["result_fields"] == []
    lic = ELicence.objects.get(source_case__number=case.number)
    assert (lic.holder_kind, lic.holder_identifier) == ("company", credit_code(4))


def test_decide_now_records_the_credit_code_of_a_new_organisation(lw):
    """即办件 decided at once (个体工商户设立登记): decide-now's body carries the credit code too."""
    cat.matter_save(spec={"implementation_code": "M-REG", "name": "个体工商户设立登记", "department": "SCJ",
                          "domain": "enterprise", "matter_type": "licensing", "result_kind": "licence",
                          "legal_limit_days": 3, "promised_limit_days": 1, "result_licence_type": "YYZZ",
                          "result_name": "营业执照", "handling_kind": "immediate", "form_fields": REG_FIELDS})
    case = cs.case_receive(actor=lw.clerk, matter_code="M-REG", applicant_name="王法人", id_number=rep_id(6),
                           answers={}, form_data={"enterprise_name": "九龙坡区王记小吃店", "legal_rep": "王法人"})
    todo = {m.requirement_code: "provided" for m in case.materials.exclude(status="exempt")}
    if todo:
        case = cs.case_materials_update(case=case, actor=lw.clerk, materials=todo)
    case = cs.case_forward(case=case, actor=lw.clerk)
    api = _api(lw.approver.username)
    assert [f["code"] for f in api.get(f"/api/v1/cases/{case.number}").json()["result_fields"]] == ["credit_code"]
    r = api.post(f"/api/v1/cases/{case.number}/decide-now", {"approve": True, "opinion": "当场办结",
                                                             "result_data": {"credit_code": credit_code(6)}},
                 content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "approved"
    lic = ELicence.objects.get(source_case__number=case.number)
    assert lic.holder_identifier == credit_code(6)
