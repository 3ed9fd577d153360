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
from yichuang.hall import services as hall

ROLES = ("clerk", "clerk2", "approver", "issuer", "super", "admin", "zhang")


def build_api_world() -> SimpleNamespace:
    w = build_world()
    w.admin = acc.user_create(username="admin", password="secret-pass-1", role=Role.ADMIN, display_name="管理员",
                              centre=w.centre)
    w.domain = w.matter.domain
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


@pytest.fixture
def api_world(db, fast_hasher):  # noqa: F811
    return build_api_world()


def client_for(w, username: str | None) -> Client:
    if username is None:
        return Client()
    return Client(HTTP_AUTHORIZATION=f"Bearer {w.tokens[username]}")
