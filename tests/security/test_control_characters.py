"""Issue 21, finding 18: a NUL byte or another control character in any text input is a 400 naming the field, the
same on SQLite and PostgreSQL (PostgreSQL refused NUL with a 500 before)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("bad", ["a\x00b", "a\x1bb", "x\x7f"])
def test_api_json_field_with_a_control_character_is_a_400_naming_it(client, bad):
    resp = client.post("/api/v1/cases", json.dumps({"matter_code": "X", "applicant": {"name": bad}}),
                       content_type="application/json")
    assert resp.status_code == 400
    body = resp.json()
    assert body["code"] == "control_character" and body["field"] == "applicant.name"
    assert body["message"] and body["message_en"]


def test_query_parameter_and_form_field(client):
    resp = client.get("/api/v1/catalog/matters", {"q": "食品\x00"})
    assert resp.status_code == 400 and resp.json()["field"] == "q"
    resp = client.post("/accounts/login/", {"username": "ad\x00min", "password": "x"})
    assert resp.status_code == 400 and "username" in resp.content.decode()


def test_tabs_and_newlines_stay_allowed(client):
    resp = client.get("/api/v1/catalog/matters", {"q": "食品\t经营\n"})
    assert resp.status_code == 200
