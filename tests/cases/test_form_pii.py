"""ID and phone numbers typed into a matter's form (fields of type id_number / phone) are kept like the
applicant's own: stored encrypted, masked on the case page and in the API for every role, shown in full only
through the audited reveal (issue 21, finding 1)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection

from yichuang.accounts.services import token_issue
from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify
from yichuang.cases import services as cs
from yichuang.cases.forms import form_masked
from yichuang.cases.models import Case
from yichuang.catalog import services as cat

from .conftest import make_id, receive

REP_ID = make_id(55, birth="19750505")
REP_PHONE = "13912345678"
FIELDS = [
    {"name": "enterprise_name", "label": "企业名称", "type": "text", "required": True},
    {"name": "legal_rep_id", "label": "法定代表人身份证号码", "type": "id_number", "required": True},
    {"name": "rep_phone", "label": "联系电话", "type": "phone", "required": True},
]


@pytest.fixture
def pii_case(world):
    cat.matter_save(spec={"department": "SCJG", "domain": "enterprise", "matter_type": "licensing",
                          "implementation_code": "M-SETUP", "name": "企业设立登记", "legal_limit_days": 20,
                          "promised_limit_days": 10, "form_fields": FIELDS},
                    materials=[{"code": "app", "name": "申请书"}])
    case = receive(world, matter_code="M-SETUP", answers={}, materials={"app": "provided"},
                   form_data={"enterprise_name": "重庆小满科技有限公司", "legal_rep_id": REP_ID,
                              "rep_phone": REP_PHONE})
    return cs.case_forward(case=case, actor=world.clerk)


def _raw_form(case) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT form_data FROM cases_case WHERE id = %s", [case.pk])
        raw = cur.fetchone()[0]
    return raw if isinstance(raw, str) else str(raw)


def _token(client, user) -> dict:
    cache.clear()
    return {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username=user.username, password='secret-pass-1')[1]}"}


def test_the_row_holds_no_plaintext(pii_case):
    raw = _raw_form(pii_case)
    assert REP_ID not in raw and REP_PHONE not in raw and REP_ID[-4:] not in raw
    assert "enc:" in raw and Case.objects.get(pk=pii_case.pk).form_data["enterprise_name"] == "重庆小满科技有限公司"


@pytest.mark.parametrize("who", ["supervisor", "approver", "clerk"])
def test_case_page_and_api_show_them_masked_to_every_role(client, world, pii_case, who):
    user = getattr(world, who)
    client.force_login(user)
    body = client.get(f"/cases/{pii_case.number}/").content.decode()
    assert REP_ID not in body and REP_PHONE not in body
    assert REP_ID[:3] + "*" * 11 + REP_ID[-4:] in body and "139****5678" in body
    client.logout()
    r = client.get(f"/api/v1/cases/{pii_case.number}", **_token(client, user))
    assert r.status_code == 200, r.content
    assert REP_ID not in r.content.decode() and REP_PHONE not in r.content.decode()
    form = r.json()["form_data"]
    assert form["legal_rep_id"] == REP_ID[:3] + "*" * 11 + REP_ID[-4:] and form["rep_phone"] == "139****5678"
    assert form["enterprise_name"] == "重庆小满科技有限公司"


def test_the_reveal_returns_them_and_is_audited(client, world, pii_case):
    world.approver.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    client.force_login(world.approver)
    body = client.post(f"/cases/{pii_case.number}/pii/", {"reason": "核对法定代表人身份"}).content.decode()
    assert REP_ID in body and REP_PHONE in body and "法定代表人身份证号码" in body
    event = AuditEvent.objects.filter(action="pii.view").get()
    assert event.actor_id == world.approver.pk
    assert {"form_data.legal_rep_id", "form_data.rep_phone"} <= set(event.after["fields"])
    assert REP_ID not in str(event.after)  # the audit names the fields, never the numbers
    r = client.post(f"/api/v1/cases/{pii_case.number}/pii", {"reason": "核对"}, content_type="application/json",
                    **_token(client, world.approver))
    assert r.status_code == 200
    assert {f["code"]: f["value"] for f in r.json()["form"]} == {"legal_rep_id": REP_ID, "rep_phone": REP_PHONE}
    assert AuditEvent.objects.filter(action="pii.view").count() == 2 and audit_verify()[0]


def test_a_supervisor_without_the_permission_is_refused_the_reveal(client, world, pii_case):
    client.force_login(world.supervisor)
    r = client.post(f"/cases/{pii_case.number}/pii/", {"reason": "看看"})
    assert r.status_code == 403 and REP_ID not in r.content.decode()
    client.logout()
    r = client.post(f"/api/v1/cases/{pii_case.number}/pii", {"reason": "看看"}, content_type="application/json",
                    **_token(client, world.supervisor))
    assert r.status_code == 403 and REP_ID not in r.content.decode()
    assert not AuditEvent.objects.filter(action="pii.view").exists()


def test_the_form_reads_back_and_a_legacy_plaintext_row_is_masked(world, pii_case):
    case = Case.objects.get(pk=pii_case.pk)
    fields = case.matter_version.snapshot["form_fields"]
    assert form_masked(fields, case.form_data)["legal_rep_id"].endswith(REP_ID[-4:])
    legacy = {"enterprise_name": "x", "legal_rep_id": REP_ID, "rep_phone": REP_PHONE}
    assert form_masked(fields, legacy) == {"enterprise_name": "x", "legal_rep_id": REP_ID[:3] + "*" * 11 + REP_ID[-4:],
                                           "rep_phone": "139****5678"}


def test_the_data_migration_encrypts_a_legacy_row_once(world, pii_case):
    from importlib import import_module

    from django.apps import apps

    mig = import_module("yichuang.cases.migrations.0007_encrypt_form_numbers")
    legacy = {"enterprise_name": "重庆小满科技有限公司", "legal_rep_id": REP_ID, "rep_phone": REP_PHONE}
    Case.objects.filter(pk=pii_case.pk).update(form_data=legacy)  # as written before the change
    assert REP_ID in _raw_form(pii_case)
    editor = type("Editor", (), {"connection": connection})()
    mig.encrypt_existing(apps, editor)
    once = _raw_form(pii_case)
    assert REP_ID not in once and REP_PHONE not in once
    mig.encrypt_existing(apps, editor)  # run again: nothing changes (no double encryption)
    assert _raw_form(pii_case) == once
    fields = pii_case.matter_version.snapshot["form_fields"]
    assert form_masked(fields, Case.objects.get(pk=pii_case.pk).form_data)["legal_rep_id"] == \
        REP_ID[:3] + "*" * 11 + REP_ID[-4:]
    mig.decrypt_existing(apps, editor)
    assert Case.objects.get(pk=pii_case.pk).form_data == legacy
