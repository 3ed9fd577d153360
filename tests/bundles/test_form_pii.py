"""A bundle's union form goes through the rule of a case's form: the ID and phone numbers typed into it are stored
encrypted (the bundle, its items and the sub-cases), masked wherever shown, in full only through the audited
reveal of the sub-case (issue 21, finding 1)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection

from tests.cases.conftest import make_id
from yichuang.accounts import services as acc
from yichuang.accounts.constants import Post, Role
from yichuang.accounts.services import token_issue
from yichuang.audit.models import AuditEvent
from yichuang.bundles import services as bs
from yichuang.bundles.selectors import bundle_case_detail
from yichuang.catalog import services as cat

REP_ID = make_id(66, birth="19700707")
PHONE = "13712345678"
MASKED_ID = REP_ID[:3] + "*" * 11 + REP_ID[-4:]


@pytest.fixture
def pw(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    centre = acc.centre_create(code="500101", name="高新区政务服务中心", level="county")
    dept = acc.department_create(code="SCJ", name="市场监管局", centre=centre)
    mk = lambda name, role, **kw: acc.user_create(username=name, password="secret-pass-1", role=role,  # noqa: E731
                                                  display_name=name, centre=centre, **kw)
    users = {"clerk": mk("clerk", Role.CLERK), "approver": mk("appr", Role.APPROVER, department=dept, post=Post.A),
             "supervisor": mk("super", Role.SUPERVISOR)}
    cat.domain_save(code="enterprise", name="企业事务", ticket_prefix="Q")
    cat.matter_save(spec={"implementation_code": "M-SETUP", "name": "企业设立登记", "department": "SCJ",
                          "domain": "enterprise", "matter_type": "licensing", "legal_limit_days": 2,
                          "promised_limit_days": 1, "form_fields": [
                              {"code": "enterprise_name", "label": "企业名称", "type": "text", "required": True},
                              {"code": "legal_rep_id", "label": "法定代表人身份证号码", "type": "id_number",
                               "required": True},
                              {"code": "rep_phone", "label": "联系电话", "type": "phone", "required": True}]},
                    materials=[{"code": "application", "name": "设立登记申请书"}])
    cat.matter_save(spec={"implementation_code": "M-TAX", "name": "新办纳税人涉税事项", "department": "SCJ",
                          "domain": "enterprise", "matter_type": "licensing", "legal_limit_days": 2,
                          "promised_limit_days": 1, "form_fields": [
                              {"code": "taxpayer_name", "label": "纳税人名称", "type": "text", "required": True},
                              {"code": "rep_id", "label": "法定代表人身份证号码", "type": "id_number",
                               "required": True}]},
                    materials=[{"code": "tax_form", "name": "新办纳税人套餐表"}])
    bundle = bs.bundle_save(spec={"code": "kaiban", "name": "企业开办"}, items=[
        {"key": "setup", "matter": "M-SETUP", "requires": [],
         "field_map": {"enterprise_name": "enterprise_name", "legal_rep_id": "legal_rep_id"}},
        {"key": "tax", "matter": "M-TAX", "requires": [],
         "field_map": {"enterprise_name": "taxpayer_name", "legal_rep_id": "rep_id"}}])
    parent = bs.bundle_apply(bundle=bundle, actor=users["clerk"], applicant_name="张三", id_number=make_id(3),
                             contact_phone="13800138000",
                             form_data={"enterprise_name": "重庆小满科技有限公司", "legal_rep_id": REP_ID,
                                        "setup.rep_phone": PHONE},
                             materials={"setup:application": "provided", "tax:tax_form": "provided"})
    return parent, parent.items.get(key="setup").case, users


def _raw(table: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT form_data FROM {table} WHERE id = %s", [pk])  # noqa: S608 (a fixed table name)
        return str(cur.fetchone()[0])


def _token(user) -> dict:
    cache.clear()
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username=user.username, password='secret-pass-1')[1]}"}


def test_no_row_holds_the_numbers(pw):
    parent, _, _ = pw
    rows = [("bundles_bundlecase", parent.pk)] + [(t, pk) for p in parent.items.all()
                                                  for t, pk in (("cases_case", p.case_id), ("bundles_bundlecaseitem", p.pk))]
    assert len(rows) == 5
    for table, pk in rows:
        raw = _raw(table, pk)
        assert REP_ID not in raw and PHONE not in raw and "enc:" in raw, table
    assert bundle_case_detail(parent=parent)["form_data"] == {"enterprise_name": "重庆小满科技有限公司",
                                                              "legal_rep_id": MASKED_ID, "setup.rep_phone": "137****5678"}


@pytest.mark.parametrize("who", ["approver", "clerk", "supervisor"])
def test_the_sub_case_shows_them_masked(client, pw, who):
    _, case, users = pw
    client.force_login(users[who])
    body = client.get(f"/cases/{case.number}/").content.decode()
    assert REP_ID not in body and PHONE not in body and MASKED_ID in body
    client.logout()
    r = client.get(f"/api/v1/cases/{case.number}", **_token(users[who]))
    assert r.status_code == 200 and REP_ID not in r.content.decode() and PHONE not in r.content.decode()
    assert r.json()["form_data"]["legal_rep_id"] == MASKED_ID
    tax = case.bundle_item.parent.items.get(key="tax").case
    r = client.get(f"/api/v1/cases/{tax.number}", **_token(users[who]))
    assert r.status_code == 200 and r.json()["form_data"]["rep_id"] == MASKED_ID


def test_the_reveal_of_the_sub_case(client, pw):
    _, case, users = pw
    client.force_login(users["supervisor"])
    assert client.post(f"/cases/{case.number}/pii/", {"reason": "看看"}).status_code == 403
    users["approver"].user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    r = client.post(f"/api/v1/cases/{case.number}/pii", {"reason": "核对"}, content_type="application/json",
                    **_token(users["approver"]))
    assert r.status_code == 200
    assert {f["code"]: f["value"] for f in r.json()["form"]} == {"legal_rep_id": REP_ID, "rep_phone": PHONE}
    assert AuditEvent.objects.filter(action="pii.view", actor_id=users["approver"].pk).count() == 1


def test_the_data_migration_encrypts_legacy_bundle_rows(pw):
    from importlib import import_module

    from django.apps import apps

    from yichuang.bundles.models import BundleCase, BundleCaseItem

    parent, _, _ = pw
    legacy = {"enterprise_name": "重庆小满科技有限公司", "legal_rep_id": REP_ID, "setup.rep_phone": PHONE}
    BundleCase.objects.filter(pk=parent.pk).update(form_data=legacy)
    BundleCaseItem.objects.filter(parent=parent, key="tax").update(
        form_data={"taxpayer_name": "重庆小满科技有限公司", "rep_id": REP_ID})
    editor = type("Editor", (), {"connection": connection})()
    import_module("yichuang.bundles.migrations.0003_encrypt_form_numbers").encrypt_existing(apps, editor)
    rows = [("bundles_bundlecase", parent.pk)] + [("bundles_bundlecaseitem", p.pk) for p in parent.items.all()]
    for table, pk in rows:
        raw = _raw(table, pk)
        assert REP_ID not in raw and PHONE not in raw, table
    assert bundle_case_detail(parent=parent)["form_data"]["legal_rep_id"] == MASKED_ID
