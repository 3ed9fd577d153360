"""Test data for cases, built through the services (accounts, catalog, cases) as users would."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.cases import services as cs
from yichuang.catalog import services as cat
from yichuang.core.validators import id_number_check_char, uscc_check_char


def make_id(seq: int = 1, birth: str = "19800101") -> str:
    first17 = f"110101{birth}{seq % 1000:03d}"
    return first17 + id_number_check_char(first17)


def make_credit_code(seq: int = 1) -> str:
    first17 = f"91110101MA{seq:07d}"[:17]
    return first17 + uscc_check_char(first17)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64

MATERIALS = [
    {"code": "app", "name": "申请书", "necessity": "required"},
    {"code": "id", "name": "身份证明", "necessity": "required"},
    {"code": "lease", "name": "场地使用证明", "necessity": "tolerant"},
    {"code": "photo", "name": "门头照片", "necessity": "optional"},
]
FORM_FIELDS = [
    {"code": "shop_name", "label": "店铺名称", "type": "text", "required": True},
    {"code": "area", "label": "经营面积", "type": "number"},
]


@pytest.fixture
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, fast_hasher):
    return build_world()


def build_world() -> SimpleNamespace:
    """Two centres, two departments, staff of every role (A and B posts), a promised and an immediate matter."""
    centre = acc.centre_create(code="500101", name="高新区政务服务中心", level="county")
    other_centre = acc.centre_create(code="500102", name="荣昌区政务服务中心", level="county")
    dept = acc.department_create(code="SCJG", name="市场监管局", centre=centre)
    dept2 = acc.department_create(code="ZJ", name="住建局", centre=centre)
    mk = lambda name, role, **kw: acc.user_create(username=name, password="secret-pass-1", role=role,  # noqa: E731
                                                  display_name=name, centre=centre, **kw)
    w = SimpleNamespace(
        centre=centre, other_centre=other_centre, dept=dept, dept2=dept2,
        clerk=mk("clerk", Role.CLERK), clerk2=mk("clerk2", Role.CLERK),
        approver=mk("approver", Role.APPROVER, department=dept, post=Post.A),
        approver_b=mk("approver_b", Role.APPROVER, department=dept, post=Post.B),
        other_approver=mk("other", Role.APPROVER, department=dept2, post=Post.A),
        issuer=mk("issuer", Role.ISSUER), supervisor=mk("super", Role.SUPERVISOR),
        applicant=mk("zhang", Role.APPLICANT, id_number=make_id(7)),
    )
    cat.domain_save(code="enterprise", name="企业事务", ticket_prefix="Q")
    common = {"department": "SCJG", "domain": "enterprise", "matter_type": "licensing", "form_fields": FORM_FIELDS}
    situations = [{"code": "kind", "question": "申请类型",
                   "options": [{"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"}]}]
    w.matter = cat.matter_save(spec={**common, "implementation_code": "M-FOOD", "name": "食品经营许可",
                                     "legal_limit_days": 20, "promised_limit_days": 10},
                               situations=situations, materials=MATERIALS)
    w.immediate = cat.matter_save(spec={**common, "implementation_code": "M-NOW", "name": "个体户名称变更",
                                        "legal_limit_days": 5, "promised_limit_days": 0, "form_fields": []},
                                  materials=[{"code": "app", "name": "申请书"}])
    return w


def receive(w, *, actor=None, materials=None, matter_code="M-FOOD", seq=1, **kw):
    defaults = {
        "matter_code": matter_code, "applicant_name": "张三", "id_number": make_id(seq),
        "contact_phone": "13800138000", "contact_address": "重庆市高新区科园一路1号",
        "answers": {"kind": "first"} if matter_code == "M-FOOD" else {},
        "form_data": {"shop_name": "张三小吃"} if matter_code == "M-FOOD" else {},
        "materials": materials if materials is not None else {"app": "provided", "id": "provided",
                                                              "lease": "provided"},
    }
    defaults.update(kw)
    return cs.case_receive(actor=actor or w.clerk, **defaults)


def accepted_case(w, *, today: dt.date | None = None, **kw):
    case = receive(w, **kw)
    case = cs.case_forward(case=case, actor=w.clerk)
    return cs.case_accept(case=case, actor=w.approver, today=today)
