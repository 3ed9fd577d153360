"""Full ID and phone numbers: masked everywhere; shown only with the permission and a reason, and audited."""

from django.contrib.auth.models import Permission

from yichuang.audit.models import AuditEvent
from yichuang.audit.services import audit_verify

from .conftest import receive


def test_numbers_are_masked_on_the_case_page_and_in_the_api(client, world):
    case = receive(world)
    client.force_login(world.clerk)
    body = client.get(f"/cases/{case.number}/").content.decode()
    assert case.applicant_id_number not in body and case.applicant_id_number[-4:] in body
    assert "13800138000" not in body
    assert "查看完整号码" not in body  # no permission, no form


def test_full_numbers_need_the_permission_and_a_reason_and_are_audited(client, world):
    case = receive(world)
    client.force_login(world.clerk)
    assert client.post(f"/cases/{case.number}/pii/", {"reason": "核对身份"}).status_code == 403
    world.supervisor.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    client.force_login(world.supervisor)
    assert "查看完整号码" in client.get(f"/cases/{case.number}/").content.decode()
    assert "请说明" in client.post(f"/cases/{case.number}/pii/", {"reason": " "}).content.decode()
    body = client.post(f"/cases/{case.number}/pii/", {"reason": "申请人来电核对身份"}).content.decode()
    assert case.applicant_id_number in body and "13800138000" in body
    event = AuditEvent.objects.filter(action="pii.view").get()
    assert event.actor_id == world.supervisor.pk and event.after["reason"] == "申请人来电核对身份"
    assert audit_verify()[0]


def test_full_numbers_over_the_api(client, world):
    from yichuang.accounts.services import token_issue

    case = receive(world)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_issue(username='clerk', password='secret-pass-1')[1]}"}
    r = client.post(f"/api/v1/cases/{case.number}/pii", {"reason": "x"}, content_type="application/json", **auth)
    assert r.status_code == 403 and r.json()["message_en"]
    world.clerk.user_permissions.add(Permission.objects.get(codename="view_full_pii"))
    from django.core.cache import cache
    cache.clear()
    r = client.post(f"/api/v1/cases/{case.number}/pii", {"reason": "核对"}, content_type="application/json", **auth)
    assert r.status_code == 200 and r.json()["applicant_id_number"] == case.applicant_id_number
