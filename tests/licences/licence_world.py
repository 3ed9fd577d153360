"""A small world for e-licences: 企业设立登记 issues 营业执照, 食品经营许可 issues 食品经营许可证 and accepts both as
materials. Built through the services, as users would."""

from __future__ import annotations

from types import SimpleNamespace

from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.cases import services as cs
from yichuang.catalog import services as cat
from yichuang.core.validators import uscc_check_char

PASSWORD = "secret-pass-1"


def credit_code(seq: int = 1) -> str:
    first17 = f"91500107MA{seq:07d}"[:17]
    return first17 + uscc_check_char(first17)


FOOD_SITUATIONS = [{"code": "apply_type", "question": "申请类型", "options": [
    {"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"}, {"code": "renew", "label": "延续"},
    {"code": "cancel", "label": "注销"}]}]
FOOD_MATERIALS = [
    {"code": "application", "name": "食品经营许可申请书"},
    {"code": "business_licence", "name": "营业执照", "source": "licence", "licence_type": "YYZZ",
     "applies_when": {"apply_type": ["first", "change", "renew"]}},
    {"code": "original_licence", "name": "食品经营许可证正副本", "source": "licence", "licence_type": "SPJYXKZ",
     "applies_when": {"apply_type": ["change", "renew", "cancel"]}},
    {"code": "layout", "name": "设备布局和操作流程", "applies_when": {"apply_type": ["first", "change"]}},
]


def build_licence_world() -> SimpleNamespace:
    centre = acc.centre_create(code="500107", name="九龙坡区政务服务中心", level="county", phone="023-68780000")
    dept = acc.department_create(code="SCJ", name="九龙坡区市场监督管理局", centre=centre)
    mk = lambda name, role, **kw: acc.user_create(username=name, password=PASSWORD, role=role,  # noqa: E731
                                                  display_name=name, centre=centre, **kw)
    w = SimpleNamespace(centre=centre, dept=dept, clerk=mk("clerk", Role.CLERK),
                        approver=mk("approver", Role.APPROVER, department=dept, post=Post.A),
                        admin=mk("admin", Role.ADMIN), issuer=mk("issuer", Role.ISSUER),
                        applicant=mk("applicant", Role.APPLICANT))
    cat.domain_save(code="enterprise", name="企业事务", ticket_prefix="Q")
    w.yyzz = cat.licence_type_save(code="YYZZ", name="营业执照", issuing_department=dept)
    w.spjy = cat.licence_type_save(code="SPJYXKZ", name="食品经营许可证", issuing_department=dept, validity_years=5)
    common = {"department": "SCJ", "domain": "enterprise", "matter_type": "licensing", "result_kind": "licence"}
    w.reg = cat.matter_save(spec={**common, "implementation_code": "M-REG", "name": "企业设立登记",
                                  "legal_limit_days": 3, "promised_limit_days": 1, "result_licence_type": "YYZZ",
                                  "result_name": "营业执照"},
                            materials=[{"code": "application", "name": "公司登记（备案）申请书"}])
    w.food = cat.matter_save(spec={**common, "implementation_code": "M-FOOD", "name": "食品经营许可",
                                   "legal_limit_days": 20, "promised_limit_days": 3,
                                   "result_licence_type": "SPJYXKZ", "result_name": "食品经营许可证"},
                             situations=FOOD_SITUATIONS, materials=FOOD_MATERIALS)
    return w


def receive_company(w, *, matter_code: str, seq: int = 1, name: str = "重庆美味餐饮有限公司", answers=None,
                    materials=None):
    answers = answers if answers is not None else ({"apply_type": "first"} if matter_code == "M-FOOD" else {})
    case = cs.case_receive(actor=w.clerk, matter_code=matter_code, applicant_kind="company", applicant_name=name,
                           credit_code=credit_code(seq), contact_phone="13800138000", answers=answers,
                           materials=materials or {})
    # Tick every item that is not already 免提交.
    todo = {m.requirement_code: "provided" for m in case.materials.exclude(status="exempt")}
    if todo:
        case = cs.case_materials_update(case=case, actor=w.clerk, materials=todo)
    return case


def approve_company(w, *, matter_code: str, seq: int = 1, **kw):
    case = receive_company(w, matter_code=matter_code, seq=seq, **kw)
    case = cs.case_forward(case=case, actor=w.clerk)
    case = cs.case_accept(case=case, actor=w.approver)
    return cs.case_approve(case=case, actor=w.approver, opinion="符合条件")
