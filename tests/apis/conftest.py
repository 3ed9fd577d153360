"""Test data for the API-wide tests: the cases' world (``tests/cases/conftest.py``) with a hall (an open window, a
waiting ticket), an administrator, a case in each early state and a bearer token per role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.cases.conftest import build_world, fast_hasher, receive, world  # noqa: F401  (fixtures)
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role
from yichuang.cases import services as cs
from yichuang.catalog import services as cat
from yichuang.hall import services as hall

ROLES = ("clerk", "clerk2", "approver", "issuer", "super", "admin", "zhang")


def build_api_world() -> SimpleNamespace:
    w = build_world()
    w.admin = acc.user_create(username="admin", password="secret-pass-1", role=Role.ADMIN, display_name="管理员",
                              centre=w.centre)
    w.domain = w.matter.domain
    w.food = food_matter()
    hall.skill_set(user=w.clerk, domains=[w.domain], level="senior")
    w.window = hall.window_create(actor=None, centre=w.centre, number="1", domains=[w.domain])
    hall.clerk_sign_in(window=w.window, clerk=w.clerk)
    w.ticket = hall.ticket_issue(centre=w.centre, domain=w.domain)
    w.received = receive(w, actor=w.clerk2, seq=11)
    w.forwarded = cs.case_forward(case=receive(w, actor=w.clerk2, seq=12), actor=w.clerk2)
    w.accepted = cs.case_accept(case=cs.case_forward(case=receive(w, actor=w.clerk2, seq=13), actor=w.clerk2),
                                actor=w.approver)
    w.tokens = {u: acc.token_issue(username=u, password="secret-pass-1")[1] for u in ROLES}
    return w


def food_matter():
    """The demo's 食品经营许可 (its code, situations and form; fewer materials), which the API examples use."""
    from yichuang.demo.matters import AGENT, FOOD_FIELDS

    situations = [{"code": "apply_type", "question": "申请类型", "options": [
        {"code": "first", "label": "首次申请"}, {"code": "change", "label": "变更"}]},
        {"code": "business_form", "question": "主体业态", "options": [
            {"code": "sales", "label": "食品销售"}, {"code": "catering", "label": "餐饮服务"}]}, AGENT]
    materials = [{"code": "application", "name": "食品经营许可申请书", "necessity": "required"},
                 {"code": "layout", "name": "设备设施布局、操作流程等文件", "necessity": "required",
                  "applies_when": {"apply_type": ["first", "change"]}},
                 {"code": "safety_rules", "name": "保证食品安全的规章制度", "necessity": "tolerant"}]
    return cat.matter_save(spec={"department": "SCJG", "domain": "enterprise", "matter_type": "licensing",
                                 "implementation_code": "11500107MB1A2B3C4M000101001000001",
                                 "name": "食品经营许可（餐饮）", "legal_limit_days": 20, "promised_limit_days": 10,
                                 "form_fields": FOOD_FIELDS}, situations=situations, materials=materials)


@pytest.fixture
def api_world(db, fast_hasher):  # noqa: F811
    return build_api_world()


def client_for(w, username: str | None) -> Client:
    if username is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {w.tokens[username]}")
