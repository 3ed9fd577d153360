import datetime as dt
import secrets

import pytest

from yichuang.accounts.models import ApiToken
from yichuang.accounts.services import _token_hash

from .conftest import make_id

BASE = "/api/v1/hall"


def auth(user) -> dict:
    key = secrets.token_urlsafe(16)
    ApiToken.objects.create(user=user, key_hash=_token_hash(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", **headers)


@pytest.fixture
def api_hall(open_hall):
    open_hall.h1 = auth(open_hall.c1)
    return open_hall


def test_kiosk_issue_status_and_masking(client, api_hall):
    h = api_hall
    idn = make_id(dt.date(1990, 3, 4))
    r = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk, "id_number": idn})
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["number"] == "A001" and body["estimated_wait_minutes"] == 0 and body["ahead"] == 0
    assert body["id_number"] == idn[:3] + "*" * 11 + idn[-4:]
    r = client.get(f"{BASE}/tickets/{body['id']}")
    assert r.status_code == 200 and r.json()["state"] == "waiting"
    r = client.get(f"{BASE}/centres/{h.centre.code}/tickets/a001")
    assert r.json()["id"] == body["id"]
    assert client.get(f"{BASE}/tickets/{body['id']}/qr.svg").status_code == 200
    assert client.get(f"{BASE}/centres/{h.centre.code}/queues").json()[0]["waiting"] == 1


def test_kiosk_errors_are_clear(client, api_hall):
    h = api_hall
    r = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk,
                                         "id_number": make_id(dt.date(1990, 1, 1), wrong_check=True)})
    assert r.status_code == 400 and "校验位错误" in r.json()["message"]
    c = h.clerk(domains=[h.a])
    from yichuang.hall import services
    services.clerk_sign_out(window=h.w1, clerk=h.c1)
    h.window(number="5", clerk_user=c)
    r = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.b.pk})
    assert r.status_code == 400 and "当前没有开放的窗口可以办理“企业事务”" in r.json()["message"]
    assert r.json()["code"] == "no_open_window"


def test_calling_flow(client, api_hall):
    h = api_hall
    t = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk}).json()
    w = h.w1.pk
    assert post(client, f"{BASE}/windows/{w}/call-next").status_code == 401
    r = post(client, f"{BASE}/windows/{w}/call-next", **h.h1)
    assert r.status_code == 200 and r.json()["number"] == "A001" and r.json()["window"] == "1"
    for _ in range(3):
        assert post(client, f"{BASE}/windows/{w}/tickets/{t['id']}/recall", **h.h1).status_code == 200
    r = post(client, f"{BASE}/windows/{w}/tickets/{t['id']}/recall", **h.h1)
    assert r.status_code == 400 and "达到上限" in r.json()["message"]
    assert post(client, f"{BASE}/windows/{w}/tickets/{t['id']}/start", **h.h1).json()["state"] == "serving"
    r = post(client, f"{BASE}/windows/{w}/tickets/{t['id']}/cases", {"case_number": "C-1"}, **h.h1)
    assert r.json()["case_numbers"] == ["C-1"]
    assert post(client, f"{BASE}/windows/{w}/tickets/{t['id']}/finish", **h.h1).json()["state"] == "done"
    r = post(client, f"{BASE}/windows/{w}/call-next", **h.h1)
    assert r.status_code == 404 and r.json()["message"] == "当前没有您可办理的等候号。"
    board = client.get(f"{BASE}/centres/{h.centre.code}/board").json()
    assert [(b["number"], b["window"], b["kind"]) for b in board][-1] == ("A001", "1", "called")
    assert board[0]["kind"] == "recalled" and len(board) == 4
    r = client.get(f"{BASE}/centres/{h.centre.code}/stats", {"by": "window"}, **h.h1)
    assert r.json()[0]["key"] == "1" and r.json()[0]["finished"] == 1


def test_clerk_must_be_signed_in_and_no_skill_messages(client, api_hall):
    h = api_hall
    post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk})
    other = h.clerk(domains=[h.a])
    r = post(client, f"{BASE}/windows/{h.w1.pk}/call-next", **auth(other))
    assert r.status_code == 403 and "未在" in r.json()["message"]
    nobody = h.clerk()
    w2 = h.window(number="2")
    r = post(client, f"{BASE}/windows/{w2.pk}/sign-in", **auth(nobody))
    assert r.status_code == 400 and r.json()["message"].startswith("该窗口人员未配置任何业务技能")
    applicant = h.clerk(domains=[h.a], role="applicant")
    assert post(client, f"{BASE}/windows/{w2.pk}/sign-in", **auth(applicant)).status_code == 403
    ok = post(client, f"{BASE}/windows/{w2.pk}/sign-in", **auth(other))
    assert ok.status_code == 200 and ok.json()["state"] == "open"


def test_transfer_no_show_and_pause(client, api_hall):
    h = api_hall
    c2 = h.clerk(domains=[h.b])
    w2 = h.window(number="2", window_type="domain", domains=[h.b], clerk_user=c2)
    t = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk}).json()
    post(client, f"{BASE}/windows/{h.w1.pk}/call-next", **h.h1)
    r = post(client, f"{BASE}/windows/{h.w1.pk}/tickets/{t['id']}/transfer", {"domain_id": h.b.pk}, **h.h1)
    assert r.status_code == 200 and r.json()["domain_id"] == h.b.pk and r.json()["issued_at"] == t["issued_at"]
    h2 = auth(c2)
    assert post(client, f"{BASE}/windows/{w2.pk}/call-next", **h2).json()["id"] == t["id"]
    r = client.generic("POST", f"{BASE}/windows/{w2.pk}/tickets/{t['id']}/no-show", b"", **h2)  # no body at all
    assert r.json()["state"] == "waiting" and r.json()["requeue_count"] == 1
    post(client, f"{BASE}/windows/{w2.pk}/call-next", **h2)
    r = post(client, f"{BASE}/windows/{w2.pk}/tickets/{t['id']}/no-show", {"requeue": False}, **h2)
    assert r.json()["state"] == "no_show"
    r = post(client, f"{BASE}/windows/{w2.pk}/state", {"state": "paused"}, **h2)
    assert r.json()["state"] == "paused"
    r = post(client, f"{BASE}/windows/{w2.pk}/call-next", **h2)
    assert r.status_code == 409
    assert len(client.get(f"{BASE}/centres/{h.centre.code}/windows").json()) == 2


def test_appointments_api(client, api_hall):
    from django.utils import timezone

    from yichuang.hall import services
    h = api_hall
    day = timezone.localdate() + dt.timedelta(days=1)
    slot = services.slot_create(centre=h.centre, domain=h.a, date=day, start=dt.time(9), end=dt.time(9, 30),
                                capacity=1)
    assert client.get(f"{BASE}/centres/{h.centre.code}/slots").json()[0]["booked"] == 0
    idn = make_id(dt.date(1980, 1, 1))
    r = post(client, f"{BASE}/appointments", {"slot_id": slot.pk, "name": "王五", "id_number": idn,
                                              "phone": "13800001234"})
    assert r.status_code == 201 and r.json()["phone"] == "138****1234"
    code = r.json()["code"]
    r = post(client, f"{BASE}/appointments", {"slot_id": slot.pk, "name": "赵六",
                                              "id_number": make_id(dt.date(1981, 1, 1))})
    assert r.status_code == 409 and "约满" in r.json()["message"]
    r = post(client, f"{BASE}/appointments/check-in", {"code": code, "id_number": idn})
    assert r.status_code == 400 and "只能当天签到" in r.json()["message"]
    r = post(client, f"{BASE}/appointments/cancel", {"code": code, "id_number": idn})
    assert r.json()["state"] == "cancelled"
    r = post(client, f"{BASE}/appointments/cancel", {"code": code, "id_number": "x"})
    assert r.status_code == 404


def test_staff_issue_priority_and_auth(client, api_hall):
    h = api_hall
    payload = {"centre_id": h.centre.pk, "domain_id": h.a.pk, "priority_reason": "军人"}
    assert post(client, f"{BASE}/tickets/staff", payload).status_code == 401
    r = post(client, f"{BASE}/tickets/staff", payload, **h.h1)
    assert r.status_code == 201 and r.json()["priority"] == 1 and r.json()["priority_label"].startswith("优先")
    r = post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": 99999})
    assert r.status_code == 404 and "办事领域" in r.json()["message"]


def test_bearer_calls_skip_the_page_middleware(client, api_hall):
    h = api_hall
    post(client, f"{BASE}/tickets", {"centre_id": h.centre.pk, "domain_id": h.a.pk})
    r = post(client, f"{BASE}/windows/{h.w1.pk}/call-next", **h.h1)
    assert r.status_code == 200 and r.json()["number"] == "A001"
    assert not r.cookies  # no session, no CSRF cookie
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    tid = r.json()["id"]
    r = post(client, f"{BASE}/windows/{h.w1.pk}/tickets/{tid}/finish", **h.h1)
    assert r.status_code == 200 and r.json()["state"] == "done"
    assert post(client, f"{BASE}/windows/{h.w1.pk}/call-next",
                HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    assert post(client, f"{BASE}/windows/999999/call-next", **h.h1).status_code == 404
    assert post(client, f"{BASE}/windows/{h.w1.pk}/tickets/999999/finish", **h.h1).status_code == 404
    assert client.post("/api/v1/no-such-route", HTTP_AUTHORIZATION="Bearer x").status_code == 404
    # pages still have their session and CSRF protection
    assert client.get("/hall/kiosk/110101/").status_code == 200


def test_session_api_call_still_needs_csrf(api_hall):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(api_hall.c1)
    r = c.post(f"{BASE}/windows/{api_hall.w1.pk}/call-next", content_type="application/json")
    assert r.status_code in (401, 403)
