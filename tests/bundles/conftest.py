"""A small company-opening world built through the services: four departments, a clerk, one approver each."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.cases.conftest import make_credit_code, make_id
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.bundles import services as bs
from yichuang.catalog import services as cat

ID_CARD = {"code": "legal_rep_id", "name": "法定代表人身份证", "licence_type": "JMSFZ"}
LICENCE = {"code": "business_licence", "name": "营业执照", "licence_type": "YYZZ"}


def _matter(code, name, dept, days, fields, materials, **kw):
    return cat.matter_save(spec={"implementation_code": code, "name": name, "department": dept,
                                 "domain": "enterprise", "matter_type": "licensing", "legal_limit_days": max(days, 1) * 2,
                                 "promised_limit_days": days, "form_fields": fields, **kw}, materials=materials)


def build_bundle_world() -> SimpleNamespace:
    centre = acc.centre_create(code="500101", name="高新区政务服务中心", level="county")
    depts = {c: acc.department_create(code=c, name=n, centre=centre)
             for c, n in (("SCJ", "市场监管局"), ("GAJ", "公安分局"), ("SWJ", "税务局"), ("RSJ", "人社局"))}
    mk = lambda name, role, **kw: acc.user_create(username=name, password="secret-pass-1", role=role,  # noqa: E731
                                                  display_name=name, centre=centre, **kw)
    w = SimpleNamespace(centre=centre, depts=depts, clerk=mk("clerk", Role.CLERK), issuer=mk("issuer", Role.ISSUER),
                        applicant=mk("zhang", Role.APPLICANT, id_number=make_id(7)))
    w.approvers = {c: mk(f"appr_{c.lower()}", Role.APPROVER, department=d, post=Post.A) for c, d in depts.items()}
    cat.domain_save(code="enterprise", name="企业事务", ticket_prefix="Q")
    cat.licence_type_save(code="YYZZ", name="营业执照", issuing_department=depts["SCJ"])
    cat.licence_type_save(code="JMSFZ", name="居民身份证")
    name = lambda code, label, **kw: {"code": code, "label": label, "type": "text", "required": True, **kw}  # noqa
    w.setup = _matter("M-SETUP", "企业设立登记", "SCJ", 1,
                      [name("enterprise_name", "企业名称"), name("legal_rep", "法定代表人"), name("address", "住所"),
                       name("capital", "注册资本（万元）", type="number")],
                      [{"code": "application", "name": "设立登记申请书"}, ID_CARD],
                      result_kind="licence", result_licence_type="YYZZ", result_name="营业执照")
    w.seal = _matter("M-SEAL", "印章刻制备案", "GAJ", 1,
                     [name("enterprise_name", "企业名称"), name("credit_code", "统一社会信用代码", type="credit_code"),
                      name("seal_kinds", "印章种类")],
                     [{"code": "application", "name": "印章刻制申请表"}, LICENCE, ID_CARD])
    w.tax = _matter("M-TAX", "新办纳税人涉税事项", "SWJ", 2,
                    [name("taxpayer_name", "纳税人名称"), name("credit_code", "统一社会信用代码", type="credit_code"),
                     name("reg_address", "注册地址"), name("legal_rep", "法定代表人")],
                    [{"code": "tax_form", "name": "新办纳税人套餐表"}, LICENCE, ID_CARD])
    w.social = _matter("M-SOCIAL", "单位参保登记", "RSJ", 3,
                       [name("unit_name", "单位名称"), name("credit_code", "统一社会信用代码", type="credit_code")],
                       [{"code": "social_form", "name": "参保登记表"}, LICENCE])
    w.bundle = bs.bundle_save(spec={"code": "kaiban", "name": "企业开办"}, items=[
        {"key": "setup", "matter": "M-SETUP", "requires": [], "produces": {"credit_code": "统一社会信用代码"},
         "field_map": {"enterprise_name": "enterprise_name", "legal_rep": "legal_rep", "address": "address"}},
        {"key": "seal", "matter": "M-SEAL", "requires": ["setup"],
         "field_map": {"enterprise_name": "enterprise_name", "credit_code": "credit_code"}},
        {"key": "tax", "matter": "M-TAX", "requires": ["setup"],
         "field_map": {"enterprise_name": "taxpayer_name", "credit_code": "credit_code", "address": "reg_address",
                       "legal_rep": "legal_rep"}},
        {"key": "social", "matter": "M-SOCIAL", "requires": ["setup"],
         "field_map": {"enterprise_name": "unit_name", "credit_code": "credit_code"}},
    ])
    w.credit_code = make_credit_code(42)
    return w


@pytest.fixture
def bw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_bundle_world()


FORM = {"enterprise_name": "重庆小满科技有限公司", "legal_rep": "张三", "address": "重庆市高新区科园一路1号",
        "setup.capital": "100", "seal.seal_kinds": "公章、财务章"}
MATERIALS = {"setup:application": "provided", "lt:JMSFZ": "provided", "seal:application": "provided",
             "tax:tax_form": "provided", "social:social_form": "provided"}


def apply(w, **kw):
    args = {"bundle": w.bundle, "actor": w.clerk, "applicant_name": "张三", "id_number": make_id(3),
            "contact_phone": "13800138000", "form_data": dict(FORM), "materials": dict(MATERIALS),
            "ticket_number": "B001"}
    args.update(kw)
    return bs.bundle_apply(**args)
