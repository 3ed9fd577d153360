"""即办件当场办结 over the API: the decision is the body's ``approve``.

Regression: the route read a hidden ``?approve=`` query parameter that defaulted to true, so the documented body
``{"approve": false, ...}`` approved the case.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.cases.conftest import receive
from yichuang.accounts.services import token_issue
from yichuang.cases import services as cs
from yichuang.cases.models import Case

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    _, key = token_issue(username=username, password="secret-pass-1")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _forwarded_immediate(world, seq: int) -> str:
    case = receive(world, matter_code="M-NOW", materials={"app": "provided"}, seq=seq)
    return cs.case_forward(case=case, actor=world.clerk).number


def _decide(number: str, body: dict, query: str = ""):
    return _client("approver").post(f"/api/v1/cases/{number}/decide-now{query}", body,
                                    content_type="application/json")


def test_approve_false_denies(world):
    number = _forwarded_immediate(world, 1)
    r = _decide(number, {"approve": False, "opinion": "不符合法定条件，不予许可。", "legal_basis": "《行政许可法》第三十八条"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "denied"
    assert Case.objects.get(number=number).state == "denied"


def test_approve_true_approves(world):
    number = _forwarded_immediate(world, 2)
    r = _decide(number, {"approve": True, "opinion": "准予"})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "approved"


def test_the_decision_is_required_and_no_query_parameter_decides(world):
    number = _forwarded_immediate(world, 3)
    r = _decide(number, {"opinion": "准予"})
    assert r.status_code == 422 and r.json()["field"] == "approve"
    r = _decide(number, {"approve": False, "opinion": "不予许可"}, query="?approve=true")
    assert r.status_code == 200 and r.json()["state"] == "denied"


def test_the_documented_example_denies(world, client):
    """The example the schema shows is a denial, and sent as it stands it denies."""
    number = _forwarded_immediate(world, 4)
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["paths"]["/api/v1/cases/{number}/decide-now"]["post"]["requestBody"]["content"]
    ref = body["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    component = schema["components"]["schemas"][ref]
    assert "approve" in component["required"]
    assert not [p for p in schema["paths"]["/api/v1/cases/{number}/decide-now"]["post"].get("parameters", [])
                if p["in"] == "query"]
    example = component["examples"][0]
    assert example["approve"] is False
    r = _decide(number, example)
    assert r.status_code == 200 and r.json()["state"] == "denied"
