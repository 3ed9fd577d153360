import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from yichuang.accounts.services import token_issue
from yichuang.cases.models import Case

from .conftest import PNG, make_id

pytestmark = pytest.mark.django_db
BASE = "/api/v1/cases"


def _client(username):
    _, key = token_issue(username=username, password="secret-pass-1")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _receive_payload(seq=1, **kw):
    body = {"matter_code": "M-FOOD", "applicant_name": "张三", "id_number": make_id(seq),
            "contact_address": "重庆市高新区", "answers": {"kind": "first"}, "form_data": {"shop_name": "小吃"},
            "materials": {"app": "provided", "id": "provided", "lease": "provided"}}
    body.update(kw)
    return body


def test_happy_path(world):
    clerk, approver, issuer = _client("clerk"), _client("approver"), _client("issuer")
    r = clerk.post(f"{BASE}/", _receive_payload(), content_type="application/json")
    assert r.status_code == 200, r.content
    number = r.json()["number"]
    assert r.json()["applicant_id_number"].startswith("110***")
    r = clerk.post(f"{BASE}/{number}/materials/photo/upload", {"file": _file("门头.jpg", PNG)})
    assert r.status_code == 200, r.content
    assert r.json()["content_type"] == "image/png"
    assert clerk.post(f"{BASE}/{number}/forward", {}, content_type="application/json").status_code == 200
    r = approver.get(f"{BASE}/inbox")
    assert [row["number"] for row in r.json()] == [number]
    r = approver.post(f"{BASE}/{number}/accept", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["light"] == "green"
    r = approver.post(f"{BASE}/{number}/suspend", {"reason": "expert_review"}, content_type="application/json")
    assert r.json()["state"] == "suspended"
    assert approver.post(f"{BASE}/{number}/resume").json()["state"] == "accepted"
    r = approver.post(f"{BASE}/{number}/approve", {"opinion": "同意"}, content_type="application/json")
    assert r.json()["state"] == "approved"
    assert issuer.post(f"{BASE}/{number}/ready").json()["state"] == "ready"
    r = issuer.post(f"{BASE}/{number}/issue", {"method": "post", "carrier": "EMS", "tracking_no": "E1"},
                    content_type="application/json")
    assert r.json()["state"] == "issued"
    history = approver.get(f"{BASE}/{number}/transitions").json()
    assert [h["to_state"] for h in history] == ["received", "forwarded", "accepted", "suspended", "accepted",
                                                 "approved", "ready", "issued"]
    assert history[0]["actor"] == "clerk"


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_errors_are_json_with_chinese_messages(world):
    clerk, approver = _client("clerk"), _client("approver")
    r = clerk.post(f"{BASE}/", _receive_payload(id_number="123"), content_type="application/json")
    assert r.status_code == 400 and "身份证号码" in r.json()["message"]
    number = clerk.post(f"{BASE}/", _receive_payload(), content_type="application/json").json()["number"]
    r = clerk.post(f"{BASE}/{number}/materials/app/upload", {"file": _file("x.pdf", b"MZ\x90\x00" * 10)})
    assert r.status_code == 400 and r.json()["code"] == "file_type"
    r = clerk.post(f"{BASE}/{number}/accept", {}, content_type="application/json")
    assert r.status_code == 403 and "角色" in r.json()["message"]
    r = approver.post(f"{BASE}/{number}/approve", {}, content_type="application/json")
    assert r.status_code == 409 and "不能转为" in r.json()["message"]
    Case.objects.filter(number=number).update(received_by=world.approver, state="forwarded")
    r = approver.post(f"{BASE}/{number}/accept", {}, content_type="application/json")
    assert r.status_code == 403 and r.json()["message"].startswith("受审分离")
    other = _client("other")
    assert other.get(f"{BASE}/{number}").status_code == 403
    assert Client().get(f"{BASE}/{number}").status_code == 401
    assert clerk.get(f"{BASE}/NOPE").status_code == 404


def test_supplement_and_tolerant_over_api(world):
    clerk = _client("clerk")
    number = clerk.post(f"{BASE}/", _receive_payload(materials={"app": "provided"}),
                        content_type="application/json").json()["number"]
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    r = clerk.post(f"{BASE}/{number}/supplement-request", {"due_date": due}, content_type="application/json")
    assert r.status_code == 200 and len(r.json()["content"]["items"]) == 2
    r = clerk.post(f"{BASE}/{number}/supplement", {"materials": {"id": "provided"}}, content_type="application/json")
    assert r.status_code == 400 and "场地使用证明" in r.json()["message"]
    r = clerk.post(f"{BASE}/{number}/supplement", {"materials": {"id": "provided", "lease": "provided"}},
                   content_type="application/json")
    assert r.json()["state"] == "received"
    number = clerk.post(f"{BASE}/", _receive_payload(seq=2, materials={"app": "provided", "id": "provided"}),
                        content_type="application/json").json()["number"]
    r = clerk.post(f"{BASE}/{number}/tolerant", {"items": ["lease"], "commitment": "承诺补交", "due_date": due},
                   content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "forwarded" and r.json()["tolerant"]


def test_progress_lookup_is_public_and_does_not_leak(world):
    clerk = _client("clerk")
    body = clerk.post(f"{BASE}/", _receive_payload(), content_type="application/json").json()
    anon = Client()
    r = anon.get(f"{BASE}/progress", {"number": body["number"], "last4": make_id(1)[-4:]})
    assert r.status_code == 200 and r.json()["state"] == "received"
    assert "clerk" not in r.content.decode()
    wrong = anon.get(f"{BASE}/progress", {"number": body["number"], "last4": "0000"})
    unknown = anon.get(f"{BASE}/progress", {"number": "X", "last4": "0000"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_online_submission_and_inbox_filters(world):
    applicant, approver = _client("zhang"), _client("approver")
    r = applicant.post(f"{BASE}/online", _receive_payload(id_number=world.applicant.id_number),
                       content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "submitted" and r.json()["channel"] == "online"
    number = r.json()["number"]
    assert applicant.get(f"{BASE}/{number}").status_code == 200
    assert applicant.get(f"{BASE}/inbox").status_code == 403
    assert approver.post(f"{BASE}/{number}/forward", {}, content_type="application/json").json()["state"] == \
        "forwarded"
    approver.post(f"{BASE}/{number}/accept", {}, content_type="application/json")
    assert [r["number"] for r in approver.get(f"{BASE}/inbox", {"light": "green"}).json()] == [number]
    assert approver.get(f"{BASE}/inbox", {"light": "red"}).json() == []
    assert [r["number"] for r in approver.get(f"{BASE}/inbox", {"state": "accepted", "matter": "M-FOOD"}).json()] \
        == [number]
    assert _client("other").get(f"{BASE}/inbox").json() == []


def test_inbox_is_paged_in_due_date_order(world):
    clerk, approver = _client("clerk"), _client("approver")
    numbers = []
    for seq in range(1, 6):
        r = clerk.post(f"{BASE}/", _receive_payload(seq=seq), content_type="application/json")
        numbers.append(r.json()["number"])
        clerk.post(f"{BASE}/{numbers[-1]}/forward", {}, content_type="application/json")
    for n in numbers[:3]:
        assert approver.post(f"{BASE}/{n}/accept", {}, content_type="application/json").status_code == 200
    first = [r["number"] for r in approver.get(f"{BASE}/inbox", {"limit": 2}).json()]
    second = [r["number"] for r in approver.get(f"{BASE}/inbox", {"limit": 2, "offset": 2}).json()]
    rest = [r["number"] for r in approver.get(f"{BASE}/inbox", {"limit": 2, "offset": 4}).json()]
    assert first + second + rest == numbers  # accepted ones (with due dates) first, then the forwarded ones
    assert len(approver.get(f"{BASE}/inbox", {"limit": 10_000}).json()) == 5
    green = [r["number"] for r in approver.get(f"{BASE}/inbox", {"light": "green", "limit": 1, "offset": 1}).json()]
    assert green == [numbers[1]]


def test_receive_and_forward_in_one_step(world):
    from yichuang.audit.services import audit_verify
    from yichuang.cases.models import CaseTransition, CaseSequence

    clerk = _client("clerk")
    r = clerk.post(f"{BASE}/", _receive_payload(forward=True), content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "forwarded" and body["notices"] == []
    case = Case.objects.get(number=body["number"])
    assert case.state == "forwarded" and case.missing_items == [] and case.received_by.username == "clerk"
    assert list(CaseTransition.objects.filter(case=case).values_list("from_state", "to_state")) == [
        ("", "received"), ("received", "forwarded")]
    assert audit_verify()[0]
    assert _client("approver").get(f"{BASE}/inbox").json()[0]["number"] == body["number"]
    # a required item missing: nothing is received, no number is used up, and the error names the item
    r = clerk.post(f"{BASE}/", _receive_payload(seq=2, forward=True, materials={"app": "provided"}),
                   content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "materials_incomplete"
    assert "身份证明" in r.json()["message"] and "不能流转" in r.json()["message"]
    assert Case.objects.count() == 1 and CaseSequence.objects.get().last == 1
