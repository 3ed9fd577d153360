"""Issue 19, roles and data: a licence produced for a company goes to the company and its 统一社会信用代码 (the
营业执照 of 企业设立登记, the 食品经营许可证 of a restaurant), never to the legal representative; approving a 设立登记
asks for the new credit code on the case page and checks it."""

from __future__ import annotations

import pytest

from yichuang.cases import services as cs
from yichuang.cases.models import Case
from yichuang.cases.selectors import case_result_fields
from yichuang.catalog import services as cat
from yichuang.core.errors import ValidationFailed
from yichuang.core.validators import id_number_check_char
from yichuang.licences.models import ELicence

from .licence_world import approve_company, credit_code

pytestmark = pytest.mark.django_db

REG_FIELDS = [{"name": "enterprise_name", "label": "企业名称", "type": "text", "required": True},
              {"name": "legal_rep", "label": "法定代表人", "type": "text", "required": True}]
FOOD_FIELDS = [{"name": "operator_name", "label": "经营者名称", "type": "text", "required": True},
               {"name": "credit_code", "label": "统一社会信用代码", "type": "credit_code", "required": True}]


def rep_id(seq: int = 1) -> str:
    first17 = f"50010719800101{seq:03d}"
    return first17 + id_number_check_char(first17)


def _with_fields(lw, code: str, fields: list[dict]):
    common = {"department": "SCJ", "domain": "enterprise", "matter_type": "licensing", "result_kind": "licence",
              "form_fields": fields}
    if code == "M-REG":
        spec = {"implementation_code": "M-REG", "name": "企业设立登记", "legal_limit_days": 3,
                "promised_limit_days": 1, "result_licence_type": "YYZZ", "result_name": "营业执照"}
    else:
        spec = {"implementation_code": "M-FOOD", "name": "食品经营许可", "legal_limit_days": 20,
                "promised_limit_days": 3, "result_licence_type": "SPJYXKZ", "result_name": "食品经营许可证"}
    return cat.matter_save(spec={**common, **spec})


def _accepted_by_rep(lw, *, matter_code: str, form: dict, answers=None, seq: int = 1) -> Case:
    """Filed in the legal representative's name (a person), as a 设立登记 must be: the company does not exist yet."""
    case = cs.case_receive(actor=lw.clerk, matter_code=matter_code, applicant_name="王法人", id_number=rep_id(seq),
                           answers=answers or {}, form_data=form)
    todo = {m.requirement_code: "provided" for m in case.materials.exclude(status="exempt")}
    if todo:
        case = cs.case_materials_update(case=case, actor=lw.clerk, materials=todo)
    case = cs.case_forward(case=case, actor=lw.clerk)
    return cs.case_accept(case=case, actor=lw.approver)


def test_company_applicant_licence_goes_to_the_company(lw):
    case = approve_company(lw, matter_code="M-FOOD", seq=3)
    lic = ELicence.objects.get(source_case=case)
    assert lic.holder_kind == "company" and lic.holder_identifier == credit_code(3)
    assert lic.holder_name == "重庆美味餐饮有限公司"


def test_restaurant_licence_filed_by_its_representative_goes_to_the_restaurant(lw):
    _with_fields(lw, "M-FOOD", FOOD_FIELDS)
    case = _accepted_by_rep(lw, matter_code="M-FOOD", answers={"apply_type": "first"},
                            form={"operator_name": "重庆好吃饭店有限公司", "credit_code": credit_code(8)})
    assert case_result_fields(case=case) == []  # the credit code is on the form: nothing to ask
    cs.case_approve(case=case, actor=lw.approver, opinion="符合条件")
    lic = ELicence.objects.get(source_case=case)
    assert (lic.holder_kind, lic.holder_name, lic.holder_identifier) == ("company", "重庆好吃饭店有限公司",
                                                                          credit_code(8))
    assert not ELicence.objects.filter(holder_identifier=rep_id()).exists()


def test_company_registration_asks_for_the_new_credit_code_and_licenses_the_company(lw):
    _with_fields(lw, "M-REG", REG_FIELDS)
    case = _accepted_by_rep(lw, matter_code="M-REG", form={"enterprise_name": "重庆新开科技有限公司",
                                                           "legal_rep": "王法人"})
    assert [(f["code"], f["required"]) for f in case_result_fields(case=case)] == [("credit_code", True)]
    with pytest.raises(ValidationFailed, match="统一社会信用代码") as exc:
        cs.case_approve(case=case, actor=lw.approver, opinion="符合条件")
    assert exc.value.code == "result_data_required"
    bad = credit_code(9)[:-1] + ("0" if credit_code(9)[-1] != "0" else "1")
    with pytest.raises(ValidationFailed, match="校验"):
        cs.case_approve(case=case, actor=lw.approver, opinion="符合条件", result_data={"credit_code": bad})
    assert Case.objects.get(pk=case.pk).state == "accepted"
    cs.case_approve(case=case, actor=lw.approver, opinion="符合条件",
                    result_data={"credit_code": credit_code(9).lower()})
    lic = ELicence.objects.get(source_case=case)
    assert (lic.holder_kind, lic.holder_name, lic.holder_identifier) == ("company", "重庆新开科技有限公司",
                                                                          credit_code(9))
    history = case.transitions.get(to_state="approved")
    assert history.data["result_data"] == {"credit_code": credit_code(9)}


def test_a_person_licence_stays_with_the_person(lw):
    cat.licence_type_save(code="JMSFZ", name="居民身份证", issuing_department=lw.dept)
    cat.matter_save(spec={"implementation_code": "M-ID", "name": "居民身份证换领", "department": "SCJ",
                          "domain": "enterprise", "matter_type": "confirmation", "legal_limit_days": 20,
                          "promised_limit_days": 10, "result_kind": "licence", "result_licence_type": "JMSFZ",
                          "form_fields": [{"name": "name", "label": "姓名", "type": "text", "required": True}]},
                    materials=[{"code": "photo", "name": "照片"}])
    case = _accepted_by_rep(lw, matter_code="M-ID", form={"name": "王法人"})
    assert case_result_fields(case=case) == []
    cs.case_approve(case=case, actor=lw.approver, opinion="符合条件")
    lic = ELicence.objects.get(source_case=case)
    assert (lic.holder_kind, lic.holder_identifier) == ("person", rep_id())


def test_approve_page_asks_for_the_credit_code_and_keeps_what_was_typed(client, lw):
    _with_fields(lw, "M-REG", REG_FIELDS)
    case = _accepted_by_rep(lw, matter_code="M-REG", form={"enterprise_name": "重庆新开科技有限公司",
                                                           "legal_rep": "王法人"})
    client.force_login(lw.approver)
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert 'name="r_credit_code"' in page and "统一社会信用代码" in page
    url = f"/cases/{case.number}/action/"
    r = client.post(url, {"action": "approve", "opinion": "材料齐全，准予登记", "r_credit_code": ""})
    body = r.content.decode()
    assert r.status_code == 200 and "准予前请填写办理结果：统一社会信用代码" in body
    assert "材料齐全，准予登记" in body  # the opinion is still there
    r = client.post(url, {"action": "approve", "opinion": "材料齐全，准予登记", "r_credit_code": "91500107MA0000009X"})
    body = r.content.decode()
    assert r.status_code == 200 and "统一社会信用代码" in body and 'value="91500107MA0000009X"' in body
    r = client.post(url, {"action": "approve", "opinion": "材料齐全，准予登记", "r_credit_code": credit_code(11)})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).state == "approved"
    lic = ELicence.objects.get(source_case=case)
    assert lic.holder_identifier == credit_code(11) and lic.holder_name == "重庆新开科技有限公司"
