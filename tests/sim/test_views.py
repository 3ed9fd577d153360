"""The simulator page: staff only, renders results and errors (never a 500)."""

import pytest
from django.test import Client

from yichuang.accounts import services as acc
from yichuang.accounts.constants import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = acc.user_create(username="simadmin", password="secret-pass-1", role=Role.ADMIN)
    client.force_login(user)
    return client


def test_page_is_staff_only(client):
    assert client.get("/sim/").status_code == 302  # to login
    clerk = acc.user_create(username="simclerk", password="secret-pass-1", role=Role.CLERK)
    client.force_login(clerk)
    assert client.get("/sim/").status_code == 403


def test_page_renders_examples_and_runs(admin_client):
    r = admin_client.get("/sim/?example=village_station")
    assert r.status_code == 200 and "village_station" in r.content.decode() and "echarts.min.js" in r.content.decode()
    yaml_text = r.context["yaml"]
    r = admin_client.post("/sim/", {"example": "village_station", "yaml": yaml_text, "mode": "compare", "seed": "1",
                                    "replications": "2"})
    body = r.content.decode()
    assert r.status_code == 200 and 'data-testid="sim-compare"' in body and "sim-data" in body
    r = admin_client.post("/sim/", {"yaml": yaml_text, "mode": "simulate", "seed": "1", "replications": "1"})
    assert r.status_code == 200 and "chart-queue" in r.content.decode()
    r = admin_client.post("/sim/", {"yaml": yaml_text, "mode": "plan", "target_wait": "15m", "replications": "2"})
    assert r.status_code == 200 and 'data-testid="sim-plan-answer"' in r.content.decode()


@pytest.mark.parametrize("data", [
    {"yaml": "a: [", "mode": "compare"},
    {"yaml": "domains: nope", "mode": "simulate"},
    {"mode": "plan", "target_wait": "soon"},
    {"mode": "compare", "replications": "9999"},
    {"mode": "compare", "seed": "x"},
])
def test_bad_input_is_shown_not_a_500(admin_client, data):
    r = admin_client.post("/sim/", data)
    assert r.status_code == 200 and 'data-testid="sim-error"' in r.content.decode()


def test_api_runs_for_staff_only(admin_client):
    r = Client().post("/api/v1/sim/runs", {"example": "village_station"}, content_type="application/json")
    assert r.status_code == 401
    r = admin_client.get("/api/v1/sim/scenarios")
    assert r.status_code == 200 and "binzhou_2f" in [s["name"] for s in r.json()]
    r = admin_client.post("/api/v1/sim/runs", {"example": "village_station", "mode": "compare", "replications": 2},
                          content_type="application/json")
    assert r.status_code == 200 and r.json()["variants"][0]["key"] == "dedicated"
    r = admin_client.post("/api/v1/sim/runs", {"example": "village_station", "mode": "plan", "target_wait": "15m",
                                               "replications": 1}, content_type="application/json")
    assert r.status_code == 200 and r.json()["best"]["windows"] >= 1


@pytest.mark.parametrize("payload, status", [
    ({"example": "nope"}, 404),
    ({"yaml": "a: ["}, 400),
    ({"example": "village_station", "replications": 500}, 400),
    ({"example": "village_station", "mode": "dance"}, 400),
    ({"example": "village_station", "policy": "random"}, 400),
    ({"example": "village_station", "mode": "plan", "target_wait": "soon"}, 400),
])
def test_api_bad_input(admin_client, payload, status):
    r = admin_client.post("/api/v1/sim/runs", payload, content_type="application/json")
    assert r.status_code == status and r.json()["message"]


def test_api_refuses_clerks(client):
    clerk = acc.user_create(username="simclerk2", password="secret-pass-1", role=Role.CLERK)
    client.force_login(clerk)
    assert client.get("/api/v1/sim/scenarios").status_code == 403
