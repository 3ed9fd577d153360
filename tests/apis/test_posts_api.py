"""岗位/在岗状态 over the API: the same roster and the same audited service as /accounts/posts/."""

from __future__ import annotations

import pytest
from django.test import Client

from yichuang.accounts.services import token_issue
from yichuang.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _api(username: str) -> Client:
    _, key = token_issue(username=username, password="secret-pass-1")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def test_roster_and_absence_through_the_api(world):
    api = _api(world.approver_b.username)
    roster = api.get("/api/v1/accounts/posts").json()
    assert [row["acting_post"] for row in roster] == ["a"]
    assert {p["username"] for p in roster[0]["approvers"]} == {"approver", "approver_b"}

    url = f"/api/v1/accounts/users/{world.approver.username}/absence"
    r = api.post(url, {"absent": True}, content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "reason" and "缺席原因" in r.json()["message"]
    r = api.post(url, {"absent": True, "reason": "年休假"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["absent"] is True
    assert api.get("/api/v1/accounts/posts").json()[0]["acting"] == ["approver_b"]
    assert AuditEvent.objects.filter(action="user.absence").count() == 1

    refused = _api(world.clerk.username).post(url, {"absent": False}, content_type="application/json")
    assert refused.status_code == 403 and set(refused.json()) >= {"code", "message", "message_en"}
    assert _api(world.clerk.username).get("/api/v1/accounts/posts").json() == []
    missing = api.post("/api/v1/accounts/users/nobody/absence", {"absent": False}, content_type="application/json")
    assert missing.status_code == 404
