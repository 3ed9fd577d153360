"""Every route of the API, sent bad input, answers ``{code, message, message_en}`` in the right languages.

The sweep walks the served OpenAPI schema: for every operation an unknown sibling route (404), a method the route
does not take (405), no or a wrong token where one is needed (401), an unparsable JSON body (400), a body of the
wrong type and an empty object (422 or a domain refusal), path and query parameters of the wrong type or unknown
(404/422), and the steps a case in the wrong state refuses (409). Each answer must pass ``errorshape.problems``.
"""

from __future__ import annotations

import re

import pytest

from .conftest import client_for
from .errorshape import assert_error

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


def _operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield path, method, op, schema


def _fill(path: str, w, *, bad: bool = False) -> tuple[str, set[str]]:
    """The path with its parameters filled with real values (or unknown ones), and those values."""
    real = {"number": w.received.number, "window_id": w.window.pk, "ticket_id": w.ticket.pk,
            "centre_code": w.centre.code, "code": w.matter.implementation_code, "year": 2026, "date": "2026-12-31",
            "pk": 1, "step": "callback", "notice_number": "TZ-NONE"}
    unknown = {"number": "NO-SUCH-1", "window_id": 987654, "ticket_id": 987654, "centre_code": "999999",
               "code": "NO-SUCH-CODE", "year": 1800, "date": "2026-02-30", "pk": 987654, "step": "nope",
               "notice_number": "NO-SUCH"}
    values = unknown if bad else real
    used: set[str] = set()

    def sub(m):
        v = str(values.get(m[1], "x"))
        used.add(v)
        return v

    return re.sub(r"\{(\w+)\}", sub, path), used


def _json_body(op) -> bool:
    return "application/json" in op.get("requestBody", {}).get("content", {})


def test_unknown_routes_and_methods(api_world, client):
    seen = 0
    for path, method, op, schema in _operations(client):
        url, used = _fill(path, api_world)
        c = client_for(api_world, "clerk")
        assert_error(c.get(url.rstrip("/") + "/no-such-route"), identifiers=used | {"no-such-route"},
                     what=f"unknown below {url}")
        allowed = set(schema["paths"][path]) & METHODS
        other = sorted(METHODS - allowed)[0]
        r = c.generic(other.upper(), url)
        assert r.status_code == 405, f"{other} {url}: {r.status_code}"
        body = assert_error(r, identifiers=used, what=f"{other} {url}")
        assert body["code"] == "method_not_allowed" and r.has_header("Allow")
        seen += 1
    assert seen >= 100
    for url in ("/api/", "/api/v1/", "/api/v2/cases/", "/api/v1/nope", "/api/v1/cases/x/y/z/w"):
        body = assert_error(client.get(url), what=url)
        assert body["code"] == "not_found"


def test_authentication(api_world, client):
    for path, method, op, _ in _operations(client):
        if not op.get("security"):
            continue
        url, used = _fill(path, api_world)
        for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}):
            r = client.generic(method.upper(), url, b"{}", content_type="application/json", **headers)
            assert r.status_code == 401, f"{method} {url} {headers}: {r.status_code}"
            assert assert_error(r, identifiers=used, what=f"{method} {url}")["code"] == "unauthorized"


@pytest.mark.parametrize("role", ["clerk", "approver", "zhang"])
def test_bad_bodies_and_parameters(api_world, client, role):
    c = client_for(api_world, role)
    for path, method, op, _ in _operations(client):
        url, used = _fill(path, api_world)
        if _json_body(op):
            r = c.generic(method.upper(), url, b'{"unclosed": ', content_type="application/json")
            assert r.status_code == 400, f"{method} {url}: {r.status_code} {r.content[:200]!r}"
            assert assert_error(r, identifiers=used, what=f"{method} {url} bad JSON")["code"] == "malformed_body"
            for body in (b"[1, 2]", b'"text"', b"{}", b'{"reason": 5, "materials": "x", "days": "many"}'):
                r = c.generic(method.upper(), url, body, content_type="application/json")
                if r.status_code < 400:
                    continue  # every field has a default: an empty object is a real request
                assert_error(r, identifiers=used, what=f"{method} {url} {body!r}")
        bad_url, bad_used = _fill(path, api_world, bad=True)
        if bad_url != url:
            r = c.generic(method.upper(), bad_url, b"{}", content_type="application/json")
            assert_error(r, identifiers=bad_used, what=f"{method} {bad_url}")
        queries = [p for p in op.get("parameters", []) if p["in"] == "query"]
        if queries:
            wrong = {p["name"]: "not-a-valid-value-%" for p in queries}
            r = c.generic(method.upper(), url + "?" + "&".join(f"{k}={v}" for k, v in wrong.items()))
            if r.status_code >= 400:
                assert_error(r, identifiers=used | set(wrong), what=f"{method} {url} ?{wrong}")


def test_unknown_centre_is_404_on_every_centre_route(api_world, client):
    found = 0
    for path, method, op, _ in _operations(client):
        if "{centre_code}" not in path:
            continue
        url, used = _fill(path, api_world, bad=True)
        r = client_for(api_world, "super").generic(method.upper(), url)
        assert r.status_code == 404, f"{method} {url}: {r.status_code} {r.content[:200]!r}"
        assert_error(r, identifiers=used, what=url)
        found += 1
    assert found >= 7


def test_refused_steps_name_states_in_words(api_world, client):
    """A case in the wrong state, or a role that may not take a step: the refusals a service raises."""
    w = api_world
    steps = ["accept", "approve", "deny", "decide-now", "ready", "issue", "resume", "not-accept", "suspend",
             "forward", "supplement", "tolerant", "extend", "withdraw"]
    bodies = {"deny": {"opinion": "不符合条件"}, "decide-now": {"approve": True}, "issue": {"method": "window"},
              "not-accept": {"reason": "不属于本机关职权范围", "legal_basis": "《行政许可法》第三十二条"},
              "suspend": {"reason": "site_inspection"}, "tolerant": {"items": ["lease"], "commitment": "承诺补交",
                                                                      "due_date": "2030-01-01"},
              "extend": {"days": 5, "approved_by": "admin", "reason": "情况复杂"}}
    refused = 0
    for case in (w.received, w.accepted):
        for role in ("clerk", "approver", "issuer", "zhang", "super"):
            c = client_for(w, role)
            for step in steps:
                r = c.post(f"/api/v1/cases/{case.number}/{step}", bodies.get(step, {}), content_type="application/json")
                if r.status_code >= 400:
                    assert_error(r, identifiers={case.number}, what=f"{role} {step} {case.state}")
                    refused += 1
    assert refused >= 60


def test_a_server_error_is_json_too(api_world, monkeypatch):
    from django.test import Client

    from yichuang.catalog import api as catalog_api

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog_api.selectors, "matter_search", broken)
    r = Client(raise_request_exception=False).get("/api/v1/catalog/matters", {"q": "食品"})
    assert r.status_code == 500
    body = assert_error(r, what="a crash")
    assert body["code"] == "server_error" and "boom" not in r.content.decode()


def test_a_validation_error_names_the_field_in_both_languages(api_world):
    r = client_for(api_world, "clerk").post("/api/v1/hall/tickets/staff", {"centre_id": "one", "domain_id": 1},
                                            content_type="application/json")
    body = assert_error(r, what="staff ticket")
    assert r.status_code == 422 and body["field"] == "centre_id"
    assert body["message"] == "请求参数有误：centre_id 应为整数。"
    assert body["message_en"] == "Invalid request: centre_id must be a whole number."
