"""API token revocation through the API: ``DELETE /api/v1/auth/token`` (the caller's own token: logout) and
``POST /api/v1/accounts/users/{username}/tokens/revoke`` (an administrator, or the user himself: every token of the
account). Both go through accounts.services, are audited, and are refused at the very next call although the token
was cached (Django's cache, shared by every process)."""

from __future__ import annotations

import pytest
from django.test import Client

from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role
from yichuang.accounts.models import ApiToken
from yichuang.audit.models import AuditEvent

PASSWORD = "secret-pass-1"
ME = "/api/v1/accounts/posts"  # any call that needs a signed-in user


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.API_TOKEN_CACHE_SECONDS = 300
    centre = acc.centre_create(code="500101", name="高新区政务服务中心", level="county")
    users = {name: acc.user_create(username=name, password=PASSWORD, role=role, centre=centre)
             for name, role in (("admin", Role.ADMIN), ("clerk", Role.CLERK), ("clerk2", Role.CLERK))}
    return users


def key_of(username: str, label: str = "") -> str:
    return acc.token_issue(username=username, password=PASSWORD, label=label)[1]


def api(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def assert_refusal(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = response.json()
    assert all(isinstance(body.get(k), str) and body[k] for k in ("code", "message", "message_en")), body
    return body


def test_logout_revokes_the_token_of_the_call_and_no_other(world):
    desk, laptop = key_of("clerk", "窗口客户端"), key_of("clerk", "笔记本")
    assert api(desk).get(ME).status_code == 200 and api(laptop).get(ME).status_code == 200  # both now cached

    r = api(desk).delete("/api/v1/auth/token")
    assert r.status_code == 204 and r.content == b""

    body = assert_refusal(api(desk).get(ME), 401)
    assert body["code"] == "unauthorized"
    assert api(laptop).get(ME).status_code == 200  # the user's other token still works
    assert list(ApiToken.objects.filter(user=world["clerk"]).values_list("label", flat=True)) == ["笔记本"]
    event = AuditEvent.objects.get(action="token.revoke")
    assert (event.actor_id, event.object_id, event.after) == (world["clerk"].pk, str(world["clerk"].pk),
                                                              {"label": "窗口客户端"})

    assert_refusal(api(desk).delete("/api/v1/auth/token"), 401)  # a revoked token cannot revoke itself again
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


def test_logout_takes_a_bearer_token_not_a_page_session(world):
    session = Client()
    session.force_login(world["clerk"])
    assert_refusal(session.delete("/api/v1/auth/token"), 401)
    assert_refusal(Client().delete("/api/v1/auth/token"), 401)
    assert not AuditEvent.objects.filter(action="token.revoke").exists()


def test_an_administrator_revokes_every_token_of_a_user(world):
    admin, desk, laptop, other = key_of("admin"), key_of("clerk", "窗口"), key_of("clerk", "笔记本"), key_of("clerk2")
    for key in (desk, laptop, other):
        assert api(key).get(ME).status_code == 200

    r = api(admin).post("/api/v1/accounts/users/clerk/tokens/revoke")
    assert r.status_code == 200 and r.json() == {"username": "clerk", "revoked": 2}

    assert_refusal(api(desk).get(ME), 401)
    assert_refusal(api(laptop).get(ME), 401)
    assert api(other).get(ME).status_code == 200 and api(admin).get(ME).status_code == 200
    event = AuditEvent.objects.get(action="token.revoke_all")
    assert event.actor_id == world["admin"].pk and event.object_id == str(world["clerk"].pk)
    assert event.after == {"username": "clerk", "count": 2, "labels": ["窗口", "笔记本"]}


def test_a_user_who_is_no_administrator_cannot_revoke_anothers_tokens(world):
    mine, theirs = key_of("clerk"), key_of("clerk2")
    body = assert_refusal(api(mine).post("/api/v1/accounts/users/clerk2/tokens/revoke"), 403)
    assert body["code"] == "token_revoke"
    assert api(theirs).get(ME).status_code == 200
    assert ApiToken.objects.filter(user=world["clerk2"]).count() == 1
    assert not AuditEvent.objects.filter(action__startswith="token.revoke").exists()

    # His own, yes: signed out of every client at once.
    r = api(mine).post("/api/v1/accounts/users/clerk/tokens/revoke")
    assert r.status_code == 200 and r.json()["revoked"] == 1
    assert_refusal(api(mine).get(ME), 401)


def test_an_unknown_user_is_a_404(world):
    body = assert_refusal(api(key_of("admin")).post("/api/v1/accounts/users/nobody/tokens/revoke"), 404)
    assert body["code"] == "not_found"
    assert not AuditEvent.objects.filter(action__startswith="token.revoke").exists()
